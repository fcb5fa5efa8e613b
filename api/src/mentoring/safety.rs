//! Safety: reports (kept for admins) and blocks. A blocked pair, whichever
//! way, is never suggested, cannot ask or accept each other, and neither sees
//! the other's profile; blocking also ends what was open between them.
//!
//! Calls `lifecycle` (blocking ends the open matches) and `authz::mentoring`
//! (a report names a match the two share).

use chrono::Utc;
use entity::{block, mentor_match, report, user};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::dto::{BlockView, NewReport, ReportReceipt, ReportView};
use super::lifecycle;
use crate::accounts::party::{Party, parties};
use crate::authz::mentoring::match_party;
use crate::db::begin_write;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};

/// An active account other than the caller, for the body field `field`.
async fn other_account(
    db: &impl ConnectionTrait,
    caller: Uuid,
    id: Uuid,
    field: &str,
) -> Result<user::Model, ApiError> {
    if id == caller {
        return Err(ApiError::validation(field, "self", "field.not_yourself"));
    }
    user::Entity::find_by_id(id)
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::validation(field, "unknown_user", "field.person_unknown"))
}

/// Blocks someone. What was open between the pair ends at once: proposals
/// and requests are withdrawn or declined, an accepted match is cancelled;
/// the other party is told the match ended, never that they were blocked.
pub async fn block(
    db: &DatabaseConnection,
    caller: &user::Model,
    other_id: Uuid,
) -> Result<BlockView, ApiError> {
    let other = other_account(db, caller.id, other_id, "user_id").await?;
    let txn = begin_write(db).await?;
    let now = Utc::now();
    block::ActiveModel { blocker_id: Set(caller.id), blocked_id: Set(other.id), created_at: Set(now) }
        .insert(&txn)
        .await
        .map_err(|err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                ApiError::conflict(ErrorCode::AlreadyBlocked)
            }
            _ => err.into(),
        })?;
    let open = mentor_match::Entity::find()
        .filter(mentor_match::Column::Status.is_in(mentor_match::MatchStatus::OPEN))
        .filter(
            Condition::any()
                .add(
                    mentor_match::Column::LearnerId
                        .eq(caller.id)
                        .and(mentor_match::Column::MentorId.eq(other.id)),
                )
                .add(
                    mentor_match::Column::LearnerId
                        .eq(other.id)
                        .and(mentor_match::Column::MentorId.eq(caller.id)),
                ),
        )
        .all(&txn)
        .await?;
    for row in open {
        lifecycle::end_for_safety(&txn, &row, caller).await?;
    }
    txn.commit().await?;
    Ok(BlockView { user: Party { id: other.id, display_name: other.display_name }, created_at: now })
}

pub async fn unblock(db: &impl ConnectionTrait, caller: Uuid, other: Uuid) -> Result<(), ApiError> {
    let deleted = block::Entity::delete_many()
        .filter(block::Column::BlockerId.eq(caller))
        .filter(block::Column::BlockedId.eq(other))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 { Err(ApiError::NotFound) } else { Ok(()) }
}

/// The people the caller blocked, newest first. Who blocked the caller is
/// never listed.
pub async fn my_blocks(
    db: &impl ConnectionTrait,
    caller: Uuid,
    page: PageRequest<(chrono::DateTime<Utc>, Uuid)>,
) -> Result<Page<BlockView>, ApiError> {
    let mut query = block::Entity::find().filter(block::Column::BlockerId.eq(caller));
    if let Some((at, id)) = page.after {
        query = query.filter(
            Condition::any()
                .add(block::Column::CreatedAt.lt(at))
                .add(block::Column::CreatedAt.eq(at).and(block::Column::BlockedId.lt(id))),
        );
    }
    let rows = query
        .order_by_desc(block::Column::CreatedAt)
        .order_by_desc(block::Column::BlockedId)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let names = parties(db, rows.iter().map(|b| b.blocked_id)).await?;
    let views = rows
        .into_iter()
        .map(|b| BlockView { user: names.get(b.blocked_id), created_at: b.created_at })
        .collect();
    Ok(Page::from_rows(views, page.limit, |b| (b.created_at, b.user.id)))
}

/// Stores a report for the admins. A match, when given, must be one the
/// reporter and the reported person share (for a mentor, not a proposal the
/// learner has not sent: that one does not exist for them yet).
pub async fn report(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    new: NewReport,
) -> Result<ReportReceipt, ApiError> {
    let reported = other_account(db, caller.id, new.reported_user_id, "reported_user_id").await?;
    if let Some(match_id) = new.match_id {
        let shared = match_party(db, match_id, caller.id).await?.is_some_and(|p| p.other_id() == reported.id);
        if !shared {
            return Err(ApiError::validation("match_id", "unknown_match", "field.shared_match_unknown"));
        }
    }
    let row = report::ActiveModel {
        id: Set(Uuid::now_v7()),
        reporter_id: Set(caller.id),
        reported_user_id: Set(reported.id),
        match_id: Set(new.match_id),
        reason: Set(Some(new.reason.trim().to_owned())),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(ReportReceipt {
        id: row.id,
        reported_user_id: row.reported_user_id,
        match_id: row.match_id,
        created_at: row.created_at,
    })
}

/// Every report, newest first (admins).
pub async fn reports(
    db: &impl ConnectionTrait,
    page: PageRequest<Uuid>,
) -> Result<Page<ReportView>, ApiError> {
    let mut query = report::Entity::find();
    if let Some(after) = page.after {
        query = query.filter(report::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(report::Column::Id).limit(page.limit + 1).all(db).await?;
    let names = parties(db, rows.iter().flat_map(|r| [r.reporter_id, r.reported_user_id])).await?;
    let party = |id: Uuid| names.get(id);
    let views = rows
        .into_iter()
        .map(|r| ReportView {
            id: r.id,
            reporter: party(r.reporter_id),
            reported: party(r.reported_user_id),
            match_id: r.match_id,
            reason: r.reason,
            created_at: r.created_at,
        })
        .collect();
    Ok(Page::from_rows(views, page.limit, |r| r.id))
}
