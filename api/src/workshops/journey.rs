//! The workshops section of a member's journey: the modules of the programme
//! they completed (attended) and their latest enrolments.
//!
//! Read by the journey area, which has checked who may read it; calls `views`.

use entity::{enrolment, program_module};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::common::attended_modules;
use super::dto::{ModuleProgress, WorkshopsJourney};
use super::views::with_workshops;
use crate::error::ApiError;

/// Enrolments shown in the journey.
const JOURNEY_ENROLMENTS: u64 = 50;

/// The workshops section of a member's journey.
pub async fn journey(db: &impl ConnectionTrait, member_id: Uuid) -> Result<WorkshopsJourney, ApiError> {
    let attended = attended_modules(db, member_id).await?;
    let modules: Vec<ModuleProgress> = program_module::Entity::find()
        .order_by_asc(program_module::Column::ProgramId)
        .order_by_asc(program_module::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| ModuleProgress {
            completed: attended.contains(&m.id),
            module_id: m.id,
            code: m.code,
            title: m.title,
            position: m.position,
        })
        .collect();
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(member_id))
        .order_by_desc(enrolment::Column::Id)
        .limit(JOURNEY_ENROLMENTS)
        .all(db)
        .await?;
    Ok(WorkshopsJourney {
        program_completed: !modules.is_empty() && modules.iter().all(|m| m.completed),
        modules,
        enrolments: with_workshops(db, rows).await?,
    })
}
