use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An exercise of one lesson version. `answer_key` never leaves the server
/// before the learner has answered.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "exercises")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lesson_version_id: Uuid,
    pub position: i32,
    pub kind: ExerciseKind,
    pub prompt: String,
    pub explanation: String,
    pub hint: Option<String>,
    /// `[{id, text}]`: the choices, or the ordering items in the right order.
    pub options: Option<Json>,
    pub answer_key: Json,
    pub image_url: Option<String>,
    pub image_alt: Option<String>,
    pub audio_url: Option<String>,
    /// On the logit scale of the 1-parameter logistic model (about −3..3).
    pub difficulty: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    #[sea_orm(string_value = "single_choice")]
    SingleChoice,
    #[sea_orm(string_value = "multiple_choice")]
    MultipleChoice,
    #[sea_orm(string_value = "true_false")]
    TrueFalse,
    #[sea_orm(string_value = "ordering")]
    Ordering,
    #[sea_orm(string_value = "text_input")]
    TextInput,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::lesson_version::Entity",
        from = "Column::LessonVersionId",
        to = "super::lesson_version::Column::Id"
    )]
    LessonVersion,
}

impl Related<super::lesson_version::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LessonVersion.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
