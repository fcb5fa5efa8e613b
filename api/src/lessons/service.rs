//! Lessons: authoring with immutable versions, the published path members
//! follow, attempts graded on the server, and the progress they build.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use entity::exercise::{self, ExerciseKind};
use entity::lesson::{self, LessonStatus};
use entity::search::search_key;
use entity::{attempt_answer, learning_day, lesson_attempt, lesson_version, skill, user};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::authoring::{PreparedExercise, author_input, prepare};
use super::dto::{
    AnswerResult, AttemptView, AuthorExercise, AuthorLessonDetail, ChoiceView, CompletionResult,
    ExerciseInput, ExerciseView, LessonDetail, LessonInput, LessonPatch, LessonSummary, LessonsFilter,
    Mastery, Progress,
};
use super::grading::{Answer, AnswerKey, grade};
use super::review::{self, Lapse};
use super::streak::{self, Streak};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchText, like_contains};

/// XP for completing a lesson, plus one per exercise right at the first try.
pub const COMPLETION_XP: i32 = 10;
pub const FIRST_TRY_BONUS_XP: i32 = 1;
/// The score of an attempt where every exercise was eventually answered
/// right: only such attempts count for mastery (retries stay free).
pub const MASTERED_SCORE: i16 = 100;
/// After this many tries the right answer is shown, so nobody stays stuck.
const TRIES_BEFORE_REVEAL: i32 = 2;
const NEXT_LESSONS: u64 = 3;

fn summary(lesson: &lesson::Model, version: &lesson_version::Model) -> LessonSummary {
    LessonSummary {
        id: lesson.id,
        slug: lesson.slug.clone(),
        title: version.title.clone(),
        summary: version.summary.clone(),
        skill_id: version.skill_id,
        level: version.level,
        position: version.position,
        estimated_minutes: version.estimated_minutes,
        exercise_count: version.exercise_count,
        easy_read: version.easy_read,
        status: lesson.status,
        version: version.version,
    }
}

fn slugify(title: &str) -> String {
    let key = search_key(title);
    let slug: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let slug = slug.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-");
    let slug: String = slug.chars().take(80).collect();
    if slug.is_empty() { "lecon".into() } else { slug }
}

fn invalid(errors: Vec<crate::error::FieldError>) -> ApiError {
    ApiError::Validation(errors)
}

async fn ensure_skill(db: &impl ConnectionTrait, skill_id: Uuid) -> Result<(), ApiError> {
    match skill::Entity::find_by_id(skill_id).one(db).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::validation("skill_id", "unknown", "Cette compétence n'existe pas.")),
    }
}

/// Content of one version, before it is stored.
struct VersionContent {
    title: String,
    summary: String,
    skill_id: Uuid,
    level: i16,
    position: i32,
    estimated_minutes: i16,
    easy_read: bool,
    exercises: Vec<PreparedExercise>,
}

async fn insert_version(
    db: &impl ConnectionTrait,
    lesson_id: Uuid,
    version: i32,
    content: VersionContent,
) -> Result<lesson_version::Model, ApiError> {
    let stored = lesson_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        lesson_id: Set(lesson_id),
        version: Set(version),
        search_text: Set(search_key(&format!("{} {}", content.title, content.summary))),
        title: Set(content.title),
        summary: Set(content.summary),
        skill_id: Set(content.skill_id),
        level: Set(content.level),
        position: Set(content.position),
        estimated_minutes: Set(content.estimated_minutes),
        easy_read: Set(content.easy_read),
        exercise_count: Set(content.exercises.len() as i32),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    let rows = content.exercises.into_iter().enumerate().map(|(position, prepared)| exercise::ActiveModel {
        id: Set(Uuid::now_v7()),
        lesson_version_id: Set(stored.id),
        position: Set(position as i32),
        kind: Set(prepared.kind),
        prompt: Set(prepared.input.prompt),
        explanation: Set(prepared.input.explanation),
        hint: Set(prepared.input.hint),
        options: Set(prepared.options.map(|o| serde_json::to_value(o).unwrap_or_default())),
        answer_key: Set(serde_json::to_value(&prepared.key).unwrap_or_default()),
        image_url: Set(prepared.input.image_url),
        image_alt: Set(prepared.input.image_alt),
        audio_url: Set(prepared.input.audio_url),
        difficulty: Set(prepared.input.difficulty),
    });
    exercise::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(stored)
}

