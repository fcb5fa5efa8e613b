//! A member's attempt at the published version of a lesson: starting it,
//! grading each answer (the first one schedules the exercise for review), and
//! completing it for score and XP. Calls `rows`, `exercises`, `review`,
//! `learning_days` and `progress`; a mastered lesson awards its DigComp
//! level badge (`credentials::awards`).

use std::collections::BTreeSet;

use chrono::Utc;
use entity::lesson::LessonStatus;
use entity::{attempt_answer, exercise, lesson_attempt, lesson_version, user};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
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
    ApiError::Conflict {
        code: ErrorCode::AttemptCompleted, detail: "Cette leçon est déjà terminée.".into()
    }
}

/// Grades one answer of an attempt. Wrong answers only add a try.
pub async fn answer(
    db: &DatabaseConnection,
    user_id: Uuid,
    attempt_id: Uuid,
    exercise_id: Uuid,
    answer: &Answer,
) -> Result<AnswerResult, ApiError> {
    let txn = db::begin_write(db).await?;
    let attempt = own_attempt(&txn, user_id, attempt_id).await?;
    if attempt.completed_at.is_some() {
        return Err(already_completed());
    }
    let exercise = exercise::Entity::find_by_id(exercise_id)
        .filter(exercise::Column::LessonVersionId.eq(attempt.lesson_version_id))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            ApiError::validation("exercise_id", "unknown", "Cet exercice ne fait pas partie de cette leçon.")
        })?;
    let (correct, key) = grade_exercise(&exercise, answer)?;
    let previous = attempt_answer::Entity::find_by_id((attempt_id, exercise_id)).one(&txn).await?;
    let tries = previous.as_ref().map_or(0, |p| p.tries) + 1;
    let row = attempt_answer::ActiveModel {
        attempt_id: Set(attempt_id),
        exercise_id: Set(exercise_id),
        tries: Set(tries),
        correct: Set(correct || previous.as_ref().is_some_and(|p| p.correct)),
        first_try_correct: Set(previous.as_ref().map_or(correct, |p| p.first_try_correct)),
        answered_at: Set(Utc::now()),
    };
    attempt_answer::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([attempt_answer::Column::AttemptId, attempt_answer::Column::ExerciseId])
                .update_columns([
                    attempt_answer::Column::Tries,
                    attempt_answer::Column::Correct,
                    attempt_answer::Column::AnsweredAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    if previous.is_none() {
        // Every answered exercise enters spaced review, rated by this first answer.
        review::schedule_first_answer(&txn, user_id, exercise_id, correct).await?;
    }
    txn.commit().await?;
    Ok(AnswerResult {
        correct,
        feedback: feedback(correct),
        explanation: exercise.explanation,
        correct_answer: (correct || tries >= TRIES_BEFORE_REVEAL).then(|| correct_answer(&key)),
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
