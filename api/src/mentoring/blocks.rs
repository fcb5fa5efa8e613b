//! Who blocked whom, read by the lifecycle, the match views, cohort matching
//! and the directory. The block and unblock actions live in `safety`.
//!
//! A leaf: calls only `entity`.

use std::collections::HashSet;

use entity::block;
use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::error::ApiError;

/// `column` is not someone `user_id` blocked, nor someone who blocked them.
pub fn not_blocked_with(column: impl ColumnTrait, user_id: Uuid) -> Condition {
    let blocked_by_user = Query::select()
        .column(block::Column::BlockedId)
        .from(block::Entity)
        .and_where(block::Column::BlockerId.eq(user_id))
        .to_owned();
    let blocking_user = Query::select()
        .column(block::Column::BlockerId)
        .from(block::Entity)
        .and_where(block::Column::BlockedId.eq(user_id))
        .to_owned();
    Condition::all().add(column.not_in_subquery(blocked_by_user)).add(column.not_in_subquery(blocking_user))
}

/// Whether `a` and `b` blocked each other, either way.
pub async fn blocked_between(db: &impl ConnectionTrait, a: Uuid, b: Uuid) -> Result<bool, ApiError> {
    let count = block::Entity::find()
        .filter(
            Condition::any()
                .add(block::Column::BlockerId.eq(a).and(block::Column::BlockedId.eq(b)))
                .add(block::Column::BlockerId.eq(b).and(block::Column::BlockedId.eq(a))),
        )
        .count(db)
        .await?;
    Ok(count > 0)
}

/// Those of `others` whom `user_id` blocked or who blocked `user_id`.
pub async fn blocked_with(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    others: &[Uuid],
) -> Result<HashSet<Uuid>, ApiError> {
    let rows = block::Entity::find()
        .filter(
            Condition::any()
                .add(
                    block::Column::BlockerId
                        .eq(user_id)
                        .and(block::Column::BlockedId.is_in(others.iter().copied())),
                )
                .add(
                    block::Column::BlockedId
                        .eq(user_id)
                        .and(block::Column::BlockerId.is_in(others.iter().copied())),
                ),
        )
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|b| if b.blocker_id == user_id { b.blocked_id } else { b.blocker_id }).collect())
}

/// Blocked pairs among `users`, both orders, for cohort matching.
pub async fn blocked_pairs(
    db: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<HashSet<(Uuid, Uuid)>, ApiError> {
    let rows = block::Entity::find()
        .filter(block::Column::BlockerId.is_in(users.iter().copied()))
        .filter(block::Column::BlockedId.is_in(users.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().flat_map(|b| [(b.blocker_id, b.blocked_id), (b.blocked_id, b.blocker_id)]).collect())
}
