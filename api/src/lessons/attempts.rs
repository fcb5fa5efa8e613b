//! A member's attempt at the published version of a lesson: starting it,
//! grading each answer (the first one schedules the exercise for review), and
//! completing it for score and XP. Calls `rows`, `exercises`, `review`,
//! `learning_days` and `progress`; a mastered lesson awards its DigComp
//! level badge (`credentials::awards`).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::lesson::LessonStatus;
use entity::webhook_event::EventType;
use entity::{attempt_answer, exercise, lesson_attempt, lesson_version, user};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    Iterable, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::dto::{AnswerResult, AttemptView, CompletionResult};
use super::exercises::{correct_answer, feedback, grade_exercise};
use super::grading::Answer;
use super::learning_days::{record_learning_day, streak_of};
use super::progress::{MASTERED_SCORE, member_mastery, next_lessons};
use super::review;
use super::rows::{exercise_ids_of, find_lesson, find_version};
use crate::credentials::awards::{Earned, award};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::webhooks::events::{self, Subject};

/// XP for completing a lesson, plus one per exercise right at the first try.
pub const COMPLETION_XP: i32 = 10;
pub const FIRST_TRY_BONUS_XP: i32 = 1;
/// After this many tries the right answer is shown, so nobody stays stuck.
const TRIES_BEFORE_REVEAL: i32 = 2;

/// Starts an attempt on the published version.
pub async fn start_attempt(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    lesson_id: Uuid,
) -> Result<AttemptView, ApiError> {
    let lesson = find_lesson(db, lesson_id).await?;
    let version = lesson
        .published_version
        .filter(|_| lesson.status == LessonStatus::Published)
        .ok_or(ApiError::NotFound)?;
    let version = find_version(db, lesson_id, version).await?;
    let attempt = lesson_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        lesson_id: Set(lesson_id),
        lesson_version_id: Set(version.id),
        lesson_version: Set(version.version),
        started_at: Set(Utc::now()),
        completed_at: Set(None),
        score: Set(None),
        xp_awarded: Set(0),
    }
    .insert(db)
    .await?;
    Ok(AttemptView {
        id: attempt.id,
        lesson_id,
        lesson_version: attempt.lesson_version,
        started_at: attempt.started_at,
    })
}

