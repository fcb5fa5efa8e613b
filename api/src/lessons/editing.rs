//! Authoring with the database: creating a draft, editing a lesson (a draft in
//! place, a published one as a new immutable version), publishing — for
//! whoever holds the `authz::lessons` proof — and dropping the caches such a
//! change makes stale. Calls `authoring` (pure), `rows`, `exercises` and
//! `views` (the cache's type).

use std::collections::BTreeSet;

use chrono::Utc;
use entity::lesson::{self, LessonStatus};
use entity::search::search_key;
use entity::{exercise, lesson_version, skill};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::authoring::{PreparedExercise, prepare};
use super::dto::{LessonInput, LessonPatch, LessonSummary};
use super::exercises::author_exercise;
use super::rows::{exercises_of, find_lesson, find_version, summary};
use super::views::PublishedLessons;
use crate::authz::lessons::LessonAuthor;
use crate::cache::{Stale, TtlCache, announce};
use crate::db;
use crate::error::ApiError;

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
        None => Err(ApiError::validation("skill_id", "unknown", "field.lesson_skill_unknown")),
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
    author: &LessonAuthor,
    input: LessonInput,
) -> Result<LessonSummary, ApiError> {
    insert_lesson(db, Some(author.author_id()), None, input, LessonStatus::Draft).await
}

/// Creates a published lesson written by nobody: the seed's starter lessons
/// (with their own slugs) and the benchmark's data.
pub async fn create_published(
    db: &DatabaseConnection,
    slug: Option<String>,
    input: LessonInput,
) -> Result<LessonSummary, ApiError> {
    insert_lesson(db, None, slug, input, LessonStatus::Published).await
}

async fn insert_lesson(
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

/// What this replica keeps of published lessons, and a change to a lesson
/// makes stale: each lesson as members read it, and the one entry built from
/// all of them (adaptive's catalogue, whose type lessons need not know).
pub struct LessonCaches<'a, C> {
    pub published: &'a PublishedLessons,
    pub catalogue: &'a TtlCache<(), C>,
}

impl<C: Clone> LessonCaches<'_, C> {
    /// Drops what this replica holds of lesson `id`, after the commit of a
    /// change that announced `Stale::Lesson` to the other replicas.
    fn changed(&self, id: Uuid) {
        self.published.remove(&id);
        self.catalogue.remove(&());
    }
}

/// Edits a lesson. A draft is edited in place; a published lesson gets a new
/// version, published at once, while running attempts keep theirs.
pub async fn update<C: Clone>(
    db: &DatabaseConnection,
    caches: &LessonCaches<'_, C>,
    _author: &LessonAuthor,
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
    announce(&txn, Stale::Lesson(id)).await?;
    txn.commit().await?;
    caches.changed(id);
    Ok(summary(&lesson, &version))
}

/// Publishes the latest version.
pub async fn publish<C: Clone>(
    db: &DatabaseConnection,
    caches: &LessonCaches<'_, C>,
    _author: &LessonAuthor,
    id: Uuid,
) -> Result<LessonSummary, ApiError> {
    let txn = db::begin_write(db).await?;
    let lesson = find_lesson(&txn, id).await?;
    let mut update: lesson::ActiveModel = lesson.clone().into();
    update.status = Set(LessonStatus::Published);
    update.published_version = Set(Some(lesson.latest_version));
    update.updated_at = Set(Utc::now());
    let lesson = update.update(&txn).await?;
    let version = find_version(&txn, id, lesson.latest_version).await?;
    announce(&txn, Stale::Lesson(id)).await?;
    txn.commit().await?;
    caches.changed(id);
    Ok(summary(&lesson, &version))
}

/// Used by the seed: is a lesson with this slug already there?
pub async fn slug_exists(db: &DatabaseConnection, slug: &str) -> Result<bool, ApiError> {
    Ok(lesson::Entity::find().filter(lesson::Column::Slug.eq(slug)).one(db).await?.is_some())
}
