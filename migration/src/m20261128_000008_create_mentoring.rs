//! Enchanté: mentor profiles and the languages they speak, weekly availability,
//! match requests, matches with their event history, sessions, feedback, and
//! the safety tables (reports, blocks).

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
                    .table(MentorProfiles::Table)
                    .col(uuid(MentorProfiles::UserId).primary_key())
                    .col(text(MentorProfiles::Bio))
                    .col(boolean(MentorProfiles::OffersRemote))
                    .col(boolean(MentorProfiles::OffersInPerson))
                    .col(boolean(MentorProfiles::OffersPhone))
                    .col(string_len_null(MentorProfiles::Postcode, 5))
                    .col(string_len_null(MentorProfiles::Departement, 3))
                    .col(small_integer(MentorProfiles::MaxActiveMatches))
                    .col(boolean(MentorProfiles::Accepting))
                    .col(integer(MentorProfiles::RatingSum).default(0))
                    .col(integer(MentorProfiles::RatingCount).default(0))
                    .col(timestamp_with_time_zone(MentorProfiles::CreatedAt))
                    .col(timestamp_with_time_zone(MentorProfiles::UpdatedAt))
                    .foreign_key(&mut user_reference(
                        "fk_mentor_profiles_user",
                        MentorProfiles::Table,
                        MentorProfiles::UserId,
                    ))
                    .to_owned(),
            )
            .await?;

        // Suggestions read who offers a skill, and at which level, from this
        // index alone (the primary key of `member_skills` starts with the user).
        index(
            manager,
            "idx_member_skills_offers",
            MemberSkills::Table,
            &[MemberSkills::SkillId, MemberSkills::Kind, MemberSkills::UserId, MemberSkills::Level],
        )
        .await?;
        // The few disabled or erased accounts, so that suggestions exclude them
        // without reading the users table.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_users_inactive ON users (id) WHERE disabled_at IS NOT NULL OR erased_at IS NOT NULL",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MentorLanguages::Table)
                    .col(uuid(MentorLanguages::UserId))
                    .col(string_len(MentorLanguages::Language, 16))
                    .primary_key(Index::create().col(MentorLanguages::UserId).col(MentorLanguages::Language))
                    .foreign_key(&mut reference(
                        "fk_mentor_languages_profile",
                        (MentorLanguages::Table, MentorLanguages::UserId),
                        (MentorProfiles::Table, MentorProfiles::UserId),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_mentor_languages_language",
            MentorLanguages::Table,
            &[MentorLanguages::Language, MentorLanguages::UserId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AvailabilitySlots::Table)
                    .col(uuid(AvailabilitySlots::Id).primary_key())
                    .col(uuid(AvailabilitySlots::UserId))
                    .col(small_integer(AvailabilitySlots::Weekday))
                    .col(small_integer(AvailabilitySlots::StartMinute))
                    .col(small_integer(AvailabilitySlots::EndMinute))
                    .col(string_len(AvailabilitySlots::Timezone, 64))
                    .foreign_key(&mut user_reference(
                        "fk_availability_slots_user",
                        AvailabilitySlots::Table,
                        AvailabilitySlots::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_availability_slots_user", AvailabilitySlots::Table, &[AvailabilitySlots::UserId])
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MatchRequests::Table)
                    .col(uuid(MatchRequests::Id).primary_key())
                    .col(uuid(MatchRequests::LearnerId))
                    .col(uuid(MatchRequests::SkillId))
                    .col(text_null(MatchRequests::Message))
                    .col(boolean(MatchRequests::WantsRemote))
                    .col(boolean(MatchRequests::WantsInPerson))
                    .col(boolean(MatchRequests::WantsPhone))
                    .col(json(MatchRequests::Languages))
                    .col(small_integer_null(MatchRequests::TargetLevel))
                    .col(string_len_null(MatchRequests::Postcode, 5))
                    .col(string_len_null(MatchRequests::Departement, 3))
                    .col(string_len(MatchRequests::Status, 16))
                    .col(timestamp_with_time_zone(MatchRequests::CreatedAt))
                    .col(timestamp_with_time_zone(MatchRequests::UpdatedAt))
                    .foreign_key(&mut user_reference(
                        "fk_match_requests_learner",
                        MatchRequests::Table,
                        MatchRequests::LearnerId,
                    ))
                    .foreign_key(&mut reference(
                        "fk_match_requests_skill",
                        (MatchRequests::Table, MatchRequests::SkillId),
                        (Skills::Table, Skills::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_match_requests_learner",
            MatchRequests::Table,
            &[MatchRequests::LearnerId, MatchRequests::Id],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MentorMatches::Table)
                    .col(uuid(MentorMatches::Id).primary_key())
                    .col(uuid(MentorMatches::RequestId))
                    .col(uuid(MentorMatches::LearnerId))
                    .col(uuid(MentorMatches::MentorId))
                    .col(uuid(MentorMatches::SkillId))
                    .col(string_len(MentorMatches::Status, 16))
                    .col(small_integer_null(MentorMatches::Score))
                    .col(text_null(MentorMatches::Message))
                    .col(uuid_null(MentorMatches::OrganizationId))
                    .col(uuid_null(MentorMatches::ProposedBy))
                    .col(timestamp_with_time_zone_null(MentorMatches::ExpiresAt))
                    .col(timestamp_with_time_zone(MentorMatches::CreatedAt))
                    .col(timestamp_with_time_zone(MentorMatches::UpdatedAt))
                    .foreign_key(&mut reference(
                        "fk_mentor_matches_request",
                        (MentorMatches::Table, MentorMatches::RequestId),
                        (MatchRequests::Table, MatchRequests::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_mentor_matches_learner",
                        MentorMatches::Table,
                        MentorMatches::LearnerId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_mentor_matches_mentor",
                        MentorMatches::Table,
                        MentorMatches::MentorId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_mentor_matches_proposed_by",
                        MentorMatches::Table,
                        MentorMatches::ProposedBy,
                    ))
                    .foreign_key(&mut reference(
                        "fk_mentor_matches_skill",
                        (MentorMatches::Table, MentorMatches::SkillId),
                        (Skills::Table, Skills::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut reference(
                        "fk_mentor_matches_organization",
                        (MentorMatches::Table, MentorMatches::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // Capacity and load count a mentor's accepted matches.
        index(
            manager,
            "idx_mentor_matches_mentor_status",
            MentorMatches::Table,
            &[MentorMatches::MentorId, MentorMatches::Status],
        )
        .await?;
        index(
            manager,
            "idx_mentor_matches_learner",
            MentorMatches::Table,
            &[MentorMatches::LearnerId, MentorMatches::Id],
        )
        .await?;
        // The expiry sweep reads unanswered requests by deadline.
        index(
            manager,
            "idx_mentor_matches_status_expiry",
            MentorMatches::Table,
            &[MentorMatches::Status, MentorMatches::ExpiresAt],
        )
        .await?;
        // One open match per request at a time: a learner asks one mentor,
        // and asks another once that one has answered.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uniq_mentor_matches_open_request ON mentor_matches (request_id) \
                 WHERE status IN ('proposed', 'requested', 'accepted')",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MatchEvents::Table)
                    .col(uuid(MatchEvents::Id).primary_key())
                    .col(uuid(MatchEvents::MatchId))
                    .col(uuid_null(MatchEvents::ActorId))
                    .col(string_len_null(MatchEvents::FromStatus, 16))
                    .col(string_len(MatchEvents::ToStatus, 16))
                    .col(text_null(MatchEvents::Reason))
                    .col(timestamp_with_time_zone(MatchEvents::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_match_events_match",
                        (MatchEvents::Table, MatchEvents::MatchId),
                        (MentorMatches::Table, MentorMatches::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_match_events_actor",
                        MatchEvents::Table,
                        MatchEvents::ActorId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_match_events_match",
            MatchEvents::Table,
            &[MatchEvents::MatchId, MatchEvents::Id],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MatchSessions::Table)
                    .col(uuid(MatchSessions::Id).primary_key())
                    .col(uuid(MatchSessions::MatchId))
                    .col(uuid(MatchSessions::CreatedBy))
                    .col(timestamp_with_time_zone(MatchSessions::StartsAt))
                    .col(small_integer(MatchSessions::DurationMinutes))
                    .col(string_len(MatchSessions::Modality, 16))
                    .col(string_len_null(MatchSessions::Location, 200))
                    .col(timestamp_with_time_zone(MatchSessions::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_match_sessions_match",
                        (MatchSessions::Table, MatchSessions::MatchId),
                        (MentorMatches::Table, MentorMatches::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_match_sessions_created_by",
                        MatchSessions::Table,
                        MatchSessions::CreatedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_match_sessions_match",
            MatchSessions::Table,
            &[MatchSessions::MatchId, MatchSessions::StartsAt],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MatchFeedback::Table)
                    .col(uuid(MatchFeedback::Id).primary_key())
                    .col(uuid(MatchFeedback::MatchId))
                    .col(uuid(MatchFeedback::AuthorId))
                    .col(uuid(MatchFeedback::SubjectId))
                    .col(small_integer(MatchFeedback::Rating))
                    .col(text_null(MatchFeedback::Comment))
                    .col(timestamp_with_time_zone(MatchFeedback::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_match_feedback_match",
                        (MatchFeedback::Table, MatchFeedback::MatchId),
                        (MentorMatches::Table, MentorMatches::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_match_feedback_author",
                        MatchFeedback::Table,
                        MatchFeedback::AuthorId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_match_feedback_subject",
                        MatchFeedback::Table,
                        MatchFeedback::SubjectId,
                    ))
                    .to_owned(),
            )
            .await?;
        // Once per party: the index decides when two submissions race.
        manager
            .create_index(
                Index::create()
                    .name("uniq_match_feedback_author")
                    .table(MatchFeedback::Table)
                    .col(MatchFeedback::MatchId)
                    .col(MatchFeedback::AuthorId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(uuid(Reports::Id).primary_key())
                    .col(uuid(Reports::ReporterId))
                    .col(uuid(Reports::ReportedUserId))
                    .col(uuid_null(Reports::MatchId))
                    .col(text_null(Reports::Reason))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .foreign_key(&mut user_reference(
                        "fk_reports_reporter",
                        Reports::Table,
                        Reports::ReporterId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_reports_reported_user",
                        Reports::Table,
                        Reports::ReportedUserId,
                    ))
                    .foreign_key(&mut reference(
                        "fk_reports_match",
                        (Reports::Table, Reports::MatchId),
                        (MentorMatches::Table, MentorMatches::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_reports_reported_user", Reports::Table, &[Reports::ReportedUserId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Blocks::Table)
                    .col(uuid(Blocks::BlockerId))
                    .col(uuid(Blocks::BlockedId))
                    .col(timestamp_with_time_zone(Blocks::CreatedAt))
                    .primary_key(Index::create().col(Blocks::BlockerId).col(Blocks::BlockedId))
                    .foreign_key(&mut user_reference("fk_blocks_blocker", Blocks::Table, Blocks::BlockerId))
                    .foreign_key(&mut user_reference("fk_blocks_blocked", Blocks::Table, Blocks::BlockedId))
                    .to_owned(),
            )
            .await?;
        // "Is this pair blocked, either way?" reads both directions.
        index(manager, "idx_blocks_blocked", Blocks::Table, &[Blocks::BlockedId, Blocks::BlockerId]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Blocks::Table.into_iden(),
            Reports::Table.into_iden(),
            MatchFeedback::Table.into_iden(),
            MatchSessions::Table.into_iden(),
            MatchEvents::Table.into_iden(),
            MentorMatches::Table.into_iden(),
            MatchRequests::Table.into_iden(),
            AvailabilitySlots::Table.into_iden(),
            MentorLanguages::Table.into_iden(),
            MentorProfiles::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.get_connection().execute_unprepared("DROP INDEX idx_users_inactive").await?;
        manager
            .drop_index(Index::drop().name("idx_member_skills_offers").table(MemberSkills::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Skills {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum MemberSkills {
    Table,
    UserId,
    SkillId,
    Kind,
    Level,
}

#[derive(DeriveIden, Clone, Copy)]
enum MentorProfiles {
    Table,
    UserId,
    Bio,
    OffersRemote,
    OffersInPerson,
    OffersPhone,
    Postcode,
    Departement,
    MaxActiveMatches,
    Accepting,
    RatingSum,
    RatingCount,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MentorLanguages {
    Table,
    UserId,
    Language,
}

#[derive(DeriveIden, Clone, Copy)]
enum AvailabilitySlots {
    Table,
    Id,
    UserId,
    Weekday,
    StartMinute,
    EndMinute,
    Timezone,
}

#[derive(DeriveIden, Clone, Copy)]
enum MatchRequests {
    Table,
    Id,
    LearnerId,
    SkillId,
    Message,
    WantsRemote,
    WantsInPerson,
    WantsPhone,
    Languages,
    TargetLevel,
    Postcode,
    Departement,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MentorMatches {
    Table,
    Id,
    RequestId,
    LearnerId,
    MentorId,
    SkillId,
    Status,
    Score,
    Message,
    OrganizationId,
    ProposedBy,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MatchEvents {
    Table,
    Id,
    MatchId,
    ActorId,
    FromStatus,
    ToStatus,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MatchSessions {
    Table,
    Id,
    MatchId,
    CreatedBy,
    StartsAt,
    DurationMinutes,
    Modality,
    Location,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MatchFeedback {
    Table,
    Id,
    MatchId,
    AuthorId,
    SubjectId,
    Rating,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Reports {
    Table,
    Id,
    ReporterId,
    ReportedUserId,
    MatchId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Blocks {
    Table,
    BlockerId,
    BlockedId,
    CreatedAt,
}
