use sea_orm::entity::prelude::*;

/// A weekly availability of a member: `weekday` 1 (Monday) ..= 7, minutes
/// since local midnight in `timezone` (IANA), `start_minute < end_minute <= 1440`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "availability_slots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub weekday: i16,
    pub start_minute: i16,
    pub end_minute: i16,
    pub timezone: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