/// Creates a draft lesson (version 1) with its exercises.
pub async fn create(
    db: &DatabaseConnection,
    author: Option<Uuid>,
    input: LessonInput,
) -> Result<LessonSummary, ApiError> {
    create_with_status(db, author, None, input, LessonStatus::Draft).await
}

/// Creates a lesson; the seed uses it to publish the starter lessons with their own slugs.
pub async fn create_with_status(
    db: &DatabaseConnection,
    author: Option<Uuid>,
    slug: Option<String>,
    input: LessonInput,
    status: LessonStatus,
) -> Result<LessonSummary, ApiError> {
    let exercises = prepare(input.exercises).map_err(invalid)?;
    let txn = db::begin_write(db).await?;
    ensure_skill(&txn, input.skill_id).await?;
    let position = match input.position {
        Some(position) => position,
        None => next_position(&txn).await?,
    };
    let base = slug.unwrap_or_else(|| slugify(&input.title));
    let slug = free_slug(&txn, &base).await?;
    let now = Utc::now();
    let lesson = lesson::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        status: Set(status),
        latest_version: Set(1),
        published_version: Set((status == LessonStatus::Published).then_some(1)),
        created_by: Set(author),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let content = VersionContent {
        title: input.title,
        summary: input.summary,
        skill_id: input.skill_id,
        level: input.level,
        position,
        estimated_minutes: input.estimated_minutes,
        easy_read: input.easy_read,
        exercises,
    };
    let version = insert_version(&txn, lesson.id, 1, content).await?;
    txn.commit().await?;
    Ok(summary(&lesson, &version))
}

async fn next_position(db: &impl ConnectionTrait) -> Result<i32, ApiError> {
    let last = lesson_version::Entity::find()
        .order_by_desc(lesson_version::Column::Position)
        .one(db)
        .await?
        .map_or(0, |v| v.position);
    Ok(last + 1)
}

async fn free_slug(db: &impl ConnectionTrait, base: &str) -> Result<String, ApiError> {
    let taken: BTreeSet<String> = lesson::Entity::find()
        .filter(lesson::Column::Slug.starts_with(base))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.slug)
        .collect();
    Ok((1..)
        .map(|n| if n == 1 { base.to_owned() } else { format!("{base}-{n}") })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| format!("{base}-{}", Uuid::now_v7().simple())))
}

async fn find_lesson(db: &impl ConnectionTrait, id: Uuid) -> Result<lesson::Model, ApiError> {
    lesson::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

async fn find_version(
    db: &impl ConnectionTrait,
    lesson_id: Uuid,
    version: i32,
) -> Result<lesson_version::Model, ApiError> {
    lesson_version::Entity::find()
        .filter(lesson_version::Column::LessonId.eq(lesson_id))
        .filter(lesson_version::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("lesson {lesson_id} has no version {version}")))
}

async fn exercises_of(db: &impl ConnectionTrait, version_id: Uuid) -> Result<Vec<exercise::Model>, ApiError> {
    Ok(exercise::Entity::find()
        .filter(exercise::Column::LessonVersionId.eq(version_id))
        .order_by_asc(exercise::Column::Position)
        .all(db)
        .await?)
}

/// The exercise ids of a version, in lesson order.
async fn exercise_ids_of(db: &impl ConnectionTrait, version_id: Uuid) -> Result<Vec<Uuid>, ApiError> {
    Ok(exercise::Entity::find()
        .select_only()
        .column(exercise::Column::Id)
        .filter(exercise::Column::LessonVersionId.eq(version_id))
        .order_by_asc(exercise::Column::Position)
        .into_tuple()
        .all(db)
        .await?)
}

fn stored_options(row: &exercise::Model) -> Option<Vec<ChoiceView>> {
    row.options.clone().and_then(|value| serde_json::from_value(value).ok())
}

fn stored_key(row: &exercise::Model) -> Result<AnswerKey, ApiError> {
    serde_json::from_value(row.answer_key.clone()).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!("exercise {} has an unreadable answer key: {e}", row.id))
    })
}

fn kind_name(kind: ExerciseKind) -> &'static str {
    match kind {
        ExerciseKind::SingleChoice => "single_choice",
        ExerciseKind::MultipleChoice => "multiple_choice",
        ExerciseKind::TrueFalse => "true_false",
        ExerciseKind::Ordering => "ordering",
        ExerciseKind::TextInput => "text_input",
    }
}

