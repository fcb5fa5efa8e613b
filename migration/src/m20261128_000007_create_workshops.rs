//! Impose-toi !: the programme and its three ordered modules (seeded here, in
//! French), workshop sessions, enrolments with their waiting list, RSES
//! self-assessments and personal calendar feeds.
//!
//! The seat rule lives in the service (one transaction serialised on the
//! workshop); the schema backs it with a partial unique index: one enrolment
//! other than `cancelled` per (workshop, member).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, reference, user_reference};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The programme as the hackathon described it: each module requires the
/// previous one attended.
const PROGRAM: (&str, &str, &str) = (
    "impose_toi",
    "Impose-toi !",
    "Des ateliers pratiques et participatifs pour prendre confiance en soi et faire connaître ses \
     compétences : se révéler, s'affirmer, s'imposer.",
);

const MODULES: [(&str, &str, &str, &[&str]); 3] = [
    (
        "impose_toi.se_reveler",
        "Se révéler",
        "Connaître ses forces et savoir les nommer.",
        &["impose_toi.forces", "impose_toi.confiance"],
    ),
    (
        "impose_toi.s_affirmer",
        "S'affirmer",
        "Prendre la parole, se présenter, faire un pitch.",
        &["impose_toi.prise_de_parole", "impose_toi.pitch"],
    ),
    (
        "impose_toi.s_imposer",
        "S'imposer",
        "Passer à l'action : entretiens, réseau, situations réelles.",
        &["impose_toi.entretien", "impose_toi.reseau"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Programs::Table)
                    .col(uuid(Programs::Id).primary_key())
                    .col(string_len_uniq(Programs::Code, 64))
                    .col(string_len(Programs::Name, 200))
                    .col(text(Programs::Summary))
                    .col(timestamp_with_time_zone(Programs::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgramModules::Table)
                    .col(uuid(ProgramModules::Id).primary_key())
                    .col(uuid(ProgramModules::ProgramId))
                    .col(string_len_uniq(ProgramModules::Code, 64))
                    .col(integer(ProgramModules::Position))
                    .col(string_len(ProgramModules::Title, 200))
                    .col(text(ProgramModules::Summary))
                    .col(uuid_null(ProgramModules::PrerequisiteModuleId))
                    .col(json(ProgramModules::SkillCodes))
                    .col(timestamp_with_time_zone(ProgramModules::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_program_modules_program",
                        (ProgramModules::Table, ProgramModules::ProgramId),
                        (Programs::Table, Programs::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut reference(
                        "fk_program_modules_prerequisite",
                        (ProgramModules::Table, ProgramModules::PrerequisiteModuleId),
                        (ProgramModules::Table, ProgramModules::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Workshops::Table)
                    .col(uuid(Workshops::Id).primary_key())
                    .col(uuid(Workshops::ModuleId))
                    .col(uuid(Workshops::FacilitatorId))
                    .col(string_len(Workshops::Title, 120))
                    .col(text_null(Workshops::Description))
                    .col(timestamp_with_time_zone(Workshops::StartsAt))
                    .col(timestamp_with_time_zone(Workshops::EndsAt))
                    .col(string_len(Workshops::Location, 300))
                    .col(integer(Workshops::Capacity))
                    .col(integer(Workshops::CancellationDeadlineHours))
                    .col(string_len(Workshops::Status, 16))
                    .col(integer(Workshops::Sequence).default(0))
                    .col(timestamp_with_time_zone_null(Workshops::CancelledAt))
                    .col(text_null(Workshops::CancelReason))
                    .col(uuid(Workshops::CreatedBy))
                    .col(timestamp_with_time_zone(Workshops::CreatedAt))
                    .col(timestamp_with_time_zone(Workshops::UpdatedAt))
                    .foreign_key(&mut reference(
                        "fk_workshops_module",
                        (Workshops::Table, Workshops::ModuleId),
                        (ProgramModules::Table, ProgramModules::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_workshops_facilitator",
                        Workshops::Table,
                        Workshops::FacilitatorId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_workshops_created_by",
                        Workshops::Table,
                        Workshops::CreatedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_workshops_starts_at", Workshops::Table, &[Workshops::StartsAt, Workshops::Id])
            .await?;
        index(manager, "idx_workshops_module", Workshops::Table, &[Workshops::ModuleId]).await?;
        index(manager, "idx_workshops_facilitator", Workshops::Table, &[Workshops::FacilitatorId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Enrolments::Table)
                    .col(uuid(Enrolments::Id).primary_key())
                    .col(uuid(Enrolments::WorkshopId))
                    .col(uuid(Enrolments::MemberId))
                    .col(string_len(Enrolments::Status, 16))
                    .col(integer_null(Enrolments::WaitlistPosition))
                    .col(uuid(Enrolments::EnrolledBy))
                    .col(text_null(Enrolments::PrerequisiteOverrideReason))
                    .col(uuid_null(Enrolments::PrerequisiteOverriddenBy))
                    .col(timestamp_with_time_zone_null(Enrolments::ConfirmedAt))
                    .col(timestamp_with_time_zone_null(Enrolments::CancelledAt))
                    .col(uuid_null(Enrolments::CancelledBy))
                    .col(timestamp_with_time_zone_null(Enrolments::AttendanceMarkedAt))
                    .col(uuid_null(Enrolments::AttendanceMarkedBy))
                    .col(timestamp_with_time_zone(Enrolments::CreatedAt))
                    .col(timestamp_with_time_zone(Enrolments::UpdatedAt))
                    .foreign_key(&mut reference(
                        "fk_enrolments_workshop",
                        (Enrolments::Table, Enrolments::WorkshopId),
                        (Workshops::Table, Workshops::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_enrolments_member",
                        Enrolments::Table,
                        Enrolments::MemberId,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_enrolments_enrolled_by",
                        Enrolments::Table,
                        Enrolments::EnrolledBy,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_enrolments_overridden_by",
                        Enrolments::Table,
                        Enrolments::PrerequisiteOverriddenBy,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_enrolments_cancelled_by",
                        Enrolments::Table,
                        Enrolments::CancelledBy,
                    ))
                    .foreign_key(&mut user_reference(
                        "fk_enrolments_attendance_marked_by",
                        Enrolments::Table,
                        Enrolments::AttendanceMarkedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_enrolments_workshop_status",
            Enrolments::Table,
            &[Enrolments::WorkshopId, Enrolments::Status, Enrolments::WaitlistPosition],
        )
        .await?;
        index(manager, "idx_enrolments_member", Enrolments::Table, &[Enrolments::MemberId, Enrolments::Id])
            .await?;
        // The backstop of "no double enrolment": both databases support
        // partial indexes.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uniq_enrolments_active_member ON enrolments (workshop_id, member_id) \
                 WHERE status IN ('confirmed', 'waitlisted', 'attended', 'no_show')",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assessments::Table)
                    .col(uuid(Assessments::Id).primary_key())
                    .col(uuid(Assessments::MemberId))
                    .col(string_len(Assessments::Instrument, 16))
                    .col(string_len(Assessments::Context, 8))
                    .col(uuid(Assessments::ProgramId))
                    .col(uuid_null(Assessments::ModuleId))
                    .col(json(Assessments::Answers))
                    .col(small_integer(Assessments::Score))
                    .col(timestamp_with_time_zone(Assessments::CreatedAt))
                    .foreign_key(&mut user_reference(
                        "fk_assessments_member",
                        Assessments::Table,
                        Assessments::MemberId,
                    ))
                    .foreign_key(&mut reference(
                        "fk_assessments_program",
                        (Assessments::Table, Assessments::ProgramId),
                        (Programs::Table, Programs::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut reference(
                        "fk_assessments_module",
                        (Assessments::Table, Assessments::ModuleId),
                        (ProgramModules::Table, ProgramModules::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_assessments_member",
            Assessments::Table,
            &[Assessments::MemberId, Assessments::Id],
        )
        .await?;
        index(manager, "idx_assessments_program", Assessments::Table, &[Assessments::ProgramId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(CalendarFeeds::Table)
                    .col(uuid(CalendarFeeds::Id).primary_key())
                    .col(uuid(CalendarFeeds::UserId))
                    .col(string_len_uniq(CalendarFeeds::TokenHash, 64))
                    .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                    .col(timestamp_with_time_zone_null(CalendarFeeds::RevokedAt))
                    .foreign_key(&mut user_reference(
                        "fk_calendar_feeds_user",
                        CalendarFeeds::Table,
                        CalendarFeeds::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        // One live feed per person: a new one is made only by revoking the old.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uniq_calendar_feeds_live_user ON calendar_feeds (user_id) \
                 WHERE revoked_at IS NULL",
            )
            .await?;

        seed_programme(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CalendarFeeds::Table.into_iden(),
            Assessments::Table.into_iden(),
            Enrolments::Table.into_iden(),
            Workshops::Table.into_iden(),
            ProgramModules::Table.into_iden(),
            Programs::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

async fn seed_programme(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let now = chrono::Utc::now();
    let program_id = uuid::Uuid::now_v7();
    let (code, name, summary) = PROGRAM;
    let insert = Query::insert()
        .into_table(Programs::Table)
        .columns([Programs::Id, Programs::Code, Programs::Name, Programs::Summary, Programs::CreatedAt])
        .values([program_id.into(), code.into(), name.into(), summary.into(), now.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    db.execute(&insert).await?;
    let mut previous: Option<uuid::Uuid> = None;
    for (position, (code, title, summary, skills)) in MODULES.into_iter().enumerate() {
        let id = uuid::Uuid::now_v7();
        let skills = serde_json::Value::from(skills.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        let insert = Query::insert()
            .into_table(ProgramModules::Table)
            .columns([
                ProgramModules::Id,
                ProgramModules::ProgramId,
                ProgramModules::Code,
                ProgramModules::Position,
                ProgramModules::Title,
                ProgramModules::Summary,
                ProgramModules::PrerequisiteModuleId,
                ProgramModules::SkillCodes,
                ProgramModules::CreatedAt,
            ])
            .values([
                id.into(),
                program_id.into(),
                code.into(),
                (position as i32 + 1).into(),
                title.into(),
                summary.into(),
                previous.into(),
                skills.into(),
                now.into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        db.execute(&insert).await?;
        previous = Some(id);
    }
    Ok(())
}

#[derive(DeriveIden, Clone, Copy)]
enum Programs {
    Table,
    Id,
    Code,
    Name,
    Summary,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProgramModules {
    Table,
    Id,
    ProgramId,
    Code,
    Position,
    Title,
    Summary,
    PrerequisiteModuleId,
    SkillCodes,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Workshops {
    Table,
    Id,
    ModuleId,
    FacilitatorId,
    Title,
    Description,
    StartsAt,
    EndsAt,
    Location,
    Capacity,
    CancellationDeadlineHours,
    Status,
    Sequence,
    CancelledAt,
    CancelReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Enrolments {
    Table,
    Id,
    WorkshopId,
    MemberId,
    Status,
    WaitlistPosition,
    EnrolledBy,
    PrerequisiteOverrideReason,
    PrerequisiteOverriddenBy,
    ConfirmedAt,
    CancelledAt,
    CancelledBy,
    AttendanceMarkedAt,
    AttendanceMarkedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Assessments {
    Table,
    Id,
    MemberId,
    Instrument,
    Context,
    ProgramId,
    ModuleId,
    Answers,
    Score,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CalendarFeeds {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    RevokedAt,
}
