use sea_orm::entity::prelude::*;

/// A calibrated exercise of the placement test, for one DigComp area.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `digcomp.1` .. `digcomp.5`.
    pub area: String,
    /// The DigComp level the item was written for.
    pub level: i16,
    /// Logit scale of the 1-parameter logistic model.
    pub difficulty: f64,
    pub kind: super::exercise::ExerciseKind,
    pub prompt: String,
    pub explanation: String,
    pub options: Option<Json>,
    pub answer_key: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
