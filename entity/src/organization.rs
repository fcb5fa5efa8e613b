use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A partner organisation (Mission locale, France Travail...) whose counsellors
/// and facilitators work with members.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: OrganizationKind,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    #[sea_orm(string_value = "mission_locale")]
    MissionLocale,
    #[sea_orm(string_value = "france_travail")]
    FranceTravail,
    #[sea_orm(string_value = "tiers_lieu")]
    TiersLieu,
    #[sea_orm(string_value = "training_center")]
    TrainingCenter,
    #[sea_orm(string_value = "association")]
    Association,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
