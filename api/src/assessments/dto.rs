//! Bodies of the assessment routes.

use chrono::{DateTime, Utc};
use entity::assessment::{AssessmentContext, AssessmentInstrument};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// `POST /assessments`. The answers are checked item by item (`answers[3]`).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NewAssessment {
    pub instrument: AssessmentInstrument,
    /// Before (`pre`) or after (`post`) the module or programme.
    pub context: AssessmentContext,
    /// Defaults to the Impose-toi ! programme (or the module's programme).
    pub program_id: Option<Uuid>,
    /// When the measure is about one module.
    pub module_id: Option<Uuid>,
    /// RSES: 10 answers, each from 1 (strongly disagree) to 4 (strongly agree).
    #[schema(min_items = 10, max_items = 10, example = json!([3, 2, 3, 3, 2, 1, 4, 2, 1, 3]))]
    pub answers: Vec<i32>,
}

/// A recorded self-assessment and its score (RSES: 10..40, higher is better).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: Uuid,
    pub instrument: AssessmentInstrument,
    pub context: AssessmentContext,
    pub program_id: Uuid,
    pub module_id: Option<Uuid>,
    pub answers: Vec<i32>,
    #[schema(minimum = 10, maximum = 40)]
    pub score: i16,
    pub created_at: DateTime<Utc>,
}

impl From<entity::assessment::Model> for AssessmentView {
    fn from(row: entity::assessment::Model) -> Self {
        AssessmentView {
            id: row.id,
            instrument: row.instrument,
            context: row.context,
            program_id: row.program_id,
            module_id: row.module_id,
            answers: serde_json::from_value(row.answers).unwrap_or_default(),
            score: row.score,
            created_at: row.created_at,
        }
    }
}
