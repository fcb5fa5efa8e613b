//! The roster of a session and the attendance marked on it, both for whoever
//! runs it: they take the [`Runs`] proof (its facilitator or an admin).
//!
//! Calls `seats` (the workshop lock), `views`, `common` and `authz`; marking
//! someone present awards the attendance badges (`credentials::awards`).

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::enrolment::{self, EnrolmentStatus};
use entity::program_module;
use entity::webhook_event::EventType;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::common::attended_modules;
use super::dto::{AttendanceMark, Attendee, EnrolmentsFilter};
use super::seats::lock_scheduled;
use super::views::{Order, attendee_views, enrolment_rows};
use crate::authz::workshops::Runs;
use crate::credentials::awards::{Earned, award};
use crate::db::{self, WriteTxn};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::i18n;
use crate::pagination::{Page, PageRequest};
use crate::webhooks::events::{self, Subject};

/// The most marks one request may carry.
const MAX_MARKS: usize = 500;

/// The attendee list of a session, waiting list included, in arrival order.
pub async fn attendees(
    db: &impl ConnectionTrait,
    runs: Runs,
    filter: &EnrolmentsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<Attendee>, ApiError> {
    let of_session = enrolment::Entity::find().filter(enrolment::Column::WorkshopId.eq(runs.workshop_id()));
    let rows = enrolment_rows(db, of_session, filter, &page, Order::ArrivalOrder).await?;
    Ok(Page::from_rows(attendee_views(db, rows).await?, page.limit, |a| a.enrolment.id))
}

/// What is wrong with each mark, by its index: an enrolment named twice, not
/// of this session, or that never held a seat.
fn mark_errors(marks: &[AttendanceMark], rows: &HashMap<Uuid, enrolment::Model>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (index, mark) in marks.iter().enumerate() {
        let field = format!("[{index}].enrolment_id");
        let problem = match rows.get(&mark.enrolment_id) {
            _ if !seen.insert(mark.enrolment_id) => Some(("duplicate", "field.attendance_duplicate")),
            None => Some(("unknown", "field.attendance_unknown_enrolment")),
            Some(row) if !EnrolmentStatus::SEATED.contains(&row.status) => {
                Some(("not_seated", "field.attendance_not_seated"))
            }
            Some(_) => None,
        };
        if let Some((code, message)) = problem {
            errors.push(FieldError { field, code: code.into(), message: i18n::t(message) });
        }
    }
    errors
}

/// Records who came, once the session has started. Only seated enrolments
/// can be marked; marks may be corrected.
pub async fn record_attendance(
    db: &DatabaseConnection,
    runs: Runs,
    marks: Vec<AttendanceMark>,
) -> Result<Vec<Attendee>, ApiError> {
    if marks.is_empty() || marks.len() > MAX_MARKS {
        return Err(ApiError::invalid_field(
            "",
            "length",
            "field.attendance_count",
            &[("max", &MAX_MARKS.to_string())],
        ));
    }
    let workshop_id = runs.workshop_id();
    let txn = db::begin_write(db).await?;
    let workshop = lock_scheduled(&txn, workshop_id).await?;
    if workshop.starts_at > Utc::now() {
        return Err(ApiError::conflict_saying(
            ErrorCode::WorkshopNotStarted,
            "problem.workshop_not_started.workshop",
            &[],
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
    let errors = mark_errors(&marks, &rows);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = Utc::now();
    for mark in &marks {
        enrolment::Entity::update_many()
            .col_expr(enrolment::Column::Status, Expr::value(EnrolmentStatus::from(mark.status)))
            .col_expr(enrolment::Column::AttendanceMarkedAt, Expr::value(now))
            .col_expr(enrolment::Column::AttendanceMarkedBy, Expr::value(runs.caller_id()))
            .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
            .filter(enrolment::Column::Id.eq(mark.enrolment_id))
            .exec(&txn)
            .await?;
        if let Some(member_id) = rows.get(&mark.enrolment_id).map(|row| row.member_id) {
            let event = json!({
                "enrolment_id": mark.enrolment_id, "workshop_id": workshop_id, "member_id": member_id,
                "status": mark.status,
            });
            events::emit(&txn, EventType::AttendanceRecorded, Subject::Member(member_id), event).await?;
        }
    }
    let updated = enrolment::Entity::find()
        .filter(enrolment::Column::Id.is_in(marks.iter().map(|m| m.enrolment_id)))
        .order_by_asc(enrolment::Column::Id)
        .all(&txn)
        .await?;
    award_attendance(&txn, workshop.module_id, &updated).await?;
    txn.commit().await?;
    attendee_views(db, updated).await
}

/// Badges of attendance, with the marks that earn them: the module, and the
/// whole programme once every module is attended. A corrected mark does not
/// take a badge back (a facilitator revokes it).
async fn award_attendance(
    txn: &WriteTxn,
    module_id: Uuid,
    marked: &[enrolment::Model],
) -> Result<(), ApiError> {
    let modules = program_module::Entity::find().count(&**txn).await?;
    for attendee in marked.iter().filter(|e| e.status == EnrolmentStatus::Attended) {
        award(txn, attendee.member_id, Earned::ModuleAttended { module_id }).await?;
        if attended_modules(&**txn, attendee.member_id).await?.len() as u64 >= modules {
            award(txn, attendee.member_id, Earned::ProgrammeCompleted).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::workshops::dto::Attendance;

    fn enrolment(status: EnrolmentStatus) -> enrolment::Model {
        let now = Utc::now();
        enrolment::Model {
            id: Uuid::now_v7(),
            workshop_id: Uuid::nil(),
            member_id: Uuid::now_v7(),
            status,
            waitlist_position: (status == EnrolmentStatus::Waitlisted).then_some(1),
            enrolled_by: Uuid::nil(),
            prerequisite_override_reason: None,
            prerequisite_overridden_by: None,
            confirmed_at: None,
            cancelled_at: None,
            cancelled_by: None,
            attendance_marked_at: None,
            attendance_marked_by: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn mark(enrolment_id: Uuid) -> AttendanceMark {
        AttendanceMark { enrolment_id, status: Attendance::Attended }
    }

    #[test]
    fn seated_enrolments_may_be_marked_and_marked_again() {
        let rows: HashMap<Uuid, enrolment::Model> =
            [EnrolmentStatus::Confirmed, EnrolmentStatus::Attended, EnrolmentStatus::NoShow]
                .map(enrolment)
                .into_iter()
                .map(|e| (e.id, e))
                .collect();
        let marks: Vec<AttendanceMark> = rows.keys().copied().map(mark).collect();
        assert!(mark_errors(&marks, &rows).is_empty());
    }

    #[test]
    fn each_bad_mark_is_named_by_its_index() {
        let waiting = enrolment(EnrolmentStatus::Waitlisted);
        let cancelled = enrolment(EnrolmentStatus::Cancelled);
        let seated = enrolment(EnrolmentStatus::Confirmed);
        let marks =
            [mark(seated.id), mark(waiting.id), mark(Uuid::now_v7()), mark(seated.id), mark(cancelled.id)];
        let rows = [seated, waiting, cancelled].into_iter().map(|e| (e.id, e)).collect();
        let found: Vec<(String, String)> =
            mark_errors(&marks, &rows).into_iter().map(|e| (e.field, e.code)).collect();
        let expected = [
            ("[1].enrolment_id", "not_seated"),
            ("[2].enrolment_id", "unknown"),
            ("[3].enrolment_id", "duplicate"),
            ("[4].enrolment_id", "not_seated"),
        ]
        .map(|(field, code)| (field.to_string(), code.to_string()));
        assert_eq!(found, expected);
    }
}
