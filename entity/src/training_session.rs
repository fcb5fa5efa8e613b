use sea_orm::entity::prelude::*;

/// A dated session of a training offer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub offer_id: Uuid,
    pub starts_on: Date,
    pub ends_on: Date,
    pub seats: Option<i32>,
    /// The last day to apply.
    pub application_deadline: Option<Date>,
    /// Where, when it differs from the offer's place.
    pub place_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
