use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A self-assessment questionnaire a member filled in, before or after a
/// module or the programme. `answers` keeps the raw answers (JSON array).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub instrument: AssessmentInstrument,
    pub context: AssessmentContext,
    pub program_id: Uuid,
    /// Set when the measure is about one module rather than the whole programme.
    pub module_id: Option<Uuid>,
    pub answers: Json,
    pub score: i16,
    pub created_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum AssessmentInstrument {
    /// Rosenberg Self-Esteem Scale: 10 items answered 1..4, score 10..40.
    #[sea_orm(string_value = "rses")]
    Rses,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum AssessmentContext {
    #[sea_orm(string_value = "pre")]
    Pre,
    #[sea_orm(string_value = "post")]
    Post,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
