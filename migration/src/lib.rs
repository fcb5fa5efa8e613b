//! The one Migrator of Tremplin. Migrations are append-only: never edit one that
//! has landed on `main`; add a new one instead.

pub use sea_orm_migration::prelude::*;

pub mod seed;
pub mod usernames;

mod helpers;

mod m20261128_000001_create_users;
mod m20261128_000002_create_skills;
mod m20261128_000003_create_accounts;
mod m20261128_000004_create_member_skills;
mod m20261128_000005_create_lessons;
mod m20261128_000006_create_adaptive_learning;
mod m20261128_000007_create_workshops;
mod m20261128_000008_create_mentoring;
mod m20261128_000009_index_lapsed_reviews;
mod m20261128_000010_create_mentor_offers;
mod m20261204_000011_create_outbound_messages;
mod m20261204_000012_create_notification_mentions;
mod m20261204_000013_accounts_without_email;
mod m20261204_000014_index_idempotency_records_created_at;
mod m20261204_000015_random_ordering_item_ids;
mod m20261208_000016_organization_member_roles;
mod m20261208_000017_create_api_clients;
mod m20261208_000019_create_webhooks;
mod m20261208_000021_create_credentials;
mod m20261208_000023_organization_directory;
mod m20261208_000024_create_training_offers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_users::Migration),
            Box::new(m20261128_000002_create_skills::Migration),
            Box::new(m20261128_000003_create_accounts::Migration),
            Box::new(m20261128_000004_create_member_skills::Migration),
            Box::new(m20261128_000005_create_lessons::Migration),
            Box::new(m20261128_000006_create_adaptive_learning::Migration),
            Box::new(m20261128_000007_create_workshops::Migration),
            Box::new(m20261128_000008_create_mentoring::Migration),
            Box::new(m20261128_000009_index_lapsed_reviews::Migration),
            Box::new(m20261128_000010_create_mentor_offers::Migration),
            Box::new(m20261204_000011_create_outbound_messages::Migration),
            Box::new(m20261204_000012_create_notification_mentions::Migration),
            Box::new(m20261204_000013_accounts_without_email::Migration),
            Box::new(m20261204_000014_index_idempotency_records_created_at::Migration),
            Box::new(m20261204_000015_random_ordering_item_ids::Migration),
            Box::new(m20261208_000016_organization_member_roles::Migration),
            Box::new(m20261208_000017_create_api_clients::Migration),
            Box::new(m20261208_000019_create_webhooks::Migration),
            Box::new(m20261208_000021_create_credentials::Migration),
            Box::new(m20261208_000023_organization_directory::Migration),
            Box::new(m20261208_000024_create_training_offers::Migration),
        ]
    }
}
