use sea_orm::entity::prelude::*;

/// One answer of a placement test; the difficulty is copied so the estimate
/// can be recomputed from the answers alone.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub test_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: Uuid,
    pub area: String,
    pub difficulty: f64,
    pub correct: bool,
    pub answered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
