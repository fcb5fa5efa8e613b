use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A member asking for a mentor in one skill. `open` while they look;
/// `matched` once a mentor accepted; `closed` when the member leaves.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub learner_id: Uuid,
    pub skill_id: Uuid,
    /// Free text for the mentor; erased with its author.
    pub message: Option<String>,
    pub wants_remote: bool,
    pub wants_in_person: bool,
    pub wants_phone: bool,
    /// Languages the learner can be mentored in, as a JSON array of tags.
    pub languages: Json,
    pub target_level: Option<i16>,
    pub postcode: Option<String>,
    pub departement: Option<String>,
    pub status: MatchRequestStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum MatchRequestStatus {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "matched")]
    Matched,
    #[sea_orm(string_value = "closed")]
    Closed,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
