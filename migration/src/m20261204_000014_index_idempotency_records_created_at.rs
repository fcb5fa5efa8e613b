//! Idempotency records expire after a day and a periodic sweep deletes them
//! by age: an index on `created_at` keeps the sweep from reading the table.

use sea_orm_migration::prelude::*;

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            "idx_idempotency_records_created_at",
            IdempotencyRecords::Table,
            &[IdempotencyRecords::CreatedAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_idempotency_records_created_at")
                    .table(IdempotencyRecords::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum IdempotencyRecords {
    Table,
    CreatedAt,
}
