//! The one Migrator of Tremplin. Migrations are append-only: never edit one that
//! has landed on `main`; add a new one instead.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_users;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261128_000001_create_users::Migration)]
    }
}
