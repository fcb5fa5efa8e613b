use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A learner and a mentor for one request. `proposed` (by cohort matching)
/// → `requested` → `accepted` | `declined` | `withdrawn` | `expired`;
/// `accepted` → `completed` | `cancelled`. Every change is a `match_events` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentor_matches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub request_id: Uuid,
    pub learner_id: Uuid,
    pub mentor_id: Uuid,
    pub skill_id: Uuid,
    pub status: MatchStatus,
    /// The match score (0..100) when the match was made.
    pub score: Option<i16>,
    /// The learner's word to the mentor; erased with its author.
    pub message: Option<String>,
    /// The organisation whose cohort matching proposed it.
    pub organization_id: Option<Uuid>,
    /// The counsellor (or admin) who proposed it.
    pub proposed_by: Option<Uuid>,
    /// An unanswered `requested` match expires then.
    pub expires_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    #[sea_orm(string_value = "proposed")]
    Proposed,
    #[sea_orm(string_value = "requested")]
    Requested,
    #[sea_orm(string_value = "accepted")]
    Accepted,
    #[sea_orm(string_value = "declined")]
    Declined,
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
    #[sea_orm(string_value = "expired")]
    Expired,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl MatchStatus {
    /// Statuses that hold the request (one at a time, a unique index says so).
    pub const OPEN: [MatchStatus; 3] = [MatchStatus::Proposed, MatchStatus::Requested, MatchStatus::Accepted];

    pub fn as_str(self) -> &'static str {
        match self {
            MatchStatus::Proposed => "proposed",
            MatchStatus::Requested => "requested",
            MatchStatus::Accepted => "accepted",
            MatchStatus::Declined => "declined",
            MatchStatus::Withdrawn => "withdrawn",
            MatchStatus::Expired => "expired",
            MatchStatus::Completed => "completed",
            MatchStatus::Cancelled => "cancelled",
        }
    }

    /// No transition leaves these.
    pub fn is_final(self) -> bool {
        !matches!(self, MatchStatus::Proposed | MatchStatus::Requested | MatchStatus::Accepted)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
