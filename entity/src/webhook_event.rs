use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Something that happened, written in the transaction of the change: its
/// payload (ids and minimal facts, never free text nor contact details) is
/// what every delivery of it sends, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_type: EventType,
    /// The member it is about, if any: only organisations they consented to hear of it.
    pub member_id: Option<Uuid>,
    /// The JSON body sent: `{type, timestamp, data}`.
    pub payload: String,
    pub created_at: DateTimeUtc,
}

/// The closed list of events a webhook may subscribe to.
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(64))")]
pub enum EventType {
    /// A member consented to be accompanied by a counsellor of the organisation.
    #[sea_orm(string_value = "accompaniment.consented")]
    #[serde(rename = "accompaniment.consented")]
    AccompanimentConsented,
    /// The member or the counsellor ended that accompaniment.
    #[sea_orm(string_value = "accompaniment.revoked")]
    #[serde(rename = "accompaniment.revoked")]
    AccompanimentRevoked,
    #[sea_orm(string_value = "enrolment.confirmed")]
    #[serde(rename = "enrolment.confirmed")]
    EnrolmentConfirmed,
    #[sea_orm(string_value = "enrolment.waitlisted")]
    #[serde(rename = "enrolment.waitlisted")]
    EnrolmentWaitlisted,
    /// A freed seat went to the member, who was on the waiting list.
    #[sea_orm(string_value = "enrolment.promoted")]
    #[serde(rename = "enrolment.promoted")]
    EnrolmentPromoted,
    #[sea_orm(string_value = "enrolment.cancelled")]
    #[serde(rename = "enrolment.cancelled")]
    EnrolmentCancelled,
    /// A workshop session was cancelled (no member: sent to every subscriber).
    #[sea_orm(string_value = "workshop.cancelled")]
    #[serde(rename = "workshop.cancelled")]
    WorkshopCancelled,
    #[sea_orm(string_value = "attendance.recorded")]
    #[serde(rename = "attendance.recorded")]
    AttendanceRecorded,
    #[sea_orm(string_value = "match.accepted")]
    #[serde(rename = "match.accepted")]
    MatchAccepted,
    #[sea_orm(string_value = "match.completed")]
    #[serde(rename = "match.completed")]
    MatchCompleted,
    #[sea_orm(string_value = "lesson.completed")]
    #[serde(rename = "lesson.completed")]
    LessonCompleted,
    #[sea_orm(string_value = "placement.completed")]
    #[serde(rename = "placement.completed")]
    PlacementCompleted,
    #[sea_orm(string_value = "assessment.recorded")]
    #[serde(rename = "assessment.recorded")]
    AssessmentRecorded,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
