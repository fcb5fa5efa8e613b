//! The starter lessons (`migration/data/lessons/*.json`, written for
//! facilitators to read) are published at start when missing, matched on
//! their slug; lessons already there are never changed.

use entity::skill;
use include_dir::{Dir, include_dir};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::dto::{ExerciseInput, LessonInput};
use super::editing;

static LESSONS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../migration/data/lessons");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StarterLesson {
    slug: String,
    title: String,
    summary: String,
    /// Code of the skill, e.g. `digcomp.2.1`.
    skill: String,
    level: i16,
    position: i32,
    estimated_minutes: i16,
    easy_read: bool,
    exercises: Vec<ExerciseInput>,
}

/// Publishes the missing starter lessons; returns how many were added.
pub async fn run(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let mut files: Vec<_> =
        LESSONS.files().filter(|f| f.path().extension().is_some_and(|e| e == "json")).collect();
    files.sort_by_key(|f| f.path());
    let mut added = 0;
    for file in files {
        let name = file.path().display().to_string();
        let lesson: StarterLesson =
            serde_json::from_slice(file.contents()).map_err(|e| anyhow::anyhow!("lessons/{name}: {e}"))?;
        if editing::slug_exists(db, &lesson.slug).await.map_err(|e| anyhow::anyhow!("{e}"))? {
            continue;
        }
        let skill = skill::Entity::find()
            .filter(skill::Column::Code.eq(lesson.skill.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("lessons/{name}: unknown skill {}", lesson.skill))?;
        let input = LessonInput {
            title: lesson.title,
            summary: lesson.summary,
            skill_id: skill.id,
            level: lesson.level,
            position: Some(lesson.position),
            estimated_minutes: lesson.estimated_minutes,
            easy_read: lesson.easy_read,
            exercises: lesson.exercises,
        };
        validator::Validate::validate(&input).map_err(|e| anyhow::anyhow!("lessons/{name}: {e}"))?;
        editing::create_published(db, Some(lesson.slug), input)
            .await
            .map_err(|e| anyhow::anyhow!("lessons/{name}: {e:?}"))?;
        added += 1;
    }
    Ok(added)
}