fn author_exercise(row: &exercise::Model) -> Result<AuthorExercise, ApiError> {
    let base = ExerciseInput {
        kind: kind_name(row.kind).into(),
        prompt: row.prompt.clone(),
        explanation: row.explanation.clone(),
        hint: row.hint.clone(),
        choices: None,
        statement_is_true: None,
        items: None,
        accepted_answers: None,
        tolerance: None,
        image_url: row.image_url.clone(),
        image_alt: row.image_alt.clone(),
        audio_url: row.audio_url.clone(),
        difficulty: row.difficulty,
    };
    let input = author_input(base, stored_options(row).as_deref(), &stored_key(row)?);
    Ok(AuthorExercise { id: row.id, exercise: input })
}

/// Ordering items in an order that says nothing about the right one, yet the
/// same at every request so that a lesson's ETag holds: sorted by a hash of
/// the exercise and item ids, and never the right order itself.
fn scrambled(row: &exercise::Model, mut items: Vec<ChoiceView>) -> Vec<ChoiceView> {
    items.sort_by_cached_key(|item| Sha256::new().chain_update(row.id).chain_update(item.id).finalize());
    if let Ok(AnswerKey::Ordering { items: right }) = stored_key(row)
        && items.iter().map(|item| item.id).eq(right)
    {
        items.rotate_left(1);
    }
    items
}

/// An exercise without anything that reveals its answer.
pub fn member_exercise(row: &exercise::Model) -> ExerciseView {
    let options = stored_options(row);
    let (choices, items) = match row.kind {
        ExerciseKind::SingleChoice | ExerciseKind::MultipleChoice => (options, None),
        ExerciseKind::Ordering => (None, options.map(|items| scrambled(row, items))),
        ExerciseKind::TrueFalse | ExerciseKind::TextInput => (None, None),
    };
    ExerciseView {
        id: row.id,
        kind: row.kind,
        prompt: row.prompt.clone(),
        choices,
        items,
        hint: row.hint.clone(),
        image_url: row.image_url.clone(),
        image_alt: row.image_alt.clone(),
        audio_url: row.audio_url.clone(),
        difficulty: row.difficulty,
    }
}

/// Edits a lesson. A draft is edited in place; a published lesson gets a new
/// version, published at once, while running attempts keep theirs.
pub async fn update(
    db: &DatabaseConnection,
    id: Uuid,
    patch: LessonPatch,
) -> Result<LessonSummary, ApiError> {
    let exercises = patch.exercises.map(prepare).transpose().map_err(invalid)?;
    let txn = db::begin_write(db).await?;
    let lesson = find_lesson(&txn, id).await?;
    let current = find_version(&txn, id, lesson.latest_version).await?;
    if let Some(skill_id) = patch.skill_id {
        ensure_skill(&txn, skill_id).await?;
    }
    let exercises = match exercises {
        Some(exercises) => exercises,
        // Keep the current exercises: rebuild them as written, with new ids in the new version.
        None => {
            let rows = exercises_of(&txn, current.id).await?;
            let inputs = rows
                .iter()
                .map(|row| author_exercise(row).map(|a| a.exercise))
                .collect::<Result<Vec<_>, _>>()?;
            prepare(inputs).map_err(invalid)?
        }
    };
    let content = VersionContent {
        title: patch.title.unwrap_or(current.title.clone()),
        summary: patch.summary.unwrap_or(current.summary.clone()),
        skill_id: patch.skill_id.unwrap_or(current.skill_id),
        level: patch.level.unwrap_or(current.level),
        position: patch.position.unwrap_or(current.position),
        estimated_minutes: patch.estimated_minutes.unwrap_or(current.estimated_minutes),
        easy_read: patch.easy_read.unwrap_or(current.easy_read),
        exercises,
    };
    let mut update: lesson::ActiveModel = lesson.clone().into();
    let version = if lesson.status == LessonStatus::Draft {
        // Nobody has seen a draft: replace it.
        lesson_version::Entity::delete_by_id(current.id).exec(&txn).await?;
        insert_version(&txn, id, current.version, content).await?
    } else {
        let next = lesson.latest_version + 1;
        update.latest_version = Set(next);
        update.published_version = Set(Some(next));
        insert_version(&txn, id, next, content).await?
    };
    update.updated_at = Set(Utc::now());
    let lesson = update.update(&txn).await?;
    txn.commit().await?;
    Ok(summary(&lesson, &version))
}

