use sea_orm::entity::prelude::*;

/// The SHA-256 of a username whose account was erased: the name itself is
/// gone with the person, and no other account will ever receive it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retired_usernames")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub username_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
