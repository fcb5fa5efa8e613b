//! Enrolment: taking a seat (or a place in the queue) for oneself or, with
//! the member's consent, for a member one accompanies; reading and cancelling
//! an enrolment; the member's own list.
//!
//! Enrolling someone else takes their [`Consent`]; taking and giving up a
//! seat run in a [`WriteTxn`] through `seats`. Calls `seats`, `allocation`,
//! `views`, `common`, `authz` and notifications.

use chrono::Utc;
use entity::enrolment::{self, EnrolmentStatus};
use entity::webhook_event::EventType;
use entity::workshop;
use entity::{Role, program_module, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::allocation::{self, Placement};
use super::common::{active_account, dated, find_workshop};
use super::dto::{EnrolmentView, EnrolmentsFilter, MyEnrolment, NewEnrolment};
use super::seats::{fill_free_seats, lock_scheduled, lock_workshop, release};
use super::views::{Order, enrolment_rows, enrolment_view, view, with_workshops};
use crate::authz::clients::{self, Scoped};
use crate::authz::consent::{self, Consent};
use crate::authz::workshops::runs;
use crate::db::{self, WriteTxn};
use crate::error::{ApiError, ErrorCode};
use crate::notifications::notice::{self, Notice};
use crate::pagination::{Page, PageRequest};
use crate::webhooks::events::{self, Subject};

fn already_enrolled() -> ApiError {
    ApiError::conflict_saying(ErrorCode::AlreadyEnrolled, "problem.already_enrolled.workshop", &[])
}

/// Whose seat an enrolment takes.
#[derive(Debug, Clone, Copy)]
enum Enrollee {
    /// The caller's own.
    Themself(Uuid),
    /// A member's, by the counsellor they consented to.
    Accompanied(Consent),
}

impl Enrollee {
    fn member_id(self) -> Uuid {
        match self {
            Self::Themself(id) => id,
            Self::Accompanied(consent) => consent.member_id(),
        }
    }
}

/// Only a counsellor the member consented to (an active accompaniment) may
/// enrol them: an enrolment made for someone else is a decision about their
/// time, and attendance marked on it lands in their record. Running a
/// session or the platform gives no such right: 403 for every other role,
/// whoever the member is; a counsellor without that consent gets 404 (the
/// member is not theirs).
async fn may_enrol_for(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    member_id: Uuid,
) -> Result<Consent, ApiError> {
    if caller.role != Role::Counsellor {
        return Err(ApiError::Forbidden);
    }
    consent::active(db, caller.id, member_id).await?.ok_or(ApiError::NotFound)
}

/// Whether the member attended a session of `module_id`.
async fn attended_module(
    db: &impl ConnectionTrait,
    member_id: Uuid,
    module_id: Uuid,
) -> Result<bool, ApiError> {
    let sessions = sea_orm::sea_query::Query::select()
        .column(workshop::Column::Id)
        .from(workshop::Entity)
        .and_where(workshop::Column::ModuleId.eq(module_id))
        .to_owned();
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(member_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Attended))
        .filter(enrolment::Column::WorkshopId.in_subquery(sessions))
        .one(db)
        .await?
        .is_some())
}

/// Enrols the caller, or a member they may enrol: `confirmed` while seats are
/// left, else `waitlisted` at the end of the queue.
pub async fn enrol(
    db: &DatabaseConnection,
    caller: &user::Model,
    workshop_id: Uuid,
    input: NewEnrolment,
) -> Result<EnrolmentView, ApiError> {
    let workshop = find_workshop(db, workshop_id).await?;
    let enrollee = match input.member_id {
        Some(member_id) if member_id != caller.id => {
            Enrollee::Accompanied(may_enrol_for(db, caller, member_id).await?)
        }
        _ => Enrollee::Themself(caller.id),
    };
    let member_id = enrollee.member_id();
    if active_account(db, member_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    // The facilitator (or an admin) waives it for their own seat, the
    // counsellor for the member they accompany.
    let override_reason = input.prerequisite_override_reason;
    if override_reason.is_some()
        && runs(caller, &workshop).is_none()
        && matches!(enrollee, Enrollee::Themself(_))
    {
        return Err(ApiError::Forbidden);
    }
    let module = program_module::Entity::find_by_id(workshop.module_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("workshop {workshop_id} has no module")))?;
    if let Some(previous) = module.prerequisite_module_id
        && override_reason.is_none()
        && !attended_module(db, member_id, previous).await?
    {
        return Err(ApiError::conflict_saying(
            ErrorCode::PrerequisiteNotMet,
            "problem.prerequisite_not_met.workshop",
            &[],
        ));
    }
    let txn = db::begin_write(db).await?;
    let row = take_seat(&txn, caller, workshop_id, enrollee, override_reason).await?;
    txn.commit().await?;
    Ok(enrolment_view(&row))
}

