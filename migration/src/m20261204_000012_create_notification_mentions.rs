//! Where a notification names someone: the byte span of its body holding a
//! person's display name or free text ("Amina a accepté…", a reason given).
//! Erasing that person rewrites those spans in other people's notifications
//! to the neutral "Compte supprimé" (`notifications::service::forget_mentions`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, reference, user_reference};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NotificationMentions::Table)
                    .col(uuid(NotificationMentions::NotificationId))
                    .col(integer(NotificationMentions::Start))
                    .col(integer(NotificationMentions::Length))
                    .col(uuid(NotificationMentions::UserId))
                    .primary_key(
                        Index::create()
                            .col(NotificationMentions::NotificationId)
                            .col(NotificationMentions::Start),
                    )
                    .foreign_key(&mut reference(
                        "fk_notification_mentions_notification",
                        (NotificationMentions::Table, NotificationMentions::NotificationId),
                        (Notifications::Table, Notifications::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_notification_mentions_user",
                        NotificationMentions::Table,
                        NotificationMentions::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        // Erasure finds the mentions of one person.
        index(
            manager,
            "idx_notification_mentions_user",
            NotificationMentions::Table,
            &[NotificationMentions::UserId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(NotificationMentions::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum NotificationMentions {
    Table,
    NotificationId,
    Start,
    Length,
    UserId,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
}
