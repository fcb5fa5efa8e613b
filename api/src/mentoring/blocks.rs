//! Who blocked whom, for many people at once: the match views hide contact
//! details across a block, cohort matching never pairs a blocked pair. The
//! visibility rule for one pair or a list is `authz::mentoring`; the block
//! and unblock actions live in `safety`.
//!
//! A leaf: calls only `entity`.

use std::collections::HashSet;

use entity::block;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::ApiError;

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
