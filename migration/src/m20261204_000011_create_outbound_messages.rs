//! The mail outbox: a message is written here in the transaction of the change
//! that causes it (a password reset, an email to verify) and delivered later
//! by the sender task of any replica, which claims due rows under a lease.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, user_reference};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboundMessages::Table)
                    .col(uuid(OutboundMessages::Id).primary_key())
                    .col(string_len(OutboundMessages::Kind, 64))
                    .col(uuid_null(OutboundMessages::UserId))
                    .col(text(OutboundMessages::Recipient))
                    .col(text(OutboundMessages::Subject))
                    .col(text(OutboundMessages::BodyText))
                    .col(text(OutboundMessages::BodyHtml))
                    .col(string_len(OutboundMessages::Status, 16))
                    .col(small_integer(OutboundMessages::Attempts))
                    .col(timestamp_with_time_zone(OutboundMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboundMessages::LeaseUntil))
                    .col(text_null(OutboundMessages::LastError))
                    .col(timestamp_with_time_zone(OutboundMessages::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboundMessages::SentAt))
                    .foreign_key(&mut user_reference(
                        "fk_outbound_messages_user",
                        OutboundMessages::Table,
                        OutboundMessages::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        // The sender's scan: pending rows, soonest due first.
        index(
            manager,
            "idx_outbound_messages_due",
            OutboundMessages::Table,
            &[OutboundMessages::Status, OutboundMessages::NextAttemptAt],
        )
        .await?;
        index(manager, "idx_outbound_messages_user", OutboundMessages::Table, &[OutboundMessages::UserId])
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OutboundMessages::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum OutboundMessages {
    Table,
    Id,
    Kind,
    UserId,
    Recipient,
    Subject,
    BodyText,
    BodyHtml,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}
