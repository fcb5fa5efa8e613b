//! Feedback on a completed match: each party once; a learner's rating feeds
//! the mentor's average and the suggestion index.
//!
//! Calls `authz::mentoring` (who is a party) and the suggestion index
//! (`skills::offers`).

use chrono::Utc;
use entity::mentor_match::MatchStatus;
use entity::{match_feedback, mentor_profile, user};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::dto::{FeedbackView, NewFeedback};
use crate::authz::mentoring::MatchParty;
use crate::db::begin_write;
use crate::error::{ApiError, ErrorCode};
use crate::skills::offers;

/// One party's feedback on a completed match, once. A learner's rating
/// feeds the mentor's average, in the same transaction.
pub async fn feedback(
    db: &DatabaseConnection,
    caller: &user::Model,
    party: &MatchParty,
    new: NewFeedback,
) -> Result<FeedbackView, ApiError> {
    let id = party.row().id;
    if party.row().status != MatchStatus::Completed {
        return Err(ApiError::conflict(ErrorCode::MatchNotCompleted));
    }
    let subject = party.other_id();
    let txn = begin_write(db).await?;
    let saved = match_feedback::ActiveModel {
        id: Set(Uuid::now_v7()),
        match_id: Set(id),
        author_id: Set(caller.id),
        subject_id: Set(subject),
        rating: Set(new.rating),
        comment: Set(new.comment.map(|c| c.trim().to_owned())),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(ErrorCode::FeedbackExists),
        _ => err.into(),
    })?;
    if party.is_learner() {
        mentor_profile::Entity::update_many()
            .col_expr(
                mentor_profile::Column::RatingSum,
                Expr::col(mentor_profile::Column::RatingSum).add(i32::from(new.rating)),
            )
            .col_expr(
                mentor_profile::Column::RatingCount,
                Expr::col(mentor_profile::Column::RatingCount).add(1),
            )
            .filter(mentor_profile::Column::UserId.eq(subject))
            .exec(&txn)
            .await?;
        offers::refresh(&txn, subject).await?;
    }
    txn.commit().await?;
    Ok(FeedbackView {
        id: saved.id,
        match_id: saved.match_id,
        author_id: saved.author_id,
        subject_id: saved.subject_id,
        rating: saved.rating,
        comment: saved.comment,
        created_at: saved.created_at,
    })
}
