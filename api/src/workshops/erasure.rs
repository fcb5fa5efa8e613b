//! What erasing an account does to Impose-toi !: its places in sessions still
//! to come are given up and handed on, and the free text others wrote about
//! the person is deleted; past enrolments stay for the counts.
//!
//! Called by the account erasure inside its write transaction; calls `seats`.

use std::collections::BTreeSet;

use chrono::Utc;
use entity::enrolment::{self, EnrolmentStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::seats::{lock_workshop, release};
use crate::db::WriteTxn;
use crate::error::ApiError;

/// Gives up the person's seats and places in waiting lists of sessions still
/// to come, and clears the prerequisite-override reasons written about them.
pub async fn release_for_erasure(txn: &WriteTxn, user_id: Uuid) -> Result<(), ApiError> {
    let holding = [EnrolmentStatus::Confirmed, EnrolmentStatus::Waitlisted];
    let active = enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(user_id))
        .filter(enrolment::Column::Status.is_in(holding))
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
            .filter(enrolment::Column::Status.is_in(holding))
            .one(txn)
            .await?
        else {
            continue;
        };
        // Any position the row holds is given up, whatever its status.
        release(txn, &workshop, row.id, row.waitlist_position, user_id).await?;
    }
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::PrerequisiteOverrideReason, Expr::value(Option::<String>::None))
        .filter(enrolment::Column::MemberId.eq(user_id))
        .filter(enrolment::Column::PrerequisiteOverrideReason.is_not_null())
        .exec(txn)
        .await?;
    Ok(())
}