/// The enrolment itself, under the workshop's lock: a seat while one is free
/// and nobody waits, else the end of the queue. The member is told when
/// someone else enrolled them.
async fn take_seat(
    txn: &WriteTxn,
    caller: &user::Model,
    workshop_id: Uuid,
    enrollee: Enrollee,
    override_reason: Option<String>,
) -> Result<enrolment::Model, ApiError> {
    let member_id = enrollee.member_id();
    let workshop = lock_scheduled(txn, workshop_id).await?;
    if workshop.starts_at <= Utc::now() {
        return Err(ApiError::conflict_saying(
            ErrorCode::EnrolmentClosed,
            "problem.enrolment_closed.workshop",
            &[],
        ));
    }
    let existing = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::MemberId.eq(member_id))
        .filter(enrolment::Column::Status.is_in(EnrolmentStatus::ACTIVE))
        .one(txn)
        .await?;
    if existing.is_some() {
        return Err(already_enrolled());
    }
    // Counted under the lock. Also heals a free seat left beside a waiting
    // list, so a newcomer never passes someone who waited.
    let counts = fill_free_seats(txn, &workshop).await?;
    let now = Utc::now();
    let (status, position, confirmed_at) = match allocation::placement(workshop.capacity, counts) {
        Placement::Seat => (EnrolmentStatus::Confirmed, None, Some(now)),
        Placement::Queue(position) => (EnrolmentStatus::Waitlisted, Some(position), None),
    };
    let overridden_by = override_reason.as_ref().map(|_| caller.id);
    let row = enrolment::ActiveModel {
        id: Set(Uuid::now_v7()),
        workshop_id: Set(workshop_id),
        member_id: Set(member_id),
        status: Set(status),
        waitlist_position: Set(position),
        enrolled_by: Set(caller.id),
        prerequisite_override_reason: Set(override_reason),
        prerequisite_overridden_by: Set(overridden_by),
        confirmed_at: Set(confirmed_at),
        cancelled_at: Set(None),
        cancelled_by: Set(None),
        attendance_marked_at: Set(None),
        attendance_marked_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => already_enrolled(),
        _ => err.into(),
    })?;
    let event_type = match status {
        EnrolmentStatus::Confirmed => EventType::EnrolmentConfirmed,
        _ => EventType::EnrolmentWaitlisted,
    };
    let event = json!({
        "enrolment_id": row.id, "workshop_id": workshop_id, "member_id": member_id, "waitlist_position": position,
    });
    events::emit(txn, event_type, Subject::Member(member_id), event).await?;
    if let Enrollee::Accompanied(consent) = enrollee {
        let text = match status {
            EnrolmentStatus::Confirmed => "notice.workshop_enrolled",
            _ => "notice.workshop_waitlisted",
        };
        let data = json!({"workshop_id": workshop_id, "enrolment_id": row.id});
        let notice = Notice::new("workshop.enrolled", text, data)
            .naming("counsellor", caller)
            .with("title", &workshop.title)
            .with("location", &workshop.location);
        notice::send(txn, consent.member_id(), dated(notice, workshop.starts_at)).await?;
    }
    Ok(row)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Member,
    /// The counsellor, the facilitator, an admin: no deadline.
    Staff,
}

/// Who may see or cancel an enrolment: the member, a counsellor they
/// consented to, the session's facilitator, an admin. Anyone else: 404.
async fn may_manage(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    row: &enrolment::Model,
    workshop: &workshop::Model,
) -> Result<Access, ApiError> {
    if row.member_id == caller.id {
        return Ok(Access::Member);
    }
    if runs(caller, workshop).is_some() {
        return Ok(Access::Staff);
    }
    if caller.role == Role::Counsellor && consent::active(db, caller.id, row.member_id).await?.is_some() {
        return Ok(Access::Staff);
    }
    Err(ApiError::NotFound)
}