pub async fn publish(db: &DatabaseConnection, id: Uuid) -> Result<LessonSummary, ApiError> {
    let txn = db::begin_write(db).await?;
    let lesson = find_lesson(&txn, id).await?;
    let mut update: lesson::ActiveModel = lesson.clone().into();
    update.status = Set(LessonStatus::Published);
    update.published_version = Set(Some(lesson.latest_version));
    update.updated_at = Set(Utc::now());
    let lesson = update.update(&txn).await?;
    let version = find_version(&txn, id, lesson.latest_version).await?;
    txn.commit().await?;
    Ok(summary(&lesson, &version))
}

/// Versions joined with their lesson: the published ones, or (for authors) the latest.
fn shown_versions(include_drafts: bool) -> Select<lesson_version::Entity> {
    let shown_version = if include_drafts {
        Expr::col((lesson::Entity, lesson::Column::LatestVersion))
    } else {
        Expr::col((lesson::Entity, lesson::Column::PublishedVersion))
    };
    let query = lesson_version::Entity::find()
        .join(
            sea_orm::JoinType::InnerJoin,
            lesson_version::Entity::belongs_to(lesson::Entity)
                .from(lesson_version::Column::LessonId)
                .to(lesson::Column::Id)
                .into(),
        )
        .filter(Expr::col((lesson_version::Entity, lesson_version::Column::Version)).eq(shown_version));
    if include_drafts { query } else { query.filter(lesson::Column::Status.eq(LessonStatus::Published)) }
}

