use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A counsellor following a member, only ever with the member's consent:
/// `pending` → `active` (consented) | `refused`; `pending`/`active` → `revoked`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accompaniments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub counsellor_id: Uuid,
    pub member_id: Uuid,
    pub status: AccompanimentStatus,
    pub requested_at: DateTimeUtc,
    pub consented_at: Option<DateTimeUtc>,
    /// Version of the consent text the member agreed to.
    pub consent_wording_version: Option<String>,
    pub refused_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    /// The counsellor who recorded the consent in person, at the desk (an
    /// assisted account); `None` when the member consented in the app.
    pub consent_recorded_by: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum AccompanimentStatus {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "refused")]
    Refused,
    #[sea_orm(string_value = "revoked")]
    Revoked,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
