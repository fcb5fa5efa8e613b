//! The skill references Enchanté shows with requests, matches and the
//! journey.
//!
//! A leaf: calls only `entity` and `dto`.

use std::collections::HashMap;

use entity::skill;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::dto::SkillRef;
use crate::error::ApiError;

/// Skill references by id, read in one query.
pub struct SkillRefs(HashMap<Uuid, SkillRef>);

impl SkillRefs {
    /// The reference of `id`; blank fields for a skill that went missing.
    pub fn get(&self, id: Uuid) -> SkillRef {
        self.0.get(&id).cloned().unwrap_or(SkillRef { id, code: String::new(), name: String::new() })
    }
}

pub async fn skill_refs(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<SkillRefs, ApiError> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    Ok(SkillRefs(
        skill::Entity::find()
            .filter(skill::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, SkillRef { id: s.id, code: s.code, name: s.name }))
            .collect(),
    ))
}
