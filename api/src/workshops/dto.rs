//! Bodies of the Impose-toi ! routes: the programme, workshop sessions,
//! enrolments, attendance and calendar feeds.

use chrono::{DateTime, Utc};
use entity::enrolment::EnrolmentStatus;
use entity::workshop::WorkshopStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::accounts::party::Party;
use crate::organizations::dto::PlaceRef;

/// A module of the programme, in its order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModuleView {
    pub id: Uuid,
    #[schema(example = "impose_toi.se_reveler")]
    pub code: String,
    /// 1, 2, 3...: the order of the programme.
    pub position: i32,
    pub title: String,
    pub summary: String,
    /// The module that must have been attended before enrolling in this one.
    pub prerequisite_module_id: Option<Uuid>,
    /// Codes of the `impose_toi` soft skills it builds.
    pub skill_codes: Vec<String>,
}

/// The programme with its ordered modules.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgramView {
    pub id: Uuid,
    #[schema(example = "impose_toi")]
    pub code: String,
    pub name: String,
    pub summary: String,
    pub modules: Vec<ModuleView>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkshopsFilter {
    /// Sessions starting at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Sessions starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub module_id: Option<Uuid>,
    /// `true`: only scheduled sessions with a free seat; `false`: only full or cancelled ones.
    pub has_seats: Option<bool>,
}

/// A workshop session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkshopView {
    pub id: Uuid,
    pub module_id: Uuid,
    pub program_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: String,
    /// The place of the directory it happens at, when it names one.
    pub place: Option<PlaceRef>,
    pub capacity: i32,
    /// Seats nobody holds yet (0 when full).
    pub seats_left: i32,
    /// People waiting for a seat.
    pub waitlist_length: i32,
    pub status: WorkshopStatus,
    /// A member may cancel until this many hours before the start.
    pub cancellation_deadline_hours: i32,
    /// `starts_at` minus `cancellation_deadline_hours`.
    pub cancellation_deadline: DateTime<Utc>,
    pub facilitator: Party,
    /// Raised at every change a calendar shows (iCalendar `SEQUENCE`).
    pub sequence: i32,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    /// The session as an iCalendar file.
    #[schema(
        example = "/api/v1/workshops/01936f0e-0000-7000-8000-000000000000/calendar.ics",
        format = "uri-reference"
    )]
    pub calendar_url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /workshops`.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NewWorkshop {
    pub module_id: Uuid,
    /// Defaults to the module's title.
    #[validate(length(min = 1, max = 120))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 2000))]
    pub description: Option<String>,
    /// In the future.
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`, at most 12 hours later.
    pub ends_at: DateTime<Utc>,
    /// Where it happens, as free text; defaults to the place's name and
    /// address when `place_id` is given (one of the two is required).
    #[validate(length(min = 1, max = 300))]
    pub location: Option<String>,
    /// A place of the directory (an organisation) where it happens.
    pub place_id: Option<Uuid>,
    #[validate(range(min = 1, max = 500))]
    pub capacity: i32,
    /// Default 24.
    #[validate(range(min = 0, max = 720))]
    pub cancellation_deadline_hours: Option<i32>,
    /// Who runs it (a facilitator or an admin); by default whoever creates it.
    pub facilitator_id: Option<Uuid>,
}

/// `PATCH /workshops/{id}`: the fields to change.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct WorkshopPatch {
    #[validate(length(min = 1, max = 120))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 2000))]
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[validate(length(min = 1, max = 300))]
    pub location: Option<String>,
    /// Moves it to this place of the directory (and its `location` to the
    /// place's name and address unless `location` is given too).
    pub place_id: Option<Uuid>,
    /// Raising it gives the new seats to the waiting list at once; it cannot go
    /// below the seats already taken.
    #[validate(range(min = 1, max = 500))]
    pub capacity: Option<i32>,
    #[validate(range(min = 0, max = 720))]
    pub cancellation_deadline_hours: Option<i32>,
}

/// `POST /workshops/{id}/cancel`; the body is optional.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct CancelWorkshop {
    /// Told to everyone enrolled.
    #[validate(length(min = 1, max = 500))]
    pub reason: Option<String>,
}

/// `POST /workshops/{id}/enrolments`; the body is optional for self-enrolment.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct NewEnrolment {
    /// Someone else to enrol: counsellors only, for a member who consented to
    /// their accompaniment (403 for any other role, 404 for a member who did not).
    pub member_id: Option<Uuid>,
    /// Enrol although the previous module was not attended, recording why: a
    /// counsellor for the member they enrol, the session's facilitator or an
    /// admin for their own seat.
    #[validate(length(min = 3, max = 500))]
    pub prerequisite_override_reason: Option<String>,
}

/// An enrolment. `waitlist_position` (1 = next to get a seat) only while waitlisted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentView {
    pub id: Uuid,
    pub workshop_id: Uuid,
    pub member_id: Uuid,
    pub status: EnrolmentStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<i32>,
    pub enrolled_by: Uuid,
    pub prerequisite_overridden: bool,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub attendance_marked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One of the caller's enrolments with the session it is for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyEnrolment {
    #[serde(flatten)]
    pub enrolment: EnrolmentView,
    pub workshop: WorkshopView,
}

/// A line of the attendee list (facilitators, admins).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attendee {
    #[serde(flatten)]
    pub enrolment: EnrolmentView,
    pub member: Party,
    /// Why the prerequisite was waived.
    pub prerequisite_override_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnrolmentsFilter {
    pub status: Option<EnrolmentStatus>,
}

/// What the facilitator saw: `attended` or `no_show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Attended,
    NoShow,
}

impl From<Attendance> for EnrolmentStatus {
    fn from(value: Attendance) -> Self {
        match value {
            Attendance::Attended => EnrolmentStatus::Attended,
            Attendance::NoShow => EnrolmentStatus::NoShow,
        }
    }
}

/// One line of `POST /workshops/{id}/attendance`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AttendanceMark {
    pub enrolment_id: Uuid,
    pub status: Attendance,
}

/// `GET /me/calendar-feed`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarFeed {
    /// Subscribe to it in a calendar application. Keep it secret: whoever has
    /// it sees your workshops. Revoke it with `DELETE /me/calendar-feed`.
    #[schema(example = "https://tremplin.example/api/v1/calendar/Zm9vYmFy.ics", format = "uri")]
    pub url: String,
    pub created_at: DateTime<Utc>,
}

/// A member's workshops in their journey.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkshopsJourney {
    /// Per module of the programme: attended or not.
    pub modules: Vec<ModuleProgress>,
    /// All three modules attended.
    pub program_completed: bool,
    /// Enrolments, newest first (the 50 latest).
    pub enrolments: Vec<MyEnrolment>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModuleProgress {
    pub module_id: Uuid,
    pub code: String,
    pub title: String,
    pub position: i32,
    /// A session of this module attended.
    pub completed: bool,
}