async fn summaries(
    db: &impl ConnectionTrait,
    versions: Vec<lesson_version::Model>,
) -> Result<Vec<LessonSummary>, ApiError> {
    let lessons: HashMap<Uuid, lesson::Model> = lesson::Entity::find()
        .filter(lesson::Column::Id.is_in(versions.iter().map(|v| v.lesson_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    Ok(versions.iter().filter_map(|v| lessons.get(&v.lesson_id).map(|l| summary(l, v))).collect())
}

/// The exercises with a recording of the version being listed (the published
/// one, or for authors the latest), for an `EXISTS` in the lessons query: the
/// filter runs in SQL, before paging.
fn recorded_exercises() -> sea_orm::sea_query::SelectStatement {
    exercise::Entity::find()
        .select_only()
        .expr(Expr::val(1))
        .filter(exercise::Column::AudioUrl.is_not_null())
        .filter(
            Expr::col((exercise::Entity, exercise::Column::LessonVersionId))
                .equals((lesson_version::Entity, lesson_version::Column::Id)),
        )
        .into_query()
}

/// Lessons in path order. Members and visitors see published versions only; authors also see drafts.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &LessonsFilter,
    include_drafts: bool,
    page: PageRequest<(i32, Uuid)>,
) -> Result<Page<LessonSummary>, ApiError> {
    let mut query = shown_versions(include_drafts);
    if let Some(skill_id) = filter.skill_id {
        query = query.filter(lesson_version::Column::SkillId.eq(skill_id));
    }
    if let Some(level) = filter.level {
        query = query.filter(lesson_version::Column::Level.eq(level));
    }
    if let Some(easy_read) = filter.easy_read {
        query = query.filter(lesson_version::Column::EasyRead.eq(easy_read));
    }
    if let Some(has_audio) = filter.has_audio {
        let with_audio = Expr::exists(recorded_exercises());
        query = query.filter(if has_audio { with_audio } else { with_audio.not() });
    }
    if let Some(q) = SearchText::parse(filter.q.as_deref())? {
        for word in q.words() {
            query = query.filter(
                Expr::col((lesson_version::Entity, lesson_version::Column::SearchText))
                    .like(like_contains(&word)),
            );
        }
    }
    if let Some((position, id)) = page.after {
        let position_col = Expr::col((lesson_version::Entity, lesson_version::Column::Position));
        let lesson_col = Expr::col((lesson_version::Entity, lesson_version::Column::LessonId));
        query = query.filter(
            sea_orm::Condition::any()
                .add(position_col.clone().gt(position))
                .add(position_col.eq(position).and(lesson_col.gt(id))),
        );
    }
    let versions = query
        .order_by_asc(lesson_version::Column::Position)
        .order_by_asc(lesson_version::Column::LessonId)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let items = summaries(db, versions).await?;
    Ok(Page::from_rows(items, page.limit, |l| (l.position, l.id)))
}

/// What a member reads of a published lesson, as stored (immutable per version).
#[derive(Debug)]
pub struct PublishedLesson {
    lesson: lesson::Model,
    version: lesson_version::Model,
    exercises: Vec<exercise::Model>,
}

/// The published version of a lesson with its exercises (404 for drafts).
pub async fn published(db: &impl ConnectionTrait, id: Uuid) -> Result<PublishedLesson, ApiError> {
    let lesson = find_lesson(db, id).await?;
    let version = lesson
        .published_version
        .filter(|_| lesson.status == LessonStatus::Published)
        .ok_or(ApiError::NotFound)?;
    let version = find_version(db, id, version).await?;
    let exercises = exercises_of(db, version.id).await?;
    Ok(PublishedLesson { lesson, version, exercises })
}

/// A published lesson as members see it: no answers, ordering items scrambled.
pub fn member_detail(published: &PublishedLesson) -> LessonDetail {
    LessonDetail {
        lesson: summary(&published.lesson, &published.version),
        exercises: published.exercises.iter().map(member_exercise).collect(),
    }
}

/// The latest version with its answers, for authors.
pub async fn author_detail(db: &impl ConnectionTrait, id: Uuid) -> Result<AuthorLessonDetail, ApiError> {
    let lesson = find_lesson(db, id).await?;
    let version = find_version(db, id, lesson.latest_version).await?;
    let exercises =
        exercises_of(db, version.id).await?.iter().map(author_exercise).collect::<Result<_, _>>()?;
    Ok(AuthorLessonDetail { lesson: summary(&lesson, &version), exercises })
}

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

/// The right answer in the shape the learner sends.
pub fn correct_answer(key: &AnswerKey) -> Answer {
    match key {
        AnswerKey::SingleChoice { correct } => Answer::SingleChoice { choice_id: *correct },
        AnswerKey::MultipleChoice { correct } => Answer::MultipleChoice { choice_ids: correct.clone() },
        AnswerKey::TrueFalse { value } => Answer::TrueFalse { value: *value },
        AnswerKey::Ordering { items } => Answer::Ordering { item_ids: items.clone() },
        AnswerKey::TextInput { accepted, .. } => {
            Answer::TextInput { text: accepted.first().cloned().unwrap_or_default() }
        }
    }
}

/// Grades an answer of `exercise`; the shape must match its kind (422).
pub fn grade_exercise(exercise: &exercise::Model, answer: &Answer) -> Result<(bool, AnswerKey), ApiError> {
    let key = stored_key(exercise)?;
    let correct =
        grade(&key, answer).map_err(|e| ApiError::validation("answer", e.code(), &e.to_string()))?;
    Ok((correct, key))
}

pub fn feedback(correct: bool) -> String {
    if correct {
        "Bravo, c'est juste !".into()
    } else {
        "Pas tout à fait. Ce n'est pas grave : relisez l'explication et réessayez.".into()
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

fn member_zone(user: &user::Model) -> chrono_tz::Tz {
    streak::time_zone_or_default(Some(&user.timezone))
}

/// Records XP on the member's local day: days feed the streak and the daily goal.
pub async fn record_learning_day(
    db: &impl ConnectionTrait,
    user: &user::Model,
    xp: i32,
) -> Result<(), ApiError> {
    let day = streak::local_day(Utc::now(), member_zone(user));
    learning_day::Entity::insert(learning_day::ActiveModel {
        user_id: Set(user.id),
        day: Set(day),
        xp: Set(xp),
    })
    .on_conflict(
        OnConflict::columns([learning_day::Column::UserId, learning_day::Column::Day])
            .value(
                learning_day::Column::Xp,
                Expr::col((learning_day::Entity, learning_day::Column::Xp)).add(xp),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
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
    txn.commit().await?;
    Ok(CompletionResult {
        score,
        xp_awarded: xp,
        streak: streak_of(db, user).await?,
        mastery: member_mastery(db, user.id).await?,
        next_lessons: next_lessons(db, user.id).await?,
    })
}

pub async fn streak_of(db: &impl ConnectionTrait, user: &user::Model) -> Result<Streak, ApiError> {
    let days: BTreeSet<_> = learning_day::Entity::find()
        .filter(learning_day::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.day)
        .collect();
    Ok(streak::compute(&days, streak::local_day(Utc::now(), member_zone(user))))
}

/// The member's mastery now (two queries).
pub async fn member_mastery(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Mastery>, ApiError> {
    let mastered = mastered_versions(db, user_id).await?;
    Ok(mastery(&mastered, &review::lapses(db, user_id).await?))
}

/// Per skill, the highest level among the lesson versions the member
/// mastered and still retains: a lesson stops counting while more than half
/// of its exercises are lapsed in review, and counts again once they are
/// retained.
pub fn mastery(mastered: &[lesson_version::Model], lapses: &[Lapse]) -> Vec<Mastery> {
    let mut lapsed_per_version: HashMap<Uuid, i32> = HashMap::new();
    for lapse in lapses {
        *lapsed_per_version.entry(lapse.lesson_version_id).or_default() += 1;
    }
    let mut levels: HashMap<Uuid, i16> = HashMap::new();
    for version in mastered {
        let lapsed = lapsed_per_version.get(&version.id).copied().unwrap_or(0);
        if lapsed * 2 > version.exercise_count {
            continue;
        }
        let level = levels.entry(version.skill_id).or_default();
        *level = Ord::max(*level, version.level);
    }
    let mut mastery: Vec<Mastery> =
        levels.into_iter().map(|(skill_id, level)| Mastery { skill_id, level }).collect();
    mastery.sort_by_key(|m| m.skill_id);
    mastery
}

/// The lesson versions the member completed with every exercise eventually
/// answered right ([`MASTERED_SCORE`]), each once (one query).
pub async fn mastered_versions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<lesson_version::Model>, ApiError> {
    let mastered = lesson_attempt::Entity::find()
        .select_only()
        .column(lesson_attempt::Column::LessonVersionId)
        .filter(lesson_attempt::Column::UserId.eq(user_id))
        .filter(lesson_attempt::Column::CompletedAt.is_not_null())
        .filter(lesson_attempt::Column::Score.eq(MASTERED_SCORE))
        .into_query();
    Ok(lesson_version::Entity::find()
        .filter(lesson_version::Column::Id.in_subquery(mastered))
        .all(db)
        .await?)
}

/// Every published lesson, in path order.
pub async fn published_summaries(db: &impl ConnectionTrait) -> Result<Vec<LessonSummary>, ApiError> {
    let versions = shown_versions(false)
        .order_by_asc(lesson_version::Column::Position)
        .order_by_asc(lesson_version::Column::LessonId)
        .all(db)
        .await?;
    summaries(db, versions).await
}

/// The lessons the member completed at least once, mastered or not (one query).
pub async fn completed_lessons(db: &impl ConnectionTrait, user_id: Uuid) -> Result<BTreeSet<Uuid>, ApiError> {
    let ids: Vec<Uuid> = lesson_attempt::Entity::find()
        .select_only()
        .column(lesson_attempt::Column::LessonId)
        .distinct()
        .filter(lesson_attempt::Column::UserId.eq(user_id))
        .filter(lesson_attempt::Column::CompletedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The next published lessons of the path the member has not completed.
pub async fn next_lessons(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<LessonSummary>, ApiError> {
    let done = completed_lessons(db, user_id).await?;
    let versions = shown_versions(false)
        .filter(lesson_version::Column::LessonId.is_not_in(done))
        .order_by_asc(lesson_version::Column::Position)
        .order_by_asc(lesson_version::Column::LessonId)
        .limit(NEXT_LESSONS)
        .all(db)
        .await?;
    summaries(db, versions).await
}

pub async fn progress(db: &impl ConnectionTrait, user: &user::Model) -> Result<Progress, ApiError> {
    let attempts = lesson_attempt::Entity::find()
        .filter(lesson_attempt::Column::UserId.eq(user.id))
        .filter(lesson_attempt::Column::CompletedAt.is_not_null())
        .all(db)
        .await?;
    let xp_total = attempts.iter().map(|a| i64::from(a.xp_awarded)).sum();
    let lessons_completed = attempts.iter().map(|a| a.lesson_id).collect::<BTreeSet<_>>().len() as i64;
    let today = streak::local_day(Utc::now(), member_zone(user));
    let today_xp = learning_day::Entity::find_by_id((user.id, today)).one(db).await?.map_or(0, |d| d.xp);
    Ok(Progress {
        xp_total,
        streak: streak_of(db, user).await?,
        today_xp,
        daily_goal_xp: user.daily_goal_xp,
        mastery: member_mastery(db, user.id).await?,
        lessons_completed,
        today,
    })
}

/// Used by the seed: is a lesson with this slug already there?
pub async fn slug_exists(db: &DatabaseConnection, slug: &str) -> Result<bool, ApiError> {
    Ok(lesson::Entity::find().filter(lesson::Column::Slug.eq(slug)).one(db).await?.is_some())
}
