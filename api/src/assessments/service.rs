//! Recording and reading self-assessments. A member only ever reads their own;
//! counsellors see them through the journey (with consent), and impact figures
//! only in groups of at least K people.

use chrono::Utc;
use entity::assessment::{self, AssessmentInstrument};
use entity::webhook_event::EventType;
use entity::{program, program_module};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::dto::{AssessmentView, NewAssessment};
use super::rses;
use crate::db;
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::webhooks::events::{self, Subject};

/// The programme RSES measures are about when the request names none.
pub const DEFAULT_PROGRAM: &str = "impose_toi";
/// Assessments shown in the journey.
const JOURNEY_ASSESSMENTS: u64 = 50;

pub async fn create(
    db: &DatabaseConnection,
    member_id: Uuid,
    input: NewAssessment,
) -> Result<AssessmentView, ApiError> {
    let score = match input.instrument {
        AssessmentInstrument::Rses => {
            rses::check(&input.answers).map_err(ApiError::Validation)?;
            rses::score(&input.answers)
        }
    };
    let module = match input.module_id {
        Some(id) => Some(
            program_module::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::validation("module_id", "unknown", "field.unknown_module"))?,
        ),
        None => None,
    };
    let program_id = match (input.program_id, &module) {
        (Some(id), _) => {
            program::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::validation("program_id", "unknown", "field.unknown_program"))?;
            if module.as_ref().is_some_and(|m| m.program_id != id) {
                return Err(ApiError::validation(
                    "module_id",
                    "not_in_program",
                    "field.module_not_in_program",
                ));
            }
            id
        }
        (None, Some(module)) => module.program_id,
        (None, None) => {
            program::Entity::find()
                .filter(program::Column::Code.eq(DEFAULT_PROGRAM))
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::Internal(anyhow::anyhow!("the Impose-toi ! programme is not seeded"))
                })?
                .id
        }
    };
    let txn = db::begin_write(db).await?;
    let row = assessment::ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        instrument: Set(input.instrument),
        context: Set(input.context),
        program_id: Set(program_id),
        module_id: Set(module.map(|m| m.id)),
        answers: Set(serde_json::json!(input.answers)),
        score: Set(score),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    // Ids and what was measured when, not the answers nor the score: a
    // partner reads those through the member's audited journey.
    let event = serde_json::json!({
        "assessment_id": row.id, "member_id": member_id, "instrument": row.instrument, "context": row.context,
        "program_id": row.program_id, "module_id": row.module_id,
    });
    events::emit(&txn, EventType::AssessmentRecorded, Subject::Member(member_id), event).await?;
    txn.commit().await?;
    Ok(row.into())
}

/// The member's assessments, newest first.
pub async fn mine(
    db: &impl ConnectionTrait,
    member_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<AssessmentView>, ApiError> {
    let mut query = assessment::Entity::find().filter(assessment::Column::MemberId.eq(member_id));
    if let Some(after) = page.after {
        query = query.filter(assessment::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(assessment::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(AssessmentView::from).collect(), page.limit, |a| a.id))
}

/// The assessments section of a member's journey (the latest ones, newest first).
pub async fn journey(db: &impl ConnectionTrait, member_id: Uuid) -> Result<Vec<AssessmentView>, ApiError> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::MemberId.eq(member_id))
        .order_by_desc(assessment::Column::Id)
        .limit(JOURNEY_ASSESSMENTS)
        .all(db)
        .await?
        .into_iter()
        .map(AssessmentView::from)
        .collect())
}
