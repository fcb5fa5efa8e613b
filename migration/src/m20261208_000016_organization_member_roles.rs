//! A membership of an organisation gains a role: `member` (works there) or
//! `manager` (may also run the organisation's settings, API clients and
//! webhooks, and publish its training offers). Every existing membership is a
//! plain `member`; admins name the managers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string_len;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrganizationMembers::Table)
                    .add_column(string_len(OrganizationMembers::Role, 16).default("member"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrganizationMembers::Table)
                    .drop_column(OrganizationMembers::Role)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationMembers {
    Table,
    Role,
}
