//! What readers get of lessons: the list in path order (drafts for authors
//! only), a published lesson as members read it, the latest version as its
//! authors wrote it (for whoever holds the `authz::lessons` proof). Calls
//! `rows` and `exercises`.

use std::sync::Arc;

use entity::lesson::{self, LessonStatus};
use entity::{exercise, lesson_version};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::dto::{AuthorLessonDetail, LessonDetail, LessonSummary, LessonsFilter};
use super::exercises::{author_exercise, member_exercise};
use super::rows::{exercises_of, find_lesson, find_version, shown_versions, summaries, summary};
use crate::authz::lessons::LessonAuthor;
use crate::cache::TtlCache;
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchText, like_contains};

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
    author: Option<&LessonAuthor>,
    page: PageRequest<(i32, Uuid)>,
) -> Result<Page<LessonSummary>, ApiError> {
    let mut query = shown_versions(author.is_some());
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

/// This replica's copies of published lessons as members read them, by id
/// (in `AppState`; the authoring services drop what they change).
pub type PublishedLessons = TtlCache<Uuid, Arc<PublishedLesson>>;

/// The published version of a lesson with its exercises (404 for drafts).
async fn published(db: &impl ConnectionTrait, id: Uuid) -> Result<PublishedLesson, ApiError> {
    let lesson = find_lesson(db, id).await?;
    let version = lesson
        .published_version
        .filter(|_| lesson.status == LessonStatus::Published)
        .ok_or(ApiError::NotFound)?;
    let version = find_version(db, id, version).await?;
    let exercises = exercises_of(db, version.id).await?;
    Ok(PublishedLesson { lesson, version, exercises })
}

/// A published lesson as members see it: no answers, ordering items
/// scrambled. Read through `cache`: it is the same for every member.
pub async fn member_detail(
    db: &impl ConnectionTrait,
    cache: &PublishedLessons,
    id: Uuid,
) -> Result<LessonDetail, ApiError> {
    let published =
        cache.get_or_load(id, async { Ok::<_, ApiError>(Arc::new(published(db, id).await?)) }).await?;
    Ok(LessonDetail {
        lesson: summary(&published.lesson, &published.version),
        exercises: published.exercises.iter().map(member_exercise).collect(),
    })
}

/// The latest version with its answers, for authors.
pub async fn author_detail(
    db: &impl ConnectionTrait,
    _author: &LessonAuthor,
    id: Uuid,
) -> Result<AuthorLessonDetail, ApiError> {
    let lesson = find_lesson(db, id).await?;
    let version = find_version(db, id, lesson.latest_version).await?;
    let exercises =
        exercises_of(db, version.id).await?.iter().map(author_exercise).collect::<Result<_, _>>()?;
    Ok(AuthorLessonDetail { lesson: summary(&lesson, &version), exercises })
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
