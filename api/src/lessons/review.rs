//! Spaced review with the database: each (member, exercise) memory state, its
//! first scheduling when an attempt answers the exercise, the reviews due, the
//! answer to a review, and the lapses that suspend mastery. Calls
//! `scheduling` (pure), `exercises` and `learning_days`.

use chrono::{DateTime, Utc};
use entity::{exercise, lesson_version, review_state, user};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};
use uuid::Uuid;

use super::dto::{DueReview, ReviewResult};
use super::exercises::{feedback, grade_exercise, member_exercise};
use super::grading::Answer;
use super::learning_days::record_learning_day;
use super::scheduling::{self, MemoryState};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};

/// XP of one review: reviews count for the streak and the daily goal.
pub const REVIEW_XP: i32 = 2;

fn memory_of(row: &review_state::Model) -> MemoryState {
    MemoryState {
        due: row.due,
        stability: row.stability,
        difficulty: row.difficulty,
        elapsed_days: row.elapsed_days,
        scheduled_days: row.scheduled_days,
        reps: row.reps,
        lapses: row.lapses,
        state: row.state,
        last_rating: row.last_rating,
        last_review: row.last_review,
    }
}

fn stored_memory(user_id: Uuid, exercise_id: Uuid, memory: &MemoryState) -> review_state::ActiveModel {
    review_state::ActiveModel {
        user_id: Set(user_id),
        exercise_id: Set(exercise_id),
        due: Set(memory.due),
        stability: Set(memory.stability),
        difficulty: Set(memory.difficulty),
        elapsed_days: Set(memory.elapsed_days),
        scheduled_days: Set(memory.scheduled_days),
        reps: Set(memory.reps),
        lapses: Set(memory.lapses),
        state: Set(memory.state),
        last_rating: Set(memory.last_rating),
        last_review: Set(memory.last_review),
    }
}

/// Schedules an exercise after its first answer in a lesson attempt: every
/// answered exercise gets a memory state.
pub async fn schedule_first_answer(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    exercise_id: Uuid,
    correct: bool,
) -> Result<(), ApiError> {
    let previous = review_state::Entity::find_by_id((user_id, exercise_id)).one(db).await?;
    let memory = scheduling::review(
        previous.as_ref().map(memory_of).as_ref(),
        scheduling::rating(correct, true),
        Utc::now(),
    );
    let row = stored_memory(user_id, exercise_id, &memory);
    if previous.is_some() {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// Exercises due for review, soonest first.
pub async fn due_reviews(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    page: PageRequest<(DateTime<Utc>, Uuid)>,
) -> Result<Page<DueReview>, ApiError> {
    let mut query = review_state::Entity::find()
        .filter(review_state::Column::UserId.eq(user_id))
        .filter(review_state::Column::Due.lte(Utc::now()));
    if let Some((due, exercise_id)) = page.after {
        query =
            query.filter(Condition::any().add(review_state::Column::Due.gt(due)).add(
                review_state::Column::Due.eq(due).and(review_state::Column::ExerciseId.gt(exercise_id)),
            ));
    }
    // Each state with its exercise and the lesson version that holds it, in one query.
    let rows = query
        .find_also_related(exercise::Entity)
        .find_also(exercise::Entity, lesson_version::Entity)
        .order_by_asc(review_state::Column::Due)
        .order_by_asc(review_state::Column::ExerciseId)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .filter_map(|(state, exercise, version)| {
            let (exercise, version) = (exercise?, version?);
            Some(DueReview {
                exercise: member_exercise(&exercise),
                lesson_id: version.lesson_id,
                skill_id: version.skill_id,
                due_at: state.due,
            })
        })
        .collect();
    Ok(Page::from_rows(items, page.limit, |r: &DueReview| (r.due_at, r.exercise.id)))
}

/// How many of the member's exercises are due for review now.
pub async fn due_count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, ApiError> {
    Ok(review_state::Entity::find()
        .filter(review_state::Column::UserId.eq(user_id))
        .filter(review_state::Column::Due.lte(Utc::now()))
        .count(db)
        .await?)
}

/// Grades a due review and reschedules the exercise; one not due yet is 409.
pub async fn review(
    db: &DatabaseConnection,
    user: &user::Model,
    exercise_id: Uuid,
    answer: &Answer,
) -> Result<ReviewResult, ApiError> {
    let txn = db::begin_write(db).await?;
    let state = review_state::Entity::find_by_id((user.id, exercise_id))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Reviewing ahead of time would buy XP and streak days at will.
    if state.due > Utc::now() {
        return Err(ApiError::conflict(ErrorCode::ReviewNotDue));
    }
    let exercise = exercise::Entity::find_by_id(exercise_id).one(&txn).await?.ok_or(ApiError::NotFound)?;
    let (correct, _) = grade_exercise(&exercise, answer)?;
    let memory = scheduling::review(Some(&memory_of(&state)), scheduling::rating(correct, true), Utc::now());
    stored_memory(user.id, exercise_id, &memory).update(&txn).await?;
    record_learning_day(&txn, user, REVIEW_XP).await?;
    txn.commit().await?;
    Ok(ReviewResult {
        correct,
        feedback: feedback(correct),
        explanation: exercise.explanation,
        next_due_at: memory.due,
    })
}

/// An exercise whose last review was a lapse: the lesson version and skill it
/// belongs to stop counting for mastery until it is retained again.
pub struct Lapse {
    pub lesson_version_id: Uuid,
    pub skill_id: Uuid,
}

/// `last_rating` of a lapse (FSRS "again"), as the partial index states it.
const LAPSED_CONDITION: &str = "review_states.last_rating = 1";

/// The member's lapsed exercises, in one query.
pub async fn lapses(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Lapse>, ApiError> {
    let rows: Vec<(Uuid, Uuid)> = review_state::Entity::find()
        .select_only()
        .column(exercise::Column::LessonVersionId)
        .column(lesson_version::Column::SkillId)
        .inner_join(exercise::Entity)
        .join(JoinType::InnerJoin, exercise::Relation::LessonVersion.def())
        .filter(review_state::Column::UserId.eq(user_id))
        // A literal, not a bound value: only then may SQLite and PostgreSQL
        // read the partial index of lapses (`idx_review_states_lapsed`).
        .filter(Expr::cust(LAPSED_CONDITION))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(lesson_version_id, skill_id)| Lapse { lesson_version_id, skill_id }).collect())
}
