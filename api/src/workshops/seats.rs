//! Who holds a seat, in the database: the counts, the workshop lock, handing
//! free seats to the waiting list and giving a place up.
//!
//! **Seats.** Every change to who holds a seat — enrolment, cancellation,
//! a capacity change, erasure — runs in one write transaction
//! ([`WriteTxn`]) that first serialises on the workshop: `SELECT ... FOR
//! UPDATE` on its row on PostgreSQL, the write lock `begin_write` takes on
//! SQLite. Only then are the seats counted and the enrolment written, so the
//! count cannot go stale between the check and the insert (the classic
//! overbooking bug). A partial unique index backs "one active enrolment per
//! member and workshop".
//!
//! **Waiting list.** Arrival order, positions 1..n without gaps. A newcomer
//! never jumps the queue; a freed seat goes at once, in the same transaction,
//! to the head of the list, who is notified (and so is the counsellor who
//! enrolled them). Nobody is ever left waiting while a seat is free.
//!
//! Applies the pure rules of `allocation`; calls `common`, `authz::consent`
//! (is the enroller still the member's counsellor?) and notifications.

use std::collections::HashMap;

use chrono::Utc;
use entity::enrolment::{self, EnrolmentStatus};
use entity::webhook_event::EventType;
use entity::workshop::{self, WorkshopStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::allocation::{self, Seats};
use super::common::dated;
use crate::authz::consent;
use crate::db::WriteTxn;
use crate::error::{ApiError, ErrorCode};
use crate::notifications::notice::{self, Notice};
use crate::webhooks::events::{self, Subject};

#[derive(FromQueryResult)]
struct StatusCount {
    workshop_id: Uuid,
    status: EnrolmentStatus,
    n: i64,
}

/// Seats per workshop, in one statement, so the figures of a workshop are one
/// consistent snapshot.
pub(super) async fn seats(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Seats>, ApiError> {
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
        out.entry(row.workshop_id).or_default().add(row.status, row.n);
    }
    Ok(out)
}

pub(super) async fn seats_of(db: &impl ConnectionTrait, id: Uuid) -> Result<Seats, ApiError> {
    Ok(seats(db, &[id]).await?.remove(&id).unwrap_or_default())
}

/// Takes the workshop's lock for the rest of `txn` (see the module comment)
/// and returns the row as it is now.
pub(super) async fn lock_workshop(txn: &WriteTxn, id: Uuid) -> Result<workshop::Model, ApiError> {
    let mut query = workshop::Entity::find_by_id(id);
    if txn.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(txn).await?.ok_or(ApiError::NotFound)
}

/// [`lock_workshop`] for a change only a scheduled session takes (an edit,
/// an enrolment, attendance): a cancelled one is refused with 409.
pub(super) async fn lock_scheduled(txn: &WriteTxn, id: Uuid) -> Result<workshop::Model, ApiError> {
    let workshop = lock_workshop(txn, id).await?;
    if workshop.status == WorkshopStatus::Cancelled {
        return Err(ApiError::conflict_saying(
            ErrorCode::WorkshopCancelled,
            "problem.workshop_cancelled.workshop",
            &[],
        ));
    }
    Ok(workshop)
}

/// Moves the waiting list up by `by` places: everyone waiting, or only those
/// behind `behind` (the place someone just left).
async fn move_up(txn: &WriteTxn, workshop_id: Uuid, behind: Option<i32>, by: i32) -> Result<(), ApiError> {
    let mut query = enrolment::Entity::update_many()
        .col_expr(enrolment::Column::WaitlistPosition, Expr::col(enrolment::Column::WaitlistPosition).sub(by))
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted));
    if let Some(position) = behind {
        query = query.filter(enrolment::Column::WaitlistPosition.gt(position));
    }
    query.exec(txn).await?;
    Ok(())
}

/// Gives free seats to the head of the waiting list, renumbers the rest, and
/// notifies each promoted member and the counsellor who enrolled them. Call
/// with the workshop locked; returns the seats as they now are.
pub(super) async fn fill_free_seats(txn: &WriteTxn, workshop: &workshop::Model) -> Result<Seats, ApiError> {
    let counts = seats_of(txn, workshop.id).await?;
    let free = allocation::promotions(workshop, counts, Utc::now());
    if free == 0 {
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
    move_up(txn, workshop.id, None, promoted).await?;
    for head in heads {
        tell_promoted(txn, workshop, &head).await?;
    }
    Ok(counts.promoted(promoted))
}

/// The notices of a seat given from the waiting list: to the member, and to
/// the counsellor who enrolled them while they still accompany the member.
async fn tell_promoted(
    txn: &WriteTxn,
    workshop: &workshop::Model,
    head: &enrolment::Model,
) -> Result<(), ApiError> {
    let event = json!({"enrolment_id": head.id, "workshop_id": workshop.id, "member_id": head.member_id});
    events::emit(txn, EventType::EnrolmentPromoted, Subject::Member(head.member_id), event).await?;
    let data = json!({"workshop_id": workshop.id, "enrolment_id": head.id});
    let notice = Notice::new("workshop.seat_confirmed", "notice.workshop_seat_confirmed", data)
        .with("title", &workshop.title);
    notice::send(txn, head.member_id, dated(notice, workshop.starts_at)).await?;
    if head.enrolled_by != head.member_id
        && consent::active(txn, head.enrolled_by, head.member_id).await?.is_some()
    {
        let data = json!({"workshop_id": workshop.id, "enrolment_id": head.id, "member_id": head.member_id});
        let notice =
            Notice::new("workshop.seat_confirmed", "notice.workshop_seat_confirmed_for_member", data)
                .with("title", &workshop.title);
        notice::send(txn, head.enrolled_by, notice).await?;
    }
    Ok(())
}

/// Cancels the enrolment `enrolment_id` and hands its place on: those waiting
/// behind `queue_position` (the place it held, if the caller counts it as
/// waiting) move up one, then free seats go to the head of the list. Call with
/// the workshop locked.
pub(super) async fn release(
    txn: &WriteTxn,
    workshop: &workshop::Model,
    enrolment_id: Uuid,
    queue_position: Option<i32>,
    cancelled_by: Uuid,
) -> Result<(), ApiError> {
    let now = Utc::now();
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(EnrolmentStatus::Cancelled))
        .col_expr(enrolment::Column::WaitlistPosition, Expr::value(Option::<i32>::None))
        .col_expr(enrolment::Column::CancelledAt, Expr::value(now))
        .col_expr(enrolment::Column::CancelledBy, Expr::value(cancelled_by))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
        .filter(enrolment::Column::Id.eq(enrolment_id))
        .exec(txn)
        .await?;
    if let Some(position) = queue_position {
        move_up(txn, workshop.id, Some(position), 1).await?;
    }
    fill_free_seats(txn, workshop).await?;
    Ok(())
}
