//! The programme and its ordered modules, read-only here (the migrations
//! write them).
//!
//! Calls only `entity` and `pagination`.

use std::collections::HashMap;

use entity::{program, program_module};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::dto::{ModuleView, ProgramView};
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};

fn module_view(row: program_module::Model) -> ModuleView {
    let skill_codes = serde_json::from_value(row.skill_codes).unwrap_or_default();
    ModuleView {
        id: row.id,
        code: row.code,
        position: row.position,
        title: row.title,
        summary: row.summary,
        prerequisite_module_id: row.prerequisite_module_id,
        skill_codes,
    }
}

async fn program_views(
    db: &impl ConnectionTrait,
    programs: Vec<program::Model>,
) -> Result<Vec<ProgramView>, ApiError> {
    let mut modules: HashMap<Uuid, Vec<ModuleView>> = HashMap::new();
    for row in program_module::Entity::find()
        .filter(program_module::Column::ProgramId.is_in(programs.iter().map(|p| p.id)))
        .order_by_asc(program_module::Column::Position)
        .all(db)
        .await?
    {
        modules.entry(row.program_id).or_default().push(module_view(row));
    }
    Ok(programs
        .into_iter()
        .map(|p| ProgramView {
            modules: modules.remove(&p.id).unwrap_or_default(),
            id: p.id,
            code: p.code,
            name: p.name,
            summary: p.summary,
        })
        .collect())
}

pub async fn programs(
    db: &impl ConnectionTrait,
    page: PageRequest<Uuid>,
) -> Result<Page<ProgramView>, ApiError> {
    let mut query = program::Entity::find();
    if let Some(after) = page.after {
        query = query.filter(program::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(program::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(program_views(db, rows).await?, page.limit, |p| p.id))
}

pub async fn program(db: &impl ConnectionTrait, id: Uuid) -> Result<ProgramView, ApiError> {
    let row = program::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    program_views(db, vec![row]).await?.pop().ok_or(ApiError::NotFound)
}