pub async fn enrolment(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    id: Uuid,
) -> Result<MyEnrolment, ApiError> {
    let row = enrolment::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    let workshop = find_workshop(db, row.workshop_id).await?;
    may_manage(db, caller, &row, &workshop).await?;
    Ok(MyEnrolment { enrolment: enrolment_view(&row), workshop: view(db, workshop).await? })
}

/// Cancels an enrolment; a seat it frees goes at once to the waiting list.
/// Members may cancel until the session's deadline; their counsellor and the
/// facilitator at any time. Cancelling twice is not an error.
pub async fn cancel_enrolment(
    db: &DatabaseConnection,
    caller: &user::Model,
    id: Uuid,
) -> Result<(), ApiError> {
    let found = enrolment::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    let access = may_manage(db, caller, &found, &find_workshop(db, found.workshop_id).await?).await?;
    let txn = db::begin_write(db).await?;
    let workshop = lock_workshop(&txn, found.workshop_id).await?;
    // Read again under the lock: it may have moved up the waiting list meanwhile.
    let row = enrolment::Entity::find_by_id(id).one(&txn).await?.ok_or(ApiError::NotFound)?;
    match row.status {
        EnrolmentStatus::Cancelled => return Ok(()),
        EnrolmentStatus::Attended | EnrolmentStatus::NoShow => {
            return Err(ApiError::conflict_saying(
                ErrorCode::AttendanceRecorded,
                "problem.attendance_recorded.workshop",
                &[],
            ));
        }
        EnrolmentStatus::Confirmed | EnrolmentStatus::Waitlisted => {}
    }
    if access == Access::Member && allocation::too_late_to_cancel(&workshop, Utc::now()) {
        return Err(ApiError::conflict_saying(
            ErrorCode::CancellationDeadlinePassed,
            "problem.cancellation_deadline_passed.workshop",
            &[("hours", &workshop.cancellation_deadline_hours.to_string())],
        ));
    }
    // Only a row still waiting leaves a gap in the queue.
    let queue_position = row.waitlist_position.filter(|_| row.status == EnrolmentStatus::Waitlisted);
    release(&txn, &workshop, id, queue_position, caller.id).await?;
    let event = json!({"enrolment_id": id, "workshop_id": workshop.id, "member_id": row.member_id});
    events::emit(&txn, EventType::EnrolmentCancelled, Subject::Member(row.member_id), event).await?;
    if caller.id != row.member_id {
        let data = json!({"workshop_id": workshop.id, "enrolment_id": id});
        let notice = Notice::new("workshop.enrolment_cancelled", "notice.workshop_enrolment_cancelled", data)
            .naming("person", caller)
            .with("title", &workshop.title);
        notice::send(&txn, row.member_id, dated(notice, workshop.starts_at)).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The audit action of an API client's read of a member's enrolments.
pub const ENROLMENTS_READ: &str = "enrolments.read";

/// A member's enrolments, newest first, for an API client whose organisation
/// accompanies them with consent; the read is audited, and without that
/// consent it is a 404.
pub async fn member_enrolments(
    db: &impl ConnectionTrait,
    scoped: &Scoped,
    member_id: Uuid,
    filter: &EnrolmentsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<MyEnrolment>, ApiError> {
    let consent = clients::consented_audited(db, scoped, member_id, ENROLMENTS_READ)
        .await?
        .ok_or(ApiError::NotFound)?;
    my_enrolments(db, consent.member_id(), filter, page).await
}

/// The caller's enrolments, newest first.
pub async fn my_enrolments(
    db: &impl ConnectionTrait,
    member_id: Uuid,
    filter: &EnrolmentsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<MyEnrolment>, ApiError> {
    let mine = enrolment::Entity::find().filter(enrolment::Column::MemberId.eq(member_id));
    let rows = enrolment_rows(db, mine, filter, &page, Order::NewestFirst).await?;
    Ok(Page::from_rows(with_workshops(db, rows).await?, page.limit, |e| e.enrolment.id))
}
