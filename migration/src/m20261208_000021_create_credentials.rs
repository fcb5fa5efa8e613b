//! Open Badges: the achievements members were awarded (one row per member
//! and achievement, each with its place in the revocation status list) and
//! the issuer's signing keys (every key ever used stays, so credentials it
//! signed still verify after a rotation).

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
                    .table(Awards::Table)
                    .col(uuid(Awards::Id).primary_key())
                    .col(uuid(Awards::UserId))
                    .col(string_len(Awards::Achievement, 128))
                    .col(timestamp_with_time_zone(Awards::AwardedAt))
                    .col(integer(Awards::StatusIndex).unique_key())
                    .col(string_len(Awards::IdentitySalt, 64))
                    .col(timestamp_with_time_zone_null(Awards::RevokedAt))
                    .col(uuid_null(Awards::RevokedBy))
                    .col(text_null(Awards::RevokeReason))
                    .foreign_key(&mut user_reference("fk_awards_user", Awards::Table, Awards::UserId))
                    .foreign_key(&mut user_reference(
                        "fk_awards_revoked_by",
                        Awards::Table,
                        Awards::RevokedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        // Never twice the same achievement for one member.
        manager
            .create_index(
                Index::create()
                    .name("uq_awards_user_achievement")
                    .table(Awards::Table)
                    .col(Awards::UserId)
                    .col(Awards::Achievement)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Revocation lists the revoked indices.
        index(manager, "idx_awards_revoked_at", Awards::Table, &[Awards::RevokedAt]).await?;
        manager
            .create_table(
                Table::create()
                    .table(CredentialKeys::Table)
                    .col(string_len(CredentialKeys::Kid, 64).primary_key())
                    .col(json(CredentialKeys::PublicJwk))
                    .col(text_null(CredentialKeys::PrivatePem))
                    .col(timestamp_with_time_zone(CredentialKeys::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CredentialKeys::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Awards::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Awards {
    Table,
    Id,
    UserId,
    Achievement,
    AwardedAt,
    StatusIndex,
    IdentitySalt,
    RevokedAt,
    RevokedBy,
    RevokeReason,
}

#[derive(DeriveIden, Clone, Copy)]
enum CredentialKeys {
    Table,
    Kid,
    PublicJwk,
    PrivatePem,
    CreatedAt,
}
