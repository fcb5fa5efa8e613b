use sea_orm::entity::prelude::*;

/// A counted attempt, per scope within its throttling window: a login (a
/// failure, or one whose password is still being checked) per
/// `account:<sha256 of the email>` and `address:<client ip>`, and a
/// registration per `register:<client ip>`. Kept in the database so that
/// throttling holds across replicas.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub scope: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
