use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::reference;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Skills::Table)
                    .if_not_exists()
                    .col(uuid(Skills::Id).primary_key())
                    .col(string_len_uniq(Skills::Code, 64))
                    .col(string_len(Skills::Name, 200))
                    .col(string_len_null(Skills::NameEn, 200))
                    .col(text(Skills::Description).default(""))
                    .col(text(Skills::SearchText).default(""))
                    .col(string_len(Skills::Framework, 16))
                    .col(string_len(Skills::Category, 16))
                    .col(uuid_null(Skills::ParentId))
                    .col(small_integer(Skills::LevelMax))
                    .col(timestamp_with_time_zone(Skills::CreatedAt))
                    .col(timestamp_with_time_zone(Skills::UpdatedAt))
                    .foreign_key(&mut reference(
                        "fk_skills_parent",
                        (Skills::Table, Skills::ParentId),
                        (Skills::Table, Skills::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in
            [("idx_skills_parent", Skills::ParentId), ("idx_skills_framework", Skills::Framework)]
        {
            manager
                .create_index(Index::create().name(name).table(Skills::Table).col(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Skills::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Skills {
    Table,
    Id,
    Code,
    Name,
    NameEn,
    Description,
    SearchText,
    Framework,
    Category,
    ParentId,
    LevelMax,
    CreatedAt,
    UpdatedAt,
}
