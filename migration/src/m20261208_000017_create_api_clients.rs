//! Organisation API clients (OAuth 2.0 client credentials, issue 15): a
//! client belongs to an organisation, holds a set of scopes and the SHA-256
//! of its secret (a random 256-bit value, so a fast hash is enough); revoking
//! it sets `revoked_at`, which every request checks. `client_audit_log`
//! records each read of a member's data by a client, as `audit_log` does for
//! counsellors (whose `actor_id` must be a person).

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
                    .table(ApiClients::Table)
                    .col(uuid(ApiClients::Id).primary_key())
                    .col(uuid(ApiClients::OrganizationId))
                    .col(string_len(ApiClients::Name, 100))
                    .col(string_len(ApiClients::Scopes, 200))
                    .col(string_len(ApiClients::SecretHash, 64))
                    .col(timestamp_with_time_zone(ApiClients::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::RevokedAt))
                    .foreign_key(&mut reference(
                        "fk_api_clients_organization",
                        (ApiClients::Table, ApiClients::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_api_clients_organization", ApiClients::Table, &[ApiClients::OrganizationId])
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClientAuditLog::Table)
                    .col(uuid(ClientAuditLog::Id).primary_key())
                    .col(uuid(ClientAuditLog::ApiClientId))
                    .col(uuid(ClientAuditLog::MemberId))
                    .col(string_len(ClientAuditLog::Action, 64))
                    .col(timestamp_with_time_zone(ClientAuditLog::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_client_audit_log_client",
                        (ClientAuditLog::Table, ClientAuditLog::ApiClientId),
                        (ApiClients::Table, ApiClients::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_client_audit_log_member",
                        ClientAuditLog::Table,
                        ClientAuditLog::MemberId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_client_audit_log_member", ClientAuditLog::Table, &[ClientAuditLog::MemberId])
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ClientAuditLog::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ApiClients::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiClients {
    Table,
    Id,
    OrganizationId,
    Name,
    Scopes,
    SecretHash,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ClientAuditLog {
    Table,
    Id,
    ApiClientId,
    MemberId,
    Action,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}
