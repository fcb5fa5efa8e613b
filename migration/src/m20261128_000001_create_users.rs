use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(uuid(Users::Id).primary_key())
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(string_len(Users::DisplayName, 80))
                    .col(string_len(Users::Role, 16).default("member"))
                    .col(string_len(Users::Locale, 16).default("fr"))
                    .col(string_len(Users::Timezone, 64).default("Europe/Paris"))
                    .col(text_null(Users::Bio))
                    .col(integer(Users::DailyGoalXp).default(20))
                    .col(timestamp_with_time_zone_null(Users::DisabledAt))
                    .col(timestamp_with_time_zone_null(Users::ErasedAt))
                    .col(timestamp_with_time_zone(Users::LastActiveAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_users_role").table(Users::Table).col(Users::Role).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_last_active_at")
                    .table(Users::Table)
                    .col(Users::LastActiveAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Users::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Role,
    Locale,
    Timezone,
    Bio,
    DailyGoalXp,
    DisabledAt,
    ErasedAt,
    LastActiveAt,
    CreatedAt,
    UpdatedAt,
}
