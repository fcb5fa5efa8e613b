//! The published lessons and the skills they teach, as recommendations and
//! placement results read them. Both are the same for every member and change
//! only when an author publishes or an admin edits a skill, so the state keeps
//! one copy for a few seconds (`AppState::catalogue`) instead of every request
//! loading them again.

use std::collections::{BTreeSet, HashMap};

use entity::skill;
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::error::ApiError;
use crate::lessons::dto::LessonSummary;
use crate::lessons::views;

pub struct Catalogue {
    /// Published lessons, in path order.
    pub lessons: Vec<LessonSummary>,
    skills: HashMap<Uuid, skill::Model>,
}

impl Catalogue {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, ApiError> {
        let skills = skill::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s)).collect();
        Ok(Catalogue { lessons: views::published_summaries(db).await?, skills })
    }

    pub fn skill(&self, id: Uuid) -> Option<&skill::Model> {
        self.skills.get(&id)
    }

    pub fn skill_name(&self, id: Uuid) -> String {
        self.skill(id).map(|s| s.name.clone()).unwrap_or_default()
    }

    pub fn skill_by_code(&self, code: &str) -> Option<&skill::Model> {
        self.skills.values().find(|s| s.code == code)
    }

    fn parent_of(&self, skill_id: Uuid) -> Option<&skill::Model> {
        self.skill(skill_id)?.parent_id.and_then(|parent| self.skill(parent))
    }

    /// Published lessons of a skill or of its sub-skills.
    pub fn lessons_of_skill(&self, skill_id: Uuid) -> impl Iterator<Item = &LessonSummary> {
        self.lessons.iter().filter(move |l| {
            l.skill_id == skill_id || self.skill(l.skill_id).and_then(|s| s.parent_id) == Some(skill_id)
        })
    }

    /// Published lessons of a DigComp area (through their competence's parent).
    pub fn lessons_of_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a LessonSummary> {
        self.lessons.iter().filter(move |l| self.parent_of(l.skill_id).is_some_and(|p| p.code == area))
    }
}

/// The lessons among `candidates` not in `done`, closest to `level` first,
/// then in path order.
pub fn closest_to<'a>(
    candidates: impl Iterator<Item = &'a LessonSummary>,
    level: i16,
    done: &BTreeSet<Uuid>,
) -> Vec<&'a LessonSummary> {
    let mut open: Vec<&LessonSummary> = candidates.filter(|l| !done.contains(&l.id)).collect();
    open.sort_by_key(|l| ((l.level - level).abs(), l.position));
    open
}
