//! Sessions, login throttling, organisations, consent-based accompaniment, the
//! audit log of counsellor reads, and in-app notifications.

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
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::Id).primary_key())
                    .col(uuid(RefreshTokens::UserId))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .foreign_key(&mut user_reference(
                        "fk_refresh_tokens_user",
                        RefreshTokens::Table,
                        RefreshTokens::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_refresh_tokens_family", RefreshTokens::Table, &[RefreshTokens::FamilyId]).await?;
        index(manager, "idx_refresh_tokens_user", RefreshTokens::Table, &[RefreshTokens::UserId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(uuid(LoginFailures::Id).primary_key())
                    .col(string_len(LoginFailures::Scope, 100))
                    .col(timestamp_with_time_zone(LoginFailures::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_login_failures_scope_time",
            LoginFailures::Table,
            &[LoginFailures::Scope, LoginFailures::CreatedAt],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(uuid(Organizations::Id).primary_key())
                    .col(string_len(Organizations::Name, 200))
                    .col(string_len(Organizations::Kind, 32))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganizationMembers::Table)
                    .col(uuid(OrganizationMembers::OrganizationId))
                    .col(uuid(OrganizationMembers::UserId))
                    .col(timestamp_with_time_zone(OrganizationMembers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(OrganizationMembers::OrganizationId)
                            .col(OrganizationMembers::UserId),
                    )
                    .foreign_key(&mut reference(
                        "fk_organization_members_organization",
                        (OrganizationMembers::Table, OrganizationMembers::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_organization_members_user",
                        OrganizationMembers::Table,
                        OrganizationMembers::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_organization_members_user",
            OrganizationMembers::Table,
            &[OrganizationMembers::UserId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accompaniments::Table)
                    .col(uuid(Accompaniments::Id).primary_key())
                    .col(uuid(Accompaniments::CounsellorId))
                    .col(uuid(Accompaniments::MemberId))
                    .col(string_len(Accompaniments::Status, 16))
                    .col(timestamp_with_time_zone(Accompaniments::RequestedAt))
                    .col(timestamp_with_time_zone_null(Accompaniments::ConsentedAt))
                    .col(string_len_null(Accompaniments::ConsentWordingVersion, 32))
                    .col(timestamp_with_time_zone_null(Accompaniments::RefusedAt))
                    .col(timestamp_with_time_zone_null(Accompaniments::RevokedAt))
                    .col(uuid_null(Accompaniments::RevokedBy))
                    .col(timestamp_with_time_zone(Accompaniments::UpdatedAt))
                    .foreign_key(&mut user_reference(
                        "fk_accompaniments_counsellor",
                        Accompaniments::Table,
                        Accompaniments::CounsellorId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_accompaniments_member",
                        Accompaniments::Table,
                        Accompaniments::MemberId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_accompaniments_revoked_by",
                        Accompaniments::Table,
                        Accompaniments::RevokedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_accompaniments_member", Accompaniments::Table, &[Accompaniments::MemberId])
            .await?;
        index(
            manager,
            "idx_accompaniments_counsellor",
            Accompaniments::Table,
            &[Accompaniments::CounsellorId],
        )
        .await?;
        // One open (pending or active) accompaniment per pair; both databases
        // support partial indexes.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uniq_accompaniments_open_pair ON accompaniments (counsellor_id, member_id) \
                 WHERE status IN ('pending', 'active')",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(uuid(AuditLog::Id).primary_key())
                    .col(uuid(AuditLog::ActorId))
                    .col(uuid(AuditLog::MemberId))
                    .col(string_len(AuditLog::Action, 64))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .foreign_key(&mut user_reference(
                        "fk_audit_log_actor",
                        AuditLog::Table,
                        AuditLog::ActorId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_audit_log_member",
                        AuditLog::Table,
                        AuditLog::MemberId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_audit_log_member", AuditLog::Table, &[AuditLog::MemberId]).await?;
        index(manager, "idx_audit_log_actor", AuditLog::Table, &[AuditLog::ActorId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::Id).primary_key())
                    .col(uuid(Notifications::UserId))
                    .col(string_len(Notifications::Kind, 64))
                    .col(string_len(Notifications::Title, 200))
                    .col(text(Notifications::Body))
                    .col(json(Notifications::Data))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(&mut user_reference(
                        "fk_notifications_user",
                        Notifications::Table,
                        Notifications::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_notifications_user",
            Notifications::Table,
            &[Notifications::UserId, Notifications::Id],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notifications::Table.into_iden(),
            AuditLog::Table.into_iden(),
            Accompaniments::Table.into_iden(),
            OrganizationMembers::Table.into_iden(),
            Organizations::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginFailures {
    Table,
    Id,
    Scope,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
    Name,
    Kind,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationMembers {
    Table,
    OrganizationId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Accompaniments {
    Table,
    Id,
    CounsellorId,
    MemberId,
    Status,
    RequestedAt,
    ConsentedAt,
    ConsentWordingVersion,
    RefusedAt,
    RevokedAt,
    RevokedBy,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    MemberId,
    Action,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    Data,
    CreatedAt,
    ReadAt,
}
