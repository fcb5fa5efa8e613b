use sea_orm::entity::prelude::*;

/// One adaptive placement test of a member; `current_item_id` is the item
/// being asked, `result` is set when the test ends.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_tests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub started_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    pub current_item_id: Option<Uuid>,
    pub result: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
