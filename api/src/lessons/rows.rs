//! Finding stored lessons, versions and exercises, and summarising them: the
//! reads every other lessons file shares. A leaf: calls only `entity`,
//! `error` and `dto`.

use std::collections::HashMap;

use entity::lesson::{self, LessonStatus};
use entity::{exercise, lesson_version};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use uuid::Uuid;

use super::dto::LessonSummary;
use crate::error::ApiError;

pub(super) fn summary(lesson: &lesson::Model, version: &lesson_version::Model) -> LessonSummary {
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

pub(super) async fn find_lesson(db: &impl ConnectionTrait, id: Uuid) -> Result<lesson::Model, ApiError> {
    lesson::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

pub(super) async fn find_version(
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

pub(super) async fn exercises_of(
    db: &impl ConnectionTrait,
    version_id: Uuid,
) -> Result<Vec<exercise::Model>, ApiError> {
    Ok(exercise::Entity::find()
        .filter(exercise::Column::LessonVersionId.eq(version_id))
        .order_by_asc(exercise::Column::Position)
        .all(db)
        .await?)
}

/// The exercise ids of a version, in lesson order.
pub(super) async fn exercise_ids_of(
    db: &impl ConnectionTrait,
    version_id: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    Ok(exercise::Entity::find()
        .select_only()
        .column(exercise::Column::Id)
        .filter(exercise::Column::LessonVersionId.eq(version_id))
        .order_by_asc(exercise::Column::Position)
        .into_tuple()
        .all(db)
        .await?)
}

/// Versions joined with their lesson: the published ones, or (for authors) the latest.
pub(super) fn shown_versions(include_drafts: bool) -> Select<lesson_version::Entity> {
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

pub(super) async fn summaries(
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
