//! NumériZen: lessons with immutable versions, their exercises (answer keys
//! stay server-side), attempts, per-exercise answers, learning days (streaks)
//! and idempotency records of retried POSTs.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{reference, user_reference};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lessons::Table)
                    .col(uuid(Lessons::Id).primary_key())
                    .col(string_len_uniq(Lessons::Slug, 100))
                    .col(string_len(Lessons::Status, 16))
                    .col(integer(Lessons::LatestVersion))
                    .col(integer_null(Lessons::PublishedVersion))
                    .col(uuid_null(Lessons::CreatedBy))
                    .col(timestamp_with_time_zone(Lessons::CreatedAt))
                    .col(timestamp_with_time_zone(Lessons::UpdatedAt))
                    .foreign_key(&mut user_reference(
                        "fk_lessons_created_by",
                        Lessons::Table,
                        Lessons::CreatedBy,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LessonVersions::Table)
                    .col(uuid(LessonVersions::Id).primary_key())
                    .col(uuid(LessonVersions::LessonId))
                    .col(integer(LessonVersions::Version))
                    .col(string_len(LessonVersions::Title, 120))
                    .col(string_len(LessonVersions::Summary, 300))
                    .col(uuid(LessonVersions::SkillId))
                    .col(small_integer(LessonVersions::Level))
                    .col(integer(LessonVersions::Position))
                    .col(small_integer(LessonVersions::EstimatedMinutes))
                    .col(boolean(LessonVersions::EasyRead))
                    .col(integer(LessonVersions::ExerciseCount))
                    .col(text(LessonVersions::SearchText))
                    .col(timestamp_with_time_zone(LessonVersions::CreatedAt))
                    .foreign_key(&mut reference(
                        "fk_lesson_versions_lesson",
                        (LessonVersions::Table, LessonVersions::LessonId),
                        (Lessons::Table, Lessons::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_lesson_versions_skill",
                        (LessonVersions::Table, LessonVersions::SkillId),
                        (Skills::Table, Skills::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_lesson_versions_lesson_version")
                    .table(LessonVersions::Table)
                    .col(LessonVersions::LessonId)
                    .col(LessonVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Exercises::Table)
                    .col(uuid(Exercises::Id).primary_key())
                    .col(uuid(Exercises::LessonVersionId))
                    .col(integer(Exercises::Position))
                    .col(string_len(Exercises::Kind, 16))
                    .col(text(Exercises::Prompt))
                    .col(text(Exercises::Explanation))
                    .col(text_null(Exercises::Hint))
                    .col(json_null(Exercises::Options))
                    .col(json(Exercises::AnswerKey))
                    .col(string_len_null(Exercises::ImageUrl, 500))
                    .col(string_len_null(Exercises::ImageAlt, 300))
                    .col(string_len_null(Exercises::AudioUrl, 500))
                    .col(double_null(Exercises::Difficulty))
                    .foreign_key(&mut reference(
                        "fk_exercises_lesson_version",
                        (Exercises::Table, Exercises::LessonVersionId),
                        (LessonVersions::Table, LessonVersions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_exercises_lesson_version")
                    .table(Exercises::Table)
                    .col(Exercises::LessonVersionId)
                    .col(Exercises::Position)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LessonAttempts::Table)
                    .col(uuid(LessonAttempts::Id).primary_key())
                    .col(uuid(LessonAttempts::UserId))
                    .col(uuid(LessonAttempts::LessonId))
                    .col(uuid(LessonAttempts::LessonVersionId))
                    .col(integer(LessonAttempts::LessonVersion))
                    .col(timestamp_with_time_zone(LessonAttempts::StartedAt))
                    .col(timestamp_with_time_zone_null(LessonAttempts::CompletedAt))
                    .col(small_integer_null(LessonAttempts::Score))
                    .col(integer(LessonAttempts::XpAwarded).default(0))
                    .foreign_key(&mut user_reference(
                        "fk_lesson_attempts_user",
                        LessonAttempts::Table,
                        LessonAttempts::UserId,
                    ))
                    .foreign_key(&mut reference(
                        "fk_lesson_attempts_version",
                        (LessonAttempts::Table, LessonAttempts::LessonVersionId),
                        (LessonVersions::Table, LessonVersions::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lesson_attempts_user")
                    .table(LessonAttempts::Table)
                    .col(LessonAttempts::UserId)
                    .col(LessonAttempts::CompletedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttemptAnswers::Table)
                    .col(uuid(AttemptAnswers::AttemptId))
                    .col(uuid(AttemptAnswers::ExerciseId))
                    .col(integer(AttemptAnswers::Tries))
                    .col(boolean(AttemptAnswers::Correct))
                    .col(boolean(AttemptAnswers::FirstTryCorrect))
                    .col(timestamp_with_time_zone(AttemptAnswers::AnsweredAt))
                    .primary_key(
                        Index::create().col(AttemptAnswers::AttemptId).col(AttemptAnswers::ExerciseId),
                    )
                    .foreign_key(&mut reference(
                        "fk_attempt_answers_attempt",
                        (AttemptAnswers::Table, AttemptAnswers::AttemptId),
                        (LessonAttempts::Table, LessonAttempts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_attempt_answers_exercise",
                        (AttemptAnswers::Table, AttemptAnswers::ExerciseId),
                        (Exercises::Table, Exercises::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LearningDays::Table)
                    .col(uuid(LearningDays::UserId))
                    .col(date(LearningDays::Day))
                    .col(integer(LearningDays::Xp).default(0))
                    .primary_key(Index::create().col(LearningDays::UserId).col(LearningDays::Day))
                    .foreign_key(&mut user_reference(
                        "fk_learning_days_user",
                        LearningDays::Table,
                        LearningDays::UserId,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyRecords::Table)
                    .col(uuid(IdempotencyRecords::UserId))
                    .col(string_len(IdempotencyRecords::Key, 255))
                    .col(string_len(IdempotencyRecords::RequestHash, 64))
                    .col(small_integer_null(IdempotencyRecords::ResponseStatus))
                    .col(text_null(IdempotencyRecords::ResponseBody))
                    .col(timestamp_with_time_zone(IdempotencyRecords::CreatedAt))
                    .primary_key(Index::create().col(IdempotencyRecords::UserId).col(IdempotencyRecords::Key))
                    .foreign_key(&mut user_reference(
                        "fk_idempotency_records_user",
                        IdempotencyRecords::Table,
                        IdempotencyRecords::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyRecords::Table.into_iden(),
            LearningDays::Table.into_iden(),
            AttemptAnswers::Table.into_iden(),
            LessonAttempts::Table.into_iden(),
            Exercises::Table.into_iden(),
            LessonVersions::Table.into_iden(),
            Lessons::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Skills {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    Slug,
    Status,
    LatestVersion,
    PublishedVersion,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LessonVersions {
    Table,
    Id,
    LessonId,
    Version,
    Title,
    Summary,
    SkillId,
    Level,
    Position,
    EstimatedMinutes,
    EasyRead,
    ExerciseCount,
    SearchText,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Exercises {
    Table,
    Id,
    LessonVersionId,
    Position,
    Kind,
    Prompt,
    Explanation,
    Hint,
    Options,
    AnswerKey,
    ImageUrl,
    ImageAlt,
    AudioUrl,
    Difficulty,
}

#[derive(DeriveIden)]
enum LessonAttempts {
    Table,
    Id,
    UserId,
    LessonId,
    LessonVersionId,
    LessonVersion,
    StartedAt,
    CompletedAt,
    Score,
    XpAwarded,
}

#[derive(DeriveIden)]
enum AttemptAnswers {
    Table,
    AttemptId,
    ExerciseId,
    Tries,
    Correct,
    FirstTryCorrect,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum LearningDays {
    Table,
    UserId,
    Day,
    Xp,
}

#[derive(DeriveIden)]
enum IdempotencyRecords {
    Table,
    UserId,
    Key,
    RequestHash,
    ResponseStatus,
    ResponseBody,
    CreatedAt,
}
