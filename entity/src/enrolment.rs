use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A member's place in a workshop: `confirmed` (a seat) or `waitlisted` (in
/// arrival order, `waitlist_position` 1..n without gaps), then `cancelled`, or
/// after the start `attended` / `no_show`. At most one such enrolment other
/// than `cancelled` per (workshop, member) — a partial unique index says so.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workshop_id: Uuid,
    pub member_id: Uuid,
    pub status: EnrolmentStatus,
    pub waitlist_position: Option<i32>,
    /// Who enrolled the member: themself, their counsellor, or a facilitator.
    pub enrolled_by: Uuid,
    /// Why the prerequisite was waived, and by whom.
    pub prerequisite_override_reason: Option<String>,
    pub prerequisite_overridden_by: Option<Uuid>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<Uuid>,
    pub attendance_marked_at: Option<DateTimeUtc>,
    pub attendance_marked_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    #[sea_orm(string_value = "attended")]
    Attended,
    #[sea_orm(string_value = "no_show")]
    NoShow,
}

impl EnrolmentStatus {
    /// Statuses that hold a seat.
    pub const SEATED: [EnrolmentStatus; 3] =
        [EnrolmentStatus::Confirmed, EnrolmentStatus::Attended, EnrolmentStatus::NoShow];
    /// Statuses covered by the one-per-member unique index.
    pub const ACTIVE: [EnrolmentStatus; 4] = [
        EnrolmentStatus::Confirmed,
        EnrolmentStatus::Waitlisted,
        EnrolmentStatus::Attended,
        EnrolmentStatus::NoShow,
    ];
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
