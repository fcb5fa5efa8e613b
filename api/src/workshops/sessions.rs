//! Workshop sessions: listing, scheduling, editing and cancelling them.
//!
//! Editing and cancelling take the [`Runs`] proof (its facilitator or an
//! admin). A capacity raise hands the new seats to the waiting list in the
//! same write transaction. Calls `seats`, `views`, `common`, `authz` and
//! notifications.

use chrono::{DateTime, Duration, Utc};
use entity::enrolment::{self, EnrolmentStatus};
use entity::webhook_event::EventType;
use entity::workshop::{self, WorkshopStatus};
use entity::{Role, program_module, user};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::common::{active_account, dated, find_workshop};
use super::dto::{NewWorkshop, WorkshopPatch, WorkshopView, WorkshopsFilter};
use super::seats::{fill_free_seats, lock_scheduled, seats_of};
use super::views::{view, views};
use crate::authz::workshops::Runs;
use crate::db::{self, WriteTxn};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::i18n;
use crate::notifications::notice::{self, Notice};
use crate::organizations::directory;
use crate::pagination::{Page, PageRequest};
use crate::webhooks::events::{self, Subject};

/// A member may cancel until this many hours before the start, unless the
/// session says otherwise.
const DEFAULT_CANCELLATION_DEADLINE_HOURS: i32 = 24;
const MAX_DURATION_HOURS: i64 = 12;

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
            message: i18n::t("field.workshop_in_the_past"),
        });
    }
    if ends_at <= starts_at {
        errors.push(FieldError {
            field: "ends_at".into(),
            code: "before_start".into(),
            message: i18n::t("field.workshop_end_before_start"),
        });
    } else if ends_at - starts_at > Duration::hours(MAX_DURATION_HOURS) {
        errors.push(FieldError {
            field: "ends_at".into(),
            code: "too_long".into(),
            message: i18n::t_with("field.workshop_too_long", &[("max", &MAX_DURATION_HOURS.to_string())]),
        });
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

/// The size of `workshops.location`.
const LOCATION_MAX_CHARS: usize = 300;

pub async fn create(
    db: &DatabaseConnection,
    caller: &user::Model,
    input: NewWorkshop,
) -> Result<WorkshopView, ApiError> {
    check_times(input.starts_at, input.ends_at, true)?;
    let module = program_module::Entity::find_by_id(input.module_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::validation("module_id", "unknown", "field.unknown_module"))?;
    let facilitator_id = match input.facilitator_id {
        None => caller.id,
        Some(id) => {
            let account = active_account(db, id).await?;
            if !account.is_some_and(|a| matches!(a.role, Role::Facilitator | Role::Admin)) {
                return Err(ApiError::validation(
                    "facilitator_id",
                    "not_a_facilitator",
                    "field.not_a_facilitator",
                ));
            }
            id
        }
    };
    let place = match input.place_id {
        Some(place_id) => Some(directory::place(db, "place_id", place_id).await?),
        None => None,
    };
    let location = input
        .location
        .or_else(|| place.as_ref().map(|p| p.label(LOCATION_MAX_CHARS)))
        .ok_or_else(|| ApiError::validation("location", "required", "field.location_or_place"))?;
    let now = Utc::now();
    let row = workshop::ActiveModel {
        id: Set(Uuid::now_v7()),
        module_id: Set(module.id),
        facilitator_id: Set(facilitator_id),
        title: Set(input.title.unwrap_or(module.title)),
        description: Set(input.description),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        location: Set(location),
        place_id: Set(input.place_id),
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
async fn enrolled_members(txn: &WriteTxn, workshop_id: Uuid) -> Result<Vec<Uuid>, ApiError> {
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
    runs: Runs,
    patch: WorkshopPatch,
) -> Result<WorkshopView, ApiError> {
    let id = runs.workshop_id();
    let txn = db::begin_write(db).await?;
    let current = lock_scheduled(&txn, id).await?;
    let starts_at = patch.starts_at.unwrap_or(current.starts_at);
    let ends_at = patch.ends_at.unwrap_or(current.ends_at);
    if patch.starts_at.is_some() || patch.ends_at.is_some() {
        check_times(starts_at, ends_at, patch.starts_at.is_some_and(|s| s != current.starts_at))?;
    }
    if let Some(capacity) = patch.capacity
        && capacity < seats_of(&txn, id).await?.seated
    {
        return Err(ApiError::conflict_saying(
            ErrorCode::CapacityBelowSeatsTaken,
            "problem.capacity_below_seats_taken.workshop",
            &[],
        ));
    }
    let place = match patch.place_id {
        Some(place_id) => Some(directory::place(&*txn, "place_id", place_id).await?),
        None => None,
    };
    let location = patch.location.clone().or_else(|| place.as_ref().map(|p| p.label(LOCATION_MAX_CHARS)));
    let moved = starts_at != current.starts_at
        || ends_at != current.ends_at
        || location.as_ref().is_some_and(|l| *l != current.location);
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
    if let Some(location) = location {
        row.location = Set(location);
    }
    if let Some(place) = place {
        row.place_id = Set(Some(place.id));
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
        for member in enrolled_members(&txn, id).await? {
            let data = json!({"workshop_id": id});
            let notice = Notice::new("workshop.updated", "notice.workshop_updated", data)
                .with("title", &updated.title)
                .with("location", &updated.location);
            notice::send(&txn, member, dated(notice, updated.starts_at)).await?;
        }
    }
    txn.commit().await?;
    detail(db, id).await
}

/// Cancels a session before it starts. Everyone enrolled or waiting is told;
/// calendars show it cancelled (the event stays, `STATUS:CANCELLED`).
pub async fn cancel(
    db: &DatabaseConnection,
    runs: Runs,
    reason: Option<String>,
) -> Result<WorkshopView, ApiError> {
    let id = runs.workshop_id();
    let txn = db::begin_write(db).await?;
    let current = lock_scheduled(&txn, id).await?;
    if current.starts_at <= Utc::now() {
        return Err(ApiError::conflict_saying(
            ErrorCode::WorkshopStarted,
            "problem.workshop_started.workshop",
            &[],
        ));
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
    let event =
        json!({"workshop_id": id, "module_id": cancelled.module_id, "starts_at": cancelled.starts_at});
    events::emit(&txn, EventType::WorkshopCancelled, Subject::Public, event).await?;
    for member in enrolled_members(&txn, id).await? {
        let data = json!({"workshop_id": id});
        let notice = match &reason {
            Some(reason) => Notice::new("workshop.cancelled", "notice.workshop_cancelled_with_reason", data)
                .quoting("reason", runs.caller_id(), reason),
            None => Notice::new("workshop.cancelled", "notice.workshop_cancelled", data),
        };
        let notice = dated(notice.with("title", &cancelled.title), cancelled.starts_at);
        notice::send(&txn, member, notice).await?;
    }
    txn.commit().await?;
    view(db, cancelled).await
}
