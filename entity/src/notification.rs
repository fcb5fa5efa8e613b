use sea_orm::entity::prelude::*;

/// An in-app notification for one user.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// Stable machine kind, e.g. `accompaniment.requested`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Ids a front-end needs to link the notification to its object.
    pub data: Json,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
