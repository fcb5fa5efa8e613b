use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A service a place of the directory offers to the public.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service: PlaceService,
}

/// The closed list of services a place may offer.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum PlaceService {
    #[sea_orm(string_value = "digital_mediation")]
    DigitalMediation,
    #[sea_orm(string_value = "computers_with_internet")]
    ComputersWithInternet,
    #[sea_orm(string_value = "printing")]
    Printing,
    #[sea_orm(string_value = "job_coaching")]
    JobCoaching,
    #[sea_orm(string_value = "french_courses")]
    FrenchCourses,
    #[sea_orm(string_value = "training")]
    Training,
    #[sea_orm(string_value = "childcare_during_sessions")]
    ChildcareDuringSessions,
    #[sea_orm(string_value = "wheelchair_accessible")]
    WheelchairAccessible,
    #[sea_orm(string_value = "administrative_help")]
    AdministrativeHelp,
    #[sea_orm(string_value = "wifi")]
    Wifi,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
