//! What the API shows of sessions and enrolments: the view builders, for one
//! row or a batch in a few queries, and the paged enrolment reads behind the
//! lists.
//!
//! Calls `seats` (counts), `allocation` (the cancellation deadline) and
//! `accounts::party` (names).

use std::collections::{BTreeSet, HashMap, HashSet};

use entity::{enrolment, program_module, workshop};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use uuid::Uuid;

use super::allocation::cancellation_deadline;
use super::dto::{Attendee, EnrolmentView, EnrolmentsFilter, MyEnrolment, WorkshopView};
use super::seats::seats;
use crate::accounts::party::parties;
use crate::error::ApiError;
use crate::organizations::directory;
use crate::pagination::PageRequest;

fn calendar_path(id: Uuid) -> String {
    format!("/api/v1/workshops/{id}/calendar.ics")
}

pub(super) async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<workshop::Model>,
) -> Result<Vec<WorkshopView>, ApiError> {
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
    let places = directory::places(db, rows.iter().filter_map(|w| w.place_id)).await?;
    Ok(rows
        .into_iter()
        .map(|w| {
            let seats = counts.get(&w.id).copied().unwrap_or_default();
            let facilitator = names.get(w.facilitator_id);
            WorkshopView {
                program_id: programs.get(&w.module_id).copied().unwrap_or_default(),
                seats_left: seats.left(w.capacity),
                waitlist_length: seats.waiting,
                cancellation_deadline: cancellation_deadline(&w),
                calendar_url: calendar_path(w.id),
                facilitator,
                id: w.id,
                module_id: w.module_id,
                title: w.title,
                description: w.description,
                starts_at: w.starts_at,
                ends_at: w.ends_at,
                location: w.location,
                place: w.place_id.and_then(|id| places.get(&id).cloned()),
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

pub(super) async fn view(db: &impl ConnectionTrait, row: workshop::Model) -> Result<WorkshopView, ApiError> {
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a workshop view went missing")))
}

pub(super) fn enrolment_view(row: &enrolment::Model) -> EnrolmentView {
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

/// Enrolments with their sessions, in the order given.
pub(super) async fn with_workshops(
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

/// Enrolments as the facilitator sees them: with the member's name and the
/// reason a prerequisite was waived.
pub(super) async fn attendee_views(
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

/// Which way a list of enrolments runs; the id is its seek cursor.
#[derive(Debug, Clone, Copy)]
pub(super) enum Order {
    NewestFirst,
    ArrivalOrder,
}

/// One page of the enrolments `query` selects, of `filter`'s status, with
/// the one row more that tells `Page::from_rows` whether a next page exists.
pub(super) async fn enrolment_rows(
    db: &impl ConnectionTrait,
    query: Select<enrolment::Entity>,
    filter: &EnrolmentsFilter,
    page: &PageRequest<Uuid>,
    order: Order,
) -> Result<Vec<enrolment::Model>, ApiError> {
    let mut query = query;
    if let Some(status) = filter.status {
        query = query.filter(enrolment::Column::Status.eq(status));
    }
    let query = match order {
        Order::NewestFirst => {
            if let Some(after) = page.after {
                query = query.filter(enrolment::Column::Id.lt(after));
            }
            query.order_by_desc(enrolment::Column::Id)
        }
        Order::ArrivalOrder => {
            if let Some(after) = page.after {
                query = query.filter(enrolment::Column::Id.gt(after));
            }
            query.order_by_asc(enrolment::Column::Id)
        }
    };
    Ok(query.limit(page.limit + 1).all(db).await?)
}
