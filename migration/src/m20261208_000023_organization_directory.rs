//! Organisations become a directory of places: an address (with the
//! département derived from the postcode, stored for filtering), contact,
//! a short description, weekly opening hours in a time zone and the services
//! offered. `search_text` folds the name, city and description for `?q=`.
//! Workshop sessions and match sessions may name such a place (`place_id`).
//!
//! SQLite adds one column per `ALTER TABLE`; a column added with a
//! `REFERENCES` clause must default to NULL there, which these do.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, reference};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_len_null(Organizations::Street, 200),
            string_len_null(Organizations::Postcode, 5),
            string_len_null(Organizations::City, 100),
            string_len_null(Organizations::InseeCode, 5),
            string_len_null(Organizations::Departement, 3),
            string_len_null(Organizations::Phone, 16),
            string_len_null(Organizations::Email, 254),
            string_len_null(Organizations::Website, 300),
            text_null(Organizations::Description),
            string_len_null(Organizations::Timezone, 64),
            string_len(Organizations::SearchText, 1400).default("").to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(Table::alter().table(Organizations::Table).add_column(&mut column).to_owned())
                .await?;
        }
        // Rows created before this migration: their name becomes searchable.
        manager
            .get_connection()
            .execute_unprepared("UPDATE organizations SET search_text = LOWER(name)")
            .await?;
        index(manager, "idx_organizations_departement", Organizations::Table, &[Organizations::Departement])
            .await?;
        index(manager, "idx_organizations_kind", Organizations::Table, &[Organizations::Kind]).await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganizationHours::Table)
                    .col(uuid(OrganizationHours::Id).primary_key())
                    .col(uuid(OrganizationHours::OrganizationId))
                    .col(small_integer(OrganizationHours::Weekday))
                    .col(small_integer(OrganizationHours::StartMinute))
                    .col(small_integer(OrganizationHours::EndMinute))
                    .foreign_key(&mut reference(
                        "fk_organization_hours_organization",
                        (OrganizationHours::Table, OrganizationHours::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_organization_hours_organization",
            OrganizationHours::Table,
            &[OrganizationHours::OrganizationId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganizationServices::Table)
                    .col(uuid(OrganizationServices::OrganizationId))
                    .col(string_len(OrganizationServices::Service, 32))
                    .primary_key(
                        Index::create()
                            .col(OrganizationServices::OrganizationId)
                            .col(OrganizationServices::Service),
                    )
                    .foreign_key(&mut reference(
                        "fk_organization_services_organization",
                        (OrganizationServices::Table, OrganizationServices::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // `?service=` finds the places offering one service.
        index(
            manager,
            "idx_organization_services_service",
            OrganizationServices::Table,
            &[OrganizationServices::Service],
        )
        .await?;

        for table in [Places::Workshops, Places::MatchSessions] {
            let mut column = uuid_null(Places::PlaceId);
            column.extra("REFERENCES organizations (id)");
            manager.alter_table(Table::alter().table(table).add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OrganizationServices::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(OrganizationHours::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
    Kind,
    Street,
    Postcode,
    City,
    InseeCode,
    Departement,
    Phone,
    Email,
    Website,
    Description,
    Timezone,
    SearchText,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationHours {
    Table,
    Id,
    OrganizationId,
    Weekday,
    StartMinute,
    EndMinute,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationServices {
    Table,
    OrganizationId,
    Service,
}

#[derive(DeriveIden, Clone, Copy)]
enum Places {
    Workshops,
    MatchSessions,
    PlaceId,
}