/// The caller's attempt; anyone else's is "not found".
async fn own_attempt(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> Result<lesson_attempt::Model, ApiError> {
    lesson_attempt::Entity::find_by_id(id)
        .filter(lesson_attempt::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

fn already_completed() -> ApiError {
    ApiError::conflict(ErrorCode::AttemptCompleted)
}

/// What answering reads of the database, in one query: whether the caller's
/// attempt exists and is completed, and the exercise if it belongs to the
/// attempt's version.
async fn answer_context(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    attempt_id: Uuid,
    exercise_id: Uuid,
) -> Result<(Option<DateTime<Utc>>, Option<exercise::Model>), ApiError> {
    let (attempt, exercise) = (Alias::new("a"), Alias::new("e"));
    let mut query = Query::select();
    query
        .expr_as(
            Expr::col((attempt.clone(), lesson_attempt::Column::CompletedAt)),
            Alias::new("completed_at"),
        )
        .from_as(lesson_attempt::Entity, attempt.clone())
        .join_as(
            JoinType::LeftJoin,
            exercise::Entity,
            exercise.clone(),
            Expr::col((exercise.clone(), exercise::Column::LessonVersionId))
                .equals((attempt.clone(), lesson_attempt::Column::LessonVersionId))
                .and(Expr::col((exercise.clone(), exercise::Column::Id)).eq(exercise_id)),
        )
        .and_where(Expr::col((attempt.clone(), lesson_attempt::Column::Id)).eq(attempt_id))
        .and_where(Expr::col((attempt, lesson_attempt::Column::UserId)).eq(user_id));
    for column in exercise::Column::iter() {
        query.column((exercise.clone(), column));
    }
    let row = db.query_one(&query).await?.ok_or(ApiError::NotFound)?;
    let completed_at = row.try_get::<Option<DateTime<Utc>>>("", "completed_at")?;
    let exercise = match row.try_get::<Option<Uuid>>("", "id")? {
        Some(_) => Some(exercise::Model::from_query_result(&row, "")?),
        None => None,
    };
    Ok((completed_at, exercise))
}

/// Grades one answer of an attempt. Wrong answers only add a try. Four
/// round trips on PostgreSQL (begin, one read, one upsert, commit), two more
/// for the first answer to an exercise, which schedules its review.
pub async fn answer(
    db: &DatabaseConnection,
    user_id: Uuid,
    attempt_id: Uuid,
    exercise_id: Uuid,
    answer: &Answer,
) -> Result<AnswerResult, ApiError> {
    let txn = db::begin_write(db).await?;
    let (completed_at, exercise) = answer_context(&txn, user_id, attempt_id, exercise_id).await?;
    if completed_at.is_some() {
        return Err(already_completed());
    }
    let exercise = exercise
        .ok_or_else(|| ApiError::validation("exercise_id", "unknown", "field.exercise_not_in_lesson"))?;
    let (correct, key) = grade_exercise(&exercise, answer)?;
    let row = attempt_answer::ActiveModel {
        attempt_id: Set(attempt_id),
        exercise_id: Set(exercise_id),
        tries: Set(1),
        correct: Set(correct),
        first_try_correct: Set(correct),
        answered_at: Set(Utc::now()),
    };
    // A later try counts one more and stays correct once it was; the
    // database counts, so tries answered together are all counted.
    let stored = attempt_answer::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([attempt_answer::Column::AttemptId, attempt_answer::Column::ExerciseId])
                .value(
                    attempt_answer::Column::Tries,
                    Expr::col((attempt_answer::Entity, attempt_answer::Column::Tries)).add(1),
                )
                .value(
                    attempt_answer::Column::Correct,
                    Expr::col((attempt_answer::Entity, attempt_answer::Column::Correct))
                        .or(Expr::col((Alias::new("excluded"), attempt_answer::Column::Correct))),
                )
                .update_column(attempt_answer::Column::AnsweredAt)
                .to_owned(),
        )
        .exec_with_returning(&txn)
        .await?;
    if stored.tries == 1 {
        // Every answered exercise enters spaced review, rated by this first answer.
        review::schedule_first_answer(&txn, user_id, exercise_id, correct).await?;
    }
    txn.commit().await?;
    Ok(AnswerResult {
        correct,
        feedback: feedback(correct),
        explanation: exercise.explanation,
        correct_answer: (correct || stored.tries >= TRIES_BEFORE_REVEAL).then(|| correct_answer(&key)),
    })
}

/// Completes an attempt once every exercise was answered: score, XP,
/// learning day. Skipping exercises earns nothing (409 with the missing ones).
pub async fn complete(
    db: &DatabaseConnection,
    user: &user::Model,
    attempt_id: Uuid,
) -> Result<CompletionResult, ApiError> {
    let txn = db::begin_write(db).await?;
    let attempt = own_attempt(&txn, user.id, attempt_id).await?;
    if attempt.completed_at.is_some() {
        return Err(already_completed());
    }
    let version = lesson_version::Entity::find_by_id(attempt.lesson_version_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("attempt {attempt_id} lost its version")))?;
    let answers = attempt_answer::Entity::find()
        .filter(attempt_answer::Column::AttemptId.eq(attempt_id))
        .all(&txn)
        .await?;
    let answered: BTreeSet<Uuid> = answers.iter().map(|a| a.exercise_id).collect();
    let missing_exercise_ids: Vec<Uuid> =
        exercise_ids_of(&txn, version.id).await?.into_iter().filter(|id| !answered.contains(id)).collect();
    if !missing_exercise_ids.is_empty() {
        return Err(ApiError::AttemptIncomplete { missing_exercise_ids });
    }
    let right = answers.iter().filter(|a| a.correct).count() as i32;
    let first_try = answers.iter().filter(|a| a.first_try_correct).count() as i32;
    let score = (right * 100 / Ord::max(version.exercise_count, 1)) as i16;
    let xp = COMPLETION_XP + FIRST_TRY_BONUS_XP * first_try;
    // Only one completion wins, even when two arrive together.
    let completed = lesson_attempt::Entity::update_many()
        .col_expr(lesson_attempt::Column::CompletedAt, Expr::value(Utc::now()))
        .col_expr(lesson_attempt::Column::Score, Expr::value(score))
        .col_expr(lesson_attempt::Column::XpAwarded, Expr::value(xp))
        .filter(lesson_attempt::Column::Id.eq(attempt_id))
        .filter(lesson_attempt::Column::CompletedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if completed == 0 {
        return Err(already_completed());
    }
    record_learning_day(&txn, user, xp).await?;
    let event = json!({"attempt_id": attempt_id, "lesson_id": attempt.lesson_id, "member_id": user.id});
    events::emit(&txn, EventType::LessonCompleted, Subject::Member(user.id), event).await?;
    if score == MASTERED_SCORE {
        let reached = Earned::SkillLevel { skill_id: version.skill_id, level: version.level };
        award(&txn, user.id, reached).await?;
    }
    txn.commit().await?;
    Ok(CompletionResult {
        score,
        xp_awarded: xp,
        streak: streak_of(db, user).await?,
        mastery: member_mastery(db, user.id).await?,
        next_lessons: next_lessons(db, user.id).await?,
    })
}
