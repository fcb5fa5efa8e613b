//! Feedback on a completed match: each party once; a learner's rating feeds
//! the mentor's average and the suggestion index.
//!
//! Calls `authz::mentoring` (who is a party) and the suggestion index
//! (`skills::offers`); the learner's feedback that completes a mentor's third
//! match awards them the Enchanteur badge (`credentials::awards`).

use chrono::Utc;
use entity::mentor_match::MatchStatus;
use entity::{match_feedback, mentor_match, mentor_profile, user};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

use super::dto::{FeedbackView, NewFeedback};
use crate::authz::mentoring::MatchParty;
use crate::credentials::awards::{Earned, award};
use crate::db::begin_write;
use crate::error::{ApiError, ErrorCode};
use crate::skills::offers;

/// Completed matches with the learner's feedback that make a mentor an
/// Enchanteur.
const ENCHANTEUR_MATCHES: u64 = 3;

/// The mentor's completed matches on which the learner gave feedback.
async fn mentored_with_feedback(db: &impl ConnectionTrait, mentor_id: Uuid) -> Result<u64, ApiError> {
    let completed = Query::select()
        .column(mentor_match::Column::Id)
        .from(mentor_match::Entity)
        .and_where(mentor_match::Column::MentorId.eq(mentor_id))
        .and_where(mentor_match::Column::Status.eq(MatchStatus::Completed))
        .to_owned();
    Ok(match_feedback::Entity::find()
        .filter(match_feedback::Column::SubjectId.eq(mentor_id))
        .filter(match_feedback::Column::MatchId.in_subquery(completed))
        .count(db)
        .await?)
}

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
        if mentored_with_feedback(&txn, subject).await? >= ENCHANTEUR_MATCHES {
            award(&txn, subject, Earned::Enchanteur).await?;
        }
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
