use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A meeting of an accepted match.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub match_id: Uuid,
    pub created_by: Uuid,
    pub starts_at: DateTimeUtc,
    pub duration_minutes: i16,
    pub modality: Modality,
    pub location: Option<String>,
    /// The directory place where it happens, when it names one.
    pub place_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

/// How people meet.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    #[sea_orm(string_value = "remote")]
    Remote,
    #[sea_orm(string_value = "in_person")]
    InPerson,
    #[sea_orm(string_value = "phone")]
    Phone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
