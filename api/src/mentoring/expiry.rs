//! Requests a mentor leaves unanswered expire `TREMPLIN_MATCH_REQUEST_TTL_DAYS`
//! after they were sent. Each request carries its deadline (`expires_at`);
//! a task inside the service sweeps them every [`SWEEP_EVERY`], and a mentor
//! who answers after the deadline finds it expired at once. Every replica may
//! sweep: each expiry is a conditional update, so a match expires (and its
//! parties are notified) once.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use entity::mentor_match::{self, MatchStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::db::begin_write;
use crate::error::ApiError;
use crate::notifications::notice::{self, Notice};

pub const SWEEP_EVERY: StdDuration = StdDuration::from_secs(10 * 60);
const BATCH: u64 = 200;

/// Expires one unanswered request; returns whether this call did it.
pub async fn expire_one(
    db: &DatabaseConnection,
    row: &mentor_match::Model,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let txn = begin_write(db).await?;
    let updated = mentor_match::Entity::update_many()
        .set(mentor_match::ActiveModel {
            status: Set(MatchStatus::Expired),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(mentor_match::Column::Id.eq(row.id))
        .filter(mentor_match::Column::Status.eq(MatchStatus::Requested))
        .filter(mentor_match::Column::ExpiresAt.lte(now))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Ok(false);
    }
    entity::match_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        match_id: Set(row.id),
        actor_id: Set(None),
        from_status: Set(Some(MatchStatus::Requested)),
        to_status: Set(MatchStatus::Expired),
        reason: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let data = json!({"match_id": row.id});
    let to_learner = Notice::new("match.expired", "notice.match_expired_for_learner", data.clone());
    notice::send(&txn, row.learner_id, to_learner).await?;
    let to_mentor = Notice::new("match.expired", "notice.match_expired_for_mentor", data);
    notice::send(&txn, row.mentor_id, to_mentor).await?;
    txn.commit().await?;
    Ok(true)
}

/// Expires every request whose deadline passed by `now`; returns their ids.
pub async fn expire_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<Uuid>, ApiError> {
    let mut expired = Vec::new();
    loop {
        let due = mentor_match::Entity::find()
            .filter(mentor_match::Column::Status.eq(MatchStatus::Requested))
            .filter(mentor_match::Column::ExpiresAt.lte(now))
            .order_by_asc(mentor_match::Column::ExpiresAt)
            .limit(BATCH)
            .all(db)
            .await?;
        let batch = due.len() as u64;
        for row in due {
            if expire_one(db, &row, now).await? {
                expired.push(row.id);
            }
        }
        if batch < BATCH {
            return Ok(expired);
        }
    }
}

/// The periodic sweep, started with the service.
pub async fn run_periodically(db: DatabaseConnection) {
    crate::periodic::every("match expiry", SWEEP_EVERY, SWEEP_EVERY, || async {
        expire_due(&db, Utc::now()).await.map(|expired| expired.len())
    })
    .await
}
