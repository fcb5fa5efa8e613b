//! Impose-toi ! rules: sessions, enrolment, the waiting list and attendance.
//!
//! **Seats.** Every change to who holds a seat — enrolment, cancellation,
//! a capacity change, erasure — runs in one transaction that first serialises
//! on the workshop: `SELECT ... FOR UPDATE` on its row on PostgreSQL, an
//! immediate (write-locked) transaction on SQLite. Only then are the seats
//! counted and the enrolment written, so the count cannot go stale between
//! the check and the insert (the classic overbooking bug). A partial unique
//! index backs "one active enrolment per member and workshop".
//!
//! **Waiting list.** Arrival order, positions 1..n without gaps. A newcomer
//! never jumps the queue; a freed seat goes at once, in the same transaction,
//! to the head of the list, who is notified (and so is the counsellor who
//! enrolled them). Nobody is ever left waiting while a seat is free.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::accompaniment::{self, AccompanimentStatus};
use entity::enrolment::{self, EnrolmentStatus};
use entity::workshop::{self, WorkshopStatus};
use entity::{Role, program, program_module, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::dto::{
    AttendanceMark, Attendee, EnrolmentView, EnrolmentsFilter, ModuleProgress, ModuleView, MyEnrolment,
    NewEnrolment, NewWorkshop, ProgramView, WorkshopPatch, WorkshopView, WorkshopsFilter, WorkshopsJourney,
};
use crate::accounts::party::parties;
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::notifications::service::{Body, Notice, notify, notify_naming};
use crate::pagination::{Page, PageRequest};

/// A member may cancel until this many hours before the start, unless the
/// session says otherwise.
pub const DEFAULT_CANCELLATION_DEADLINE_HOURS: i32 = 24;
const MAX_DURATION_HOURS: i64 = 12;
/// Enrolments shown in the journey.
const JOURNEY_ENROLMENTS: u64 = 50;

fn conflict(code: ErrorCode, detail: &str) -> ApiError {
    ApiError::Conflict { code, detail: detail.into() }
}

fn cancelled_workshop() -> ApiError {
    conflict(ErrorCode::WorkshopCancelled, "Cet atelier est annulé.")
}

fn already_enrolled() -> ApiError {
    conflict(
        ErrorCode::AlreadyEnrolled,
        "Cette personne est déjà inscrite à cet atelier (ou sur sa liste d'attente).",
    )
}

// --- the programme --------------------------------------------------------------

fn module_view(row: program_module::Model) -> ModuleView {
    let skill_codes = serde_json::from_value(row.skill_codes).unwrap_or_default();
    ModuleView {
        id: row.id,
        code: row.code,
        position: row.position,
        title: row.title,
        summary: row.summary,
        prerequisite_module_id: row.prerequisite_module_id,
        skill_codes,
    }
}

async fn program_views(
    db: &impl ConnectionTrait,
    programs: Vec<program::Model>,
) -> Result<Vec<ProgramView>, ApiError> {
    let mut modules: HashMap<Uuid, Vec<ModuleView>> = HashMap::new();
    for row in program_module::Entity::find()
        .filter(program_module::Column::ProgramId.is_in(programs.iter().map(|p| p.id)))
        .order_by_asc(program_module::Column::Position)
        .all(db)
        .await?
    {
        modules.entry(row.program_id).or_default().push(module_view(row));
    }
    Ok(programs
        .into_iter()
        .map(|p| ProgramView {
            modules: modules.remove(&p.id).unwrap_or_default(),
            id: p.id,
            code: p.code,
            name: p.name,
            summary: p.summary,
        })
        .collect())
}

pub async fn programs(
    db: &impl ConnectionTrait,
    page: PageRequest<Uuid>,
) -> Result<Page<ProgramView>, ApiError> {
    let mut query = program::Entity::find();
    if let Some(after) = page.after {
        query = query.filter(program::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(program::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(program_views(db, rows).await?, page.limit, |p| p.id))
}

pub async fn program(db: &impl ConnectionTrait, id: Uuid) -> Result<ProgramView, ApiError> {
    let row = program::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    program_views(db, vec![row]).await?.pop().ok_or(ApiError::NotFound)
}

// --- seats ------------------------------------------------------------------------

/// Seats held and people waiting, per workshop.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seats {
    pub seated: i32,
    pub waiting: i32,
}

#[derive(FromQueryResult)]
struct StatusCount {
    workshop_id: Uuid,
    status: EnrolmentStatus,
    n: i64,
}

/// One statement, so the figures of a workshop are one consistent snapshot.
async fn seats(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Seats>, ApiError> {
    let rows = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::WorkshopId)
        .column(enrolment::Column::Status)
        .column_as(Expr::from(Func::count(Expr::col(enrolment::Column::Id))), "n")
        .filter(enrolment::Column::WorkshopId.is_in(ids.iter().copied()))
        .filter(enrolment::Column::Status.is_in(EnrolmentStatus::ACTIVE))
        .group_by(enrolment::Column::WorkshopId)
        .group_by(enrolment::Column::Status)
        .into_model::<StatusCount>()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Seats> = HashMap::new();
    for row in rows {
        let entry = out.entry(row.workshop_id).or_default();
        if row.status == EnrolmentStatus::Waitlisted {
            entry.waiting += row.n as i32;
        } else {
            entry.seated += row.n as i32;
        }
    }
    Ok(out)
}

async fn seats_of(db: &impl ConnectionTrait, id: Uuid) -> Result<Seats, ApiError> {
    Ok(seats(db, &[id]).await?.remove(&id).unwrap_or_default())
}

/// Takes the workshop's lock for the rest of `txn` (see the module comment)
/// and returns the row as it is now.
async fn lock_workshop(txn: &DatabaseTransaction, id: Uuid) -> Result<workshop::Model, ApiError> {
    let mut query = workshop::Entity::find_by_id(id);
    if txn.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(txn).await?.ok_or(ApiError::NotFound)
}

/// Gives free seats to the head of the waiting list, renumbers the rest, and
/// notifies each promoted member and the counsellor who enrolled them. Call
/// with the workshop locked; returns the seats as they now are.
async fn fill_free_seats(txn: &DatabaseTransaction, workshop: &workshop::Model) -> Result<Seats, ApiError> {
    let counts = seats_of(txn, workshop.id).await?;
    let free = workshop.capacity - counts.seated;
    if workshop.status != WorkshopStatus::Scheduled
        || workshop.starts_at <= Utc::now()
        || free <= 0
        || counts.waiting == 0
    {
        return Ok(counts);
    }
    let heads = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::WaitlistPosition)
        .order_by_asc(enrolment::Column::Id)
        .limit(free as u64)
        .all(txn)
        .await?;
    let now = Utc::now();
    let promoted = heads.len() as i32;
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(EnrolmentStatus::Confirmed))
        .col_expr(enrolment::Column::WaitlistPosition, Expr::value(Option::<i32>::None))
        .col_expr(enrolment::Column::ConfirmedAt, Expr::value(now))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
        .filter(enrolment::Column::Id.is_in(heads.iter().map(|e| e.id)))
        .exec(txn)
        .await?;
    enrolment::Entity::update_many()
        .col_expr(
            enrolment::Column::WaitlistPosition,
            Expr::col(enrolment::Column::WaitlistPosition).sub(promoted),
        )
        .filter(enrolment::Column::WorkshopId.eq(workshop.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .exec(txn)
        .await?;
    for head in heads {
        let body = format!(
            "Une place s'est libérée : vous êtes inscrit·e à l'atelier « {} » du {}.",
            workshop.title,
            local_date(workshop.starts_at)
        );
        let data = json!({"workshop_id": workshop.id, "enrolment_id": head.id});
        notify(
            txn,
            head.member_id,
            Notice {
                kind: "workshop.seat_confirmed",
                title: "Votre place est confirmée",
                body: &body,
                data: data.clone(),
            },
        )
        .await?;
        if head.enrolled_by != head.member_id && accompanies(txn, head.enrolled_by, head.member_id).await? {
            let body = format!(
                "Une place s'est libérée à l'atelier « {} » : la personne que vous avez inscrite y a maintenant sa place.",
                workshop.title
            );
            let data =
                json!({"workshop_id": workshop.id, "enrolment_id": head.id, "member_id": head.member_id});
            notify(
                txn,
                head.enrolled_by,
                Notice { kind: "workshop.seat_confirmed", title: "Place confirmée", body: &body, data },
            )
            .await?;
        }
    }
    Ok(Seats { seated: counts.seated + promoted, waiting: counts.waiting - promoted })
}

/// A date and time a person in France reads: "10/03/2026 à 10:00".
fn local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y à %H:%M").to_string()
}

// --- who may do what ----------------------------------------------------------

/// The counsellor holds an active (consented, unrevoked) accompaniment of the member.
async fn accompanies(
    db: &impl ConnectionTrait,
    counsellor_id: Uuid,
    member_id: Uuid,
) -> Result<bool, ApiError> {
    Ok(accompaniment::Entity::find()
        .filter(accompaniment::Column::CounsellorId.eq(counsellor_id))
        .filter(accompaniment::Column::MemberId.eq(member_id))
        .filter(accompaniment::Column::Status.eq(AccompanimentStatus::Active))
        .one(db)
        .await?
        .is_some())
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
) -> Result<(), ApiError> {
    if caller.role != Role::Counsellor {
        return Err(ApiError::Forbidden);
    }
    if !accompanies(db, caller.id, member_id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

/// The session's facilitator, or an admin.
fn runs(caller: &user::Model, workshop: &workshop::Model) -> bool {
    caller.role == Role::Admin || workshop.facilitator_id == caller.id
}

async fn find_workshop(db: &impl ConnectionTrait, id: Uuid) -> Result<workshop::Model, ApiError> {
    workshop::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

async fn active_account(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<user::Model>, ApiError> {
    Ok(user::Entity::find_by_id(id)
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?)
}

// --- views ---------------------------------------------------------------------

fn calendar_path(id: Uuid) -> String {
    format!("/api/v1/workshops/{id}/calendar.ics")
}

async fn views(db: &impl ConnectionTrait, rows: Vec<workshop::Model>) -> Result<Vec<WorkshopView>, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|w| w.id).collect();
    let counts = seats(db, &ids).await?;
    let module_ids: HashSet<Uuid> = rows.iter().map(|w| w.module_id).collect();
    let programs: HashMap<Uuid, Uuid> = program_module::Entity::find()
        .filter(program_module::Column::Id.is_in(module_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.program_id))
        .collect();
    let names = parties(db, rows.iter().map(|w| w.facilitator_id)).await?;
    Ok(rows
        .into_iter()
        .map(|w| {
            let seats = counts.get(&w.id).copied().unwrap_or_default();
            let facilitator = names.get(w.facilitator_id);
            WorkshopView {
                program_id: programs.get(&w.module_id).copied().unwrap_or_default(),
                seats_left: std::cmp::max(w.capacity - seats.seated, 0),
                waitlist_length: seats.waiting,
                cancellation_deadline: w.starts_at
                    - Duration::hours(i64::from(w.cancellation_deadline_hours)),
                calendar_url: calendar_path(w.id),
                facilitator,
                id: w.id,
                module_id: w.module_id,
                title: w.title,
                description: w.description,
                starts_at: w.starts_at,
                ends_at: w.ends_at,
                location: w.location,
                capacity: w.capacity,
                status: w.status,
                cancellation_deadline_hours: w.cancellation_deadline_hours,
                sequence: w.sequence,
                cancelled_at: w.cancelled_at,
                cancel_reason: w.cancel_reason,
                created_at: w.created_at,
                updated_at: w.updated_at,
            }
        })
        .collect())
}

async fn view(db: &impl ConnectionTrait, row: workshop::Model) -> Result<WorkshopView, ApiError> {
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a workshop view went missing")))
}

pub fn enrolment_view(row: &enrolment::Model) -> EnrolmentView {
    EnrolmentView {
        id: row.id,
        workshop_id: row.workshop_id,
        member_id: row.member_id,
        status: row.status,
        waitlist_position: row.waitlist_position,
        enrolled_by: row.enrolled_by,
        prerequisite_overridden: row.prerequisite_overridden_by.is_some(),
        confirmed_at: row.confirmed_at,
        cancelled_at: row.cancelled_at,
        attendance_marked_at: row.attendance_marked_at,
        created_at: row.created_at,
    }
}

// --- sessions ---------------------------------------------------------------------

/// Sessions in start order, `(starts_at, id)` seek cursor.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &WorkshopsFilter,
    page: PageRequest<(DateTime<Utc>, Uuid)>,
) -> Result<Page<WorkshopView>, ApiError> {
    let mut query = workshop::Entity::find();
    if let Some(from) = filter.from {
        query = query.filter(workshop::Column::StartsAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(workshop::Column::StartsAt.lt(to));
    }
    if let Some(module_id) = filter.module_id {
        query = query.filter(workshop::Column::ModuleId.eq(module_id));
    }
    if let Some(has_seats) = filter.has_seats {
        let seated = Expr::cust(
            "(SELECT COUNT(*) FROM enrolments e WHERE e.workshop_id = workshops.id \
             AND e.status IN ('confirmed', 'attended', 'no_show'))",
        );
        let open = Condition::all()
            .add(workshop::Column::Status.eq(WorkshopStatus::Scheduled))
            .add(seated.lt(Expr::col((workshop::Entity, workshop::Column::Capacity))));
        query = query.filter(if has_seats { open } else { open.not() });
    }
    if let Some((starts_at, id)) = page.after {
        query = query.filter(Condition::any().add(workshop::Column::StartsAt.gt(starts_at)).add(
            Condition::all().add(workshop::Column::StartsAt.eq(starts_at)).add(workshop::Column::Id.gt(id)),
        ));
    }
    let rows = query
        .order_by_asc(workshop::Column::StartsAt)
        .order_by_asc(workshop::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(views(db, rows).await?, page.limit, |w| (w.starts_at, w.id)))
}

pub async fn detail(db: &impl ConnectionTrait, id: Uuid) -> Result<WorkshopView, ApiError> {
    view(db, find_workshop(db, id).await?).await
}

/// Time rules shared by creation and edits: in the future, ends after it
/// starts, at most 12 hours long.
fn check_times(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    must_be_future: bool,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if must_be_future && starts_at <= Utc::now() {
        errors.push(FieldError {
            field: "starts_at".into(),
            code: "in_the_past".into(),
            message: "La séance doit commencer dans le futur.".into(),
        });
    }
    if ends_at <= starts_at {
        errors.push(FieldError {
            field: "ends_at".into(),
            code: "before_start".into(),
            message: "La fin doit être après le début.".into(),
        });
    } else if ends_at - starts_at > Duration::hours(MAX_DURATION_HOURS) {
        errors.push(FieldError {
            field: "ends_at".into(),
            code: "too_long".into(),
            message: "Une séance dure au plus 12 heures.".into(),
        });
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &user::Model,
    input: NewWorkshop,
) -> Result<WorkshopView, ApiError> {
    check_times(input.starts_at, input.ends_at, true)?;
    let module = program_module::Entity::find_by_id(input.module_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::validation("module_id", "unknown", "Ce module n'existe pas."))?;
    let facilitator_id = match input.facilitator_id {
        None => caller.id,
        Some(id) => {
            let account = active_account(db, id).await?;
            if !account.is_some_and(|a| matches!(a.role, Role::Facilitator | Role::Admin)) {
                return Err(ApiError::validation(
                    "facilitator_id",
                    "not_a_facilitator",
                    "Cette personne n'est pas animatrice ou animateur.",
                ));
            }
            id
        }
    };
    let now = Utc::now();
    let row = workshop::ActiveModel {
        id: Set(Uuid::now_v7()),
        module_id: Set(module.id),
        facilitator_id: Set(facilitator_id),
        title: Set(input.title.unwrap_or(module.title)),
        description: Set(input.description),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        location: Set(input.location),
        capacity: Set(input.capacity),
        cancellation_deadline_hours: Set(input
            .cancellation_deadline_hours
            .unwrap_or(DEFAULT_CANCELLATION_DEADLINE_HOURS)),
        status: Set(WorkshopStatus::Scheduled),
        sequence: Set(0),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        created_by: Set(caller.id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    view(db, row).await
}

/// Active enrolments (seated or waiting) of a workshop, for notices.
async fn enrolled_members(txn: &DatabaseTransaction, workshop_id: Uuid) -> Result<Vec<Uuid>, ApiError> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Status.is_in([EnrolmentStatus::Confirmed, EnrolmentStatus::Waitlisted]))
        .order_by_asc(enrolment::Column::Id)
        .all(txn)
        .await?
        .into_iter()
        .map(|e| e.member_id)
        .collect())
}

/// Edits a session. A change a calendar shows raises `sequence`; a new time or
/// place is told to everyone enrolled; more seats go to the waiting list.
pub async fn update(
    db: &DatabaseConnection,
    caller: &user::Model,
    id: Uuid,
    patch: WorkshopPatch,
) -> Result<WorkshopView, ApiError> {
    if !runs(caller, &find_workshop(db, id).await?) {
        return Err(ApiError::Forbidden);
    }
    let txn = db::begin_write(db).await?;
    let current = lock_workshop(&txn, id).await?;
    if current.status == WorkshopStatus::Cancelled {
        return Err(cancelled_workshop());
    }
    let starts_at = patch.starts_at.unwrap_or(current.starts_at);
    let ends_at = patch.ends_at.unwrap_or(current.ends_at);
    if patch.starts_at.is_some() || patch.ends_at.is_some() {
        check_times(starts_at, ends_at, patch.starts_at.is_some_and(|s| s != current.starts_at))?;
    }
    if let Some(capacity) = patch.capacity
        && capacity < seats_of(&txn, id).await?.seated
    {
        return Err(conflict(
            ErrorCode::CapacityBelowSeatsTaken,
            "Plus de personnes sont déjà inscrites que cette nouvelle capacité.",
        ));
    }
    let moved = starts_at != current.starts_at
        || ends_at != current.ends_at
        || patch.location.as_ref().is_some_and(|l| *l != current.location);
    let shown = moved
        || patch.title.as_ref().is_some_and(|t| *t != current.title)
        || patch.description.as_ref().is_some_and(|d| Some(d) != current.description.as_ref());
    let mut row: workshop::ActiveModel = current.clone().into();
    row.starts_at = Set(starts_at);
    row.ends_at = Set(ends_at);
    if let Some(title) = patch.title {
        row.title = Set(title);
    }
    if let Some(description) = patch.description {
        row.description = Set(Some(description));
    }
    if let Some(location) = patch.location {
        row.location = Set(location);
    }
    if let Some(capacity) = patch.capacity {
        row.capacity = Set(capacity);
    }
    if let Some(hours) = patch.cancellation_deadline_hours {
        row.cancellation_deadline_hours = Set(hours);
    }
    if shown {
        row.sequence = Set(current.sequence + 1);
    }
    row.updated_at = Set(Utc::now());
    let updated = row.update(&txn).await?;
    fill_free_seats(&txn, &updated).await?;
    if moved {
        let body = format!(
            "L'atelier « {} » a changé : il a lieu le {} ({}).",
            updated.title,
            local_date(updated.starts_at),
            updated.location
        );
        for member in enrolled_members(&txn, id).await? {
            let data = json!({"workshop_id": id});
            notify(
                &txn,
                member,
                Notice { kind: "workshop.updated", title: "Atelier modifié", body: &body, data },
            )
            .await?;
        }
    }
    txn.commit().await?;
    detail(db, id).await
}

/// Cancels a session before it starts. Everyone enrolled or waiting is told;
/// calendars show it cancelled (the event stays, `STATUS:CANCELLED`).
pub async fn cancel(
    db: &DatabaseConnection,
    caller: &user::Model,
    id: Uuid,
    reason: Option<String>,
) -> Result<WorkshopView, ApiError> {
    if !runs(caller, &find_workshop(db, id).await?) {
        return Err(ApiError::Forbidden);
    }
    let txn = db::begin_write(db).await?;
    let current = lock_workshop(&txn, id).await?;
    if current.status == WorkshopStatus::Cancelled {
        return Err(cancelled_workshop());
    }
    if current.starts_at <= Utc::now() {
        return Err(conflict(ErrorCode::WorkshopStarted, "Cet atelier a déjà commencé."));
    }
    let now = Utc::now();
    let sequence = current.sequence + 1;
    let mut row: workshop::ActiveModel = current.into();
    row.status = Set(WorkshopStatus::Cancelled);
    row.sequence = Set(sequence);
    row.cancelled_at = Set(Some(now));
    row.cancel_reason = Set(reason.clone());
    row.updated_at = Set(now);
    let cancelled = row.update(&txn).await?;
    let body = || {
        let body = Body::default().text(&format!(
            "L'atelier « {} » du {} est annulé.",
            cancelled.title,
            local_date(cancelled.starts_at)
        ));
        match &reason {
            Some(reason) => body.text(" Raison : ").mention(caller.id, reason),
            None => body,
        }
    };
    for member in enrolled_members(&txn, id).await? {
        let data = json!({"workshop_id": id});
        notify_naming(&txn, member, ("workshop.cancelled", "Atelier annulé"), body(), data).await?;
    }
    txn.commit().await?;
    view(db, cancelled).await
}

// --- enrolment --------------------------------------------------------------------

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
    let member_id = input.member_id.unwrap_or(caller.id);
    let on_behalf = member_id != caller.id;
    if on_behalf {
        may_enrol_for(db, caller, member_id).await?;
    }
    if active_account(db, member_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    // The facilitator (or an admin) waives it for their own seat, the
    // counsellor for the member they accompany.
    let override_reason = input.prerequisite_override_reason;
    if override_reason.is_some() && !runs(caller, &workshop) && !on_behalf {
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
        return Err(conflict(
            ErrorCode::PrerequisiteNotMet,
            "Il faut d'abord avoir participé au module précédent du programme.",
        ));
    }

    let txn = db::begin_write(db).await?;
    let workshop = lock_workshop(&txn, workshop_id).await?;
    if workshop.status == WorkshopStatus::Cancelled {
        return Err(cancelled_workshop());
    }
    if workshop.starts_at <= Utc::now() {
        return Err(conflict(
            ErrorCode::EnrolmentClosed,
            "Cet atelier a déjà commencé : les inscriptions sont closes.",
        ));
    }
    let existing = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::MemberId.eq(member_id))
        .filter(enrolment::Column::Status.is_in(EnrolmentStatus::ACTIVE))
        .one(&txn)
        .await?;
    if existing.is_some() {
        return Err(already_enrolled());
    }
    // Counted under the lock. Also heals a free seat left beside a waiting
    // list, so a newcomer never passes someone who waited.
    let counts = fill_free_seats(&txn, &workshop).await?;
    let now = Utc::now();
    let (status, position, confirmed_at) = if counts.seated < workshop.capacity && counts.waiting == 0 {
        (EnrolmentStatus::Confirmed, None, Some(now))
    } else {
        (EnrolmentStatus::Waitlisted, Some(counts.waiting + 1), None)
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
    .insert(&txn)
    .await
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => already_enrolled(),
        _ => err.into(),
    })?;
    if on_behalf {
        let rest = match status {
            EnrolmentStatus::Confirmed => format!(
                " vous a inscrit·e à l'atelier « {} » du {} ({}).",
                workshop.title,
                local_date(workshop.starts_at),
                workshop.location
            ),
            _ => format!(
                " vous a inscrit·e sur la liste d'attente de l'atelier « {} » du {}. \
                 Vous serez prévenu·e si une place se libère.",
                workshop.title,
                local_date(workshop.starts_at)
            ),
        };
        let data = json!({"workshop_id": workshop_id, "enrolment_id": row.id});
        let body = Body::default().name(caller).text(&rest);
        notify_naming(&txn, member_id, ("workshop.enrolled", "Inscription à un atelier"), body, data).await?;
    }
    txn.commit().await?;
    Ok(enrolment_view(&row))
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
    if runs(caller, workshop) {
        return Ok(Access::Staff);
    }
    if caller.role == Role::Counsellor && accompanies(db, caller.id, row.member_id).await? {
        return Ok(Access::Staff);
    }
    Err(ApiError::NotFound)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Member,
    /// The counsellor, the facilitator, an admin: no deadline.
    Staff,
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
            return Err(conflict(ErrorCode::AttendanceRecorded, "La présence à cet atelier est déjà notée."));
        }
        EnrolmentStatus::Confirmed | EnrolmentStatus::Waitlisted => {}
    }
    let deadline = workshop.starts_at - Duration::hours(i64::from(workshop.cancellation_deadline_hours));
    if access == Access::Member && Utc::now() > deadline && workshop.status == WorkshopStatus::Scheduled {
        return Err(ApiError::Conflict {
            code: ErrorCode::CancellationDeadlinePassed,
            detail: format!(
                "Il n'est plus possible d'annuler soi-même (au plus tard {} heures avant). \
                 Prévenez l'animateur ou votre conseiller.",
                workshop.cancellation_deadline_hours
            ),
        });
    }
    let now = Utc::now();
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(EnrolmentStatus::Cancelled))
        .col_expr(enrolment::Column::WaitlistPosition, Expr::value(Option::<i32>::None))
        .col_expr(enrolment::Column::CancelledAt, Expr::value(now))
        .col_expr(enrolment::Column::CancelledBy, Expr::value(caller.id))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
        .filter(enrolment::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if let (EnrolmentStatus::Waitlisted, Some(position)) = (row.status, row.waitlist_position) {
        enrolment::Entity::update_many()
            .col_expr(
                enrolment::Column::WaitlistPosition,
                Expr::col(enrolment::Column::WaitlistPosition).sub(1),
            )
            .filter(enrolment::Column::WorkshopId.eq(workshop.id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
            .filter(enrolment::Column::WaitlistPosition.gt(position))
            .exec(&txn)
            .await?;
    }
    fill_free_seats(&txn, &workshop).await?;
    if caller.id != row.member_id {
        let body = Body::default().name(caller).text(&format!(
            " a annulé votre inscription à l'atelier « {} » du {}.",
            workshop.title,
            local_date(workshop.starts_at)
        ));
        let data = json!({"workshop_id": workshop.id, "enrolment_id": id});
        notify_naming(
            &txn,
            row.member_id,
            ("workshop.enrolment_cancelled", "Inscription annulée"),
            body,
            data,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The caller's enrolments, newest first.
pub async fn my_enrolments(
    db: &impl ConnectionTrait,
    member_id: Uuid,
    filter: &EnrolmentsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<MyEnrolment>, ApiError> {
    let mut query = enrolment::Entity::find().filter(enrolment::Column::MemberId.eq(member_id));
    if let Some(status) = filter.status {
        query = query.filter(enrolment::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        query = query.filter(enrolment::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(enrolment::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(with_workshops(db, rows).await?, page.limit, |e| e.enrolment.id))
}

async fn with_workshops(
    db: &impl ConnectionTrait,
    rows: Vec<enrolment::Model>,
) -> Result<Vec<MyEnrolment>, ApiError> {
    let workshop_ids: BTreeSet<Uuid> = rows.iter().map(|e| e.workshop_id).collect();
    let workshops = workshop::Entity::find().filter(workshop::Column::Id.is_in(workshop_ids)).all(db).await?;
    let by_id: HashMap<Uuid, WorkshopView> =
        views(db, workshops).await?.into_iter().map(|w| (w.id, w)).collect();
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(MyEnrolment {
                enrolment: enrolment_view(row),
                workshop: by_id.get(&row.workshop_id)?.clone(),
            })
        })
        .collect())
}

/// The attendee list of a session, in arrival order (facilitator, admins).
pub async fn attendees(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    workshop_id: Uuid,
    filter: &EnrolmentsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<Attendee>, ApiError> {
    let workshop = find_workshop(db, workshop_id).await?;
    if !runs(caller, &workshop) {
        return Err(ApiError::Forbidden);
    }
    let mut query = enrolment::Entity::find().filter(enrolment::Column::WorkshopId.eq(workshop_id));
    if let Some(status) = filter.status {
        query = query.filter(enrolment::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        query = query.filter(enrolment::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(enrolment::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(attendee_views(db, rows).await?, page.limit, |a| a.enrolment.id))
}

async fn attendee_views(
    db: &impl ConnectionTrait,
    rows: Vec<enrolment::Model>,
) -> Result<Vec<Attendee>, ApiError> {
    let names = parties(db, rows.iter().map(|r| r.member_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| Attendee {
            member: names.get(row.member_id),
            enrolment: enrolment_view(&row),
            prerequisite_override_reason: row.prerequisite_override_reason,
        })
        .collect())
}

/// Records who came, once the session has started (its facilitator, admins).
/// Only seated enrolments can be marked; marks may be corrected.
pub async fn record_attendance(
    db: &DatabaseConnection,
    caller: &user::Model,
    workshop_id: Uuid,
    marks: Vec<AttendanceMark>,
) -> Result<Vec<Attendee>, ApiError> {
    if !runs(caller, &find_workshop(db, workshop_id).await?) {
        return Err(ApiError::Forbidden);
    }
    if marks.is_empty() || marks.len() > 500 {
        return Err(ApiError::validation("", "length", "Envoyez de 1 à 500 présences."));
    }
    let txn = db::begin_write(db).await?;
    let workshop = lock_workshop(&txn, workshop_id).await?;
    if workshop.status == WorkshopStatus::Cancelled {
        return Err(cancelled_workshop());
    }
    if workshop.starts_at > Utc::now() {
        return Err(conflict(
            ErrorCode::WorkshopNotStarted,
            "Les présences se notent une fois l'atelier commencé.",
        ));
    }
    let rows: HashMap<Uuid, enrolment::Model> = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Id.is_in(marks.iter().map(|m| m.enrolment_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (index, mark) in marks.iter().enumerate() {
        let field = format!("[{index}].enrolment_id");
        let problem = match rows.get(&mark.enrolment_id) {
            _ if !seen.insert(mark.enrolment_id) => {
                Some(("duplicate", "Cette inscription apparaît deux fois."))
            }
            None => Some(("unknown", "Aucune inscription à cet atelier ne porte cet identifiant.")),
            Some(row) if !EnrolmentStatus::SEATED.contains(&row.status) => {
                Some(("not_seated", "Seules les personnes qui avaient une place peuvent être notées."))
            }
            Some(_) => None,
        };
        if let Some((code, message)) = problem {
            errors.push(FieldError { field, code: code.into(), message: message.into() });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = Utc::now();
    for mark in &marks {
        enrolment::Entity::update_many()
            .col_expr(enrolment::Column::Status, Expr::value(EnrolmentStatus::from(mark.status)))
            .col_expr(enrolment::Column::AttendanceMarkedAt, Expr::value(now))
            .col_expr(enrolment::Column::AttendanceMarkedBy, Expr::value(caller.id))
            .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
            .filter(enrolment::Column::Id.eq(mark.enrolment_id))
            .exec(&txn)
            .await?;
    }
    let updated = enrolment::Entity::find()
        .filter(enrolment::Column::Id.is_in(marks.iter().map(|m| m.enrolment_id)))
        .order_by_asc(enrolment::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    attendee_views(db, updated).await
}

// --- journey and erasure --------------------------------------------------------

/// Module ids the member attended a session of.
pub async fn attended_modules(db: &impl ConnectionTrait, member_id: Uuid) -> Result<HashSet<Uuid>, ApiError> {
    let workshop_ids: Vec<Uuid> = enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(member_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Attended))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.workshop_id)
        .collect();
    Ok(workshop::Entity::find()
        .filter(workshop::Column::Id.is_in(workshop_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.module_id)
        .collect())
}

/// The workshops section of a member's journey.
pub async fn journey(db: &impl ConnectionTrait, member_id: Uuid) -> Result<WorkshopsJourney, ApiError> {
    let attended = attended_modules(db, member_id).await?;
    let modules: Vec<ModuleProgress> = program_module::Entity::find()
        .order_by_asc(program_module::Column::ProgramId)
        .order_by_asc(program_module::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| ModuleProgress {
            completed: attended.contains(&m.id),
            module_id: m.id,
            code: m.code,
            title: m.title,
            position: m.position,
        })
        .collect();
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(member_id))
        .order_by_desc(enrolment::Column::Id)
        .limit(JOURNEY_ENROLMENTS)
        .all(db)
        .await?;
    Ok(WorkshopsJourney {
        program_completed: !modules.is_empty() && modules.iter().all(|m| m.completed),
        modules,
        enrolments: with_workshops(db, rows).await?,
    })
}

/// Erasure: the person's seats and places in waiting lists of sessions still
/// to come are given up (and handed on), and the free text others wrote about
/// them is deleted; past enrolments stay for the counts.
pub async fn release_for_erasure(txn: &DatabaseTransaction, user_id: Uuid) -> Result<(), ApiError> {
    let active = enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(user_id))
        .filter(enrolment::Column::Status.is_in([EnrolmentStatus::Confirmed, EnrolmentStatus::Waitlisted]))
        .all(txn)
        .await?;
    let workshop_ids: BTreeSet<Uuid> = active.iter().map(|e| e.workshop_id).collect();
    // Sorted: two erasures lock workshops in the same order.
    for workshop_id in workshop_ids {
        let workshop = lock_workshop(txn, workshop_id).await?;
        if workshop.starts_at <= Utc::now() {
            continue;
        }
        let Some(row) = enrolment::Entity::find()
            .filter(enrolment::Column::WorkshopId.eq(workshop_id))
            .filter(enrolment::Column::MemberId.eq(user_id))
            .filter(
                enrolment::Column::Status.is_in([EnrolmentStatus::Confirmed, EnrolmentStatus::Waitlisted]),
            )
            .one(txn)
            .await?
        else {
            continue;
        };
        let now = Utc::now();
        enrolment::Entity::update_many()
            .col_expr(enrolment::Column::Status, Expr::value(EnrolmentStatus::Cancelled))
            .col_expr(enrolment::Column::WaitlistPosition, Expr::value(Option::<i32>::None))
            .col_expr(enrolment::Column::CancelledAt, Expr::value(now))
            .col_expr(enrolment::Column::CancelledBy, Expr::value(user_id))
            .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
            .filter(enrolment::Column::Id.eq(row.id))
            .exec(txn)
            .await?;
        if let Some(position) = row.waitlist_position {
            enrolment::Entity::update_many()
                .col_expr(
                    enrolment::Column::WaitlistPosition,
                    Expr::col(enrolment::Column::WaitlistPosition).sub(1),
                )
                .filter(enrolment::Column::WorkshopId.eq(workshop_id))
                .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
                .filter(enrolment::Column::WaitlistPosition.gt(position))
                .exec(txn)
                .await?;
        }
        fill_free_seats(txn, &workshop).await?;
    }
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::PrerequisiteOverrideReason, Expr::value(Option::<String>::None))
        .filter(enrolment::Column::MemberId.eq(user_id))
        .filter(enrolment::Column::PrerequisiteOverrideReason.is_not_null())
        .exec(txn)
        .await?;
    Ok(())
}
