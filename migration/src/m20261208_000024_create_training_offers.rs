//! Training offers of training centres: what an offer teaches (skills with
//! the level reached) and asks first (skills with a minimum level), how it is
//! funded, and its dated sessions. An offer is `draft`, `published` or
//! `archived`; only published ones are listed publicly.

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
                    .table(TrainingOffers::Table)
                    .col(uuid(TrainingOffers::Id).primary_key())
                    .col(uuid(TrainingOffers::OrganizationId))
                    .col(string_len(TrainingOffers::Title, 200))
                    .col(text(TrainingOffers::Description))
                    .col(string_len_null(TrainingOffers::Certification, 300))
                    .col(string_len_null(TrainingOffers::CertificationCode, 12))
                    .col(text_null(TrainingOffers::Prerequisites))
                    .col(string_len(TrainingOffers::Modality, 16))
                    .col(uuid_null(TrainingOffers::PlaceId))
                    .col(integer(TrainingOffers::DurationHours))
                    .col(integer_null(TrainingOffers::CostEuros))
                    .col(text_null(TrainingOffers::Accessibility))
                    .col(string_len_null(TrainingOffers::ContactEmail, 254))
                    .col(string_len_null(TrainingOffers::ContactPhone, 16))
                    .col(string_len(TrainingOffers::Status, 16))
                    .col(string_len(TrainingOffers::SearchText, 2000))
                    .col(uuid(TrainingOffers::CreatedBy))
                    .col(timestamp_with_time_zone_null(TrainingOffers::PublishedAt))
                    .col(timestamp_with_time_zone_null(TrainingOffers::ArchivedAt))
                    .col(timestamp_with_time_zone(TrainingOffers::CreatedAt))
                    .col(timestamp_with_time_zone(TrainingOffers::UpdatedAt))
                    .foreign_key(&mut reference(
                        "fk_training_offers_organization",
                        (TrainingOffers::Table, TrainingOffers::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut reference(
                        "fk_training_offers_place",
                        (TrainingOffers::Table, TrainingOffers::PlaceId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_training_offers_created_by",
                        TrainingOffers::Table,
                        TrainingOffers::CreatedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        // The public list: published offers, newest first.
        index(
            manager,
            "idx_training_offers_status_id",
            TrainingOffers::Table,
            &[TrainingOffers::Status, TrainingOffers::Id],
        )
        .await?;
        index(
            manager,
            "idx_training_offers_organization",
            TrainingOffers::Table,
            &[TrainingOffers::OrganizationId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrainingOfferSkills::Table)
                    .col(uuid(TrainingOfferSkills::OfferId))
                    .col(uuid(TrainingOfferSkills::SkillId))
                    .col(string_len(TrainingOfferSkills::Kind, 16))
                    .col(small_integer(TrainingOfferSkills::Level))
                    .primary_key(
                        Index::create()
                            .col(TrainingOfferSkills::OfferId)
                            .col(TrainingOfferSkills::Kind)
                            .col(TrainingOfferSkills::SkillId),
                    )
                    .foreign_key(&mut reference(
                        "fk_training_offer_skills_offer",
                        (TrainingOfferSkills::Table, TrainingOfferSkills::OfferId),
                        (TrainingOffers::Table, TrainingOffers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_training_offer_skills_skill",
                        (TrainingOfferSkills::Table, TrainingOfferSkills::SkillId),
                        (Skills::Table, Skills::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // `?skill_id=` finds the offers targeting a skill.
        index(
            manager,
            "idx_training_offer_skills_skill",
            TrainingOfferSkills::Table,
            &[TrainingOfferSkills::SkillId, TrainingOfferSkills::Kind],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrainingOfferFunding::Table)
                    .col(uuid(TrainingOfferFunding::OfferId))
                    .col(string_len(TrainingOfferFunding::Funding, 16))
                    .primary_key(
                        Index::create().col(TrainingOfferFunding::OfferId).col(TrainingOfferFunding::Funding),
                    )
                    .foreign_key(&mut reference(
                        "fk_training_offer_funding_offer",
                        (TrainingOfferFunding::Table, TrainingOfferFunding::OfferId),
                        (TrainingOffers::Table, TrainingOffers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrainingSessions::Table)
                    .col(uuid(TrainingSessions::Id).primary_key())
                    .col(uuid(TrainingSessions::OfferId))
                    .col(date(TrainingSessions::StartsOn))
                    .col(date(TrainingSessions::EndsOn))
                    .col(integer_null(TrainingSessions::Seats))
                    .col(date_null(TrainingSessions::ApplicationDeadline))
                    .col(uuid_null(TrainingSessions::PlaceId))
                    .col(timestamp_with_time_zone(TrainingSessions::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_training_sessions_offer",
                        (TrainingSessions::Table, TrainingSessions::OfferId),
                        (TrainingOffers::Table, TrainingOffers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_training_sessions_place",
                        (TrainingSessions::Table, TrainingSessions::PlaceId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_training_sessions_offer_starts",
            TrainingSessions::Table,
            &[TrainingSessions::OfferId, TrainingSessions::StartsOn],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TrainingSessions::Table.into_iden(),
            TrainingOfferFunding::Table.into_iden(),
            TrainingOfferSkills::Table.into_iden(),
            TrainingOffers::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingOffers {
    Table,
    Id,
    OrganizationId,
    Title,
    Description,
    Certification,
    CertificationCode,
    Prerequisites,
    Modality,
    PlaceId,
    DurationHours,
    CostEuros,
    Accessibility,
    ContactEmail,
    ContactPhone,
    Status,
    SearchText,
    CreatedBy,
    PublishedAt,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingOfferSkills {
    Table,
    OfferId,
    SkillId,
    Kind,
    Level,
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingOfferFunding {
    Table,
    OfferId,
    Funding,
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingSessions {
    Table,
    Id,
    OfferId,
    StartsOn,
    EndsOn,
    Seats,
    ApplicationDeadline,
    PlaceId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Skills {
    Table,
    Id,
}
