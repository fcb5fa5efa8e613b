//! NumériZen adaptive learning: a spaced-repetition memory state per member
//! and exercise (FSRS), the placement item bank and placement tests.

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
                    .table(ReviewStates::Table)
                    .col(uuid(ReviewStates::UserId))
                    .col(uuid(ReviewStates::ExerciseId))
                    .col(timestamp_with_time_zone(ReviewStates::Due))
                    .col(double(ReviewStates::Stability))
                    .col(double(ReviewStates::Difficulty))
                    .col(integer(ReviewStates::ElapsedDays))
                    .col(integer(ReviewStates::ScheduledDays))
                    .col(integer(ReviewStates::Reps))
                    .col(integer(ReviewStates::Lapses))
                    .col(small_integer(ReviewStates::State))
                    .col(small_integer(ReviewStates::LastRating))
                    .col(timestamp_with_time_zone(ReviewStates::LastReview))
                    .primary_key(Index::create().col(ReviewStates::UserId).col(ReviewStates::ExerciseId))
                    .foreign_key(&mut user_reference(
                        "fk_review_states_user",
                        ReviewStates::Table,
                        ReviewStates::UserId,
                    ))
                    .foreign_key(&mut reference(
                        "fk_review_states_exercise",
                        (ReviewStates::Table, ReviewStates::ExerciseId),
                        (Exercises::Table, Exercises::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_review_states_user_due")
                    .table(ReviewStates::Table)
                    .col(ReviewStates::UserId)
                    .col(ReviewStates::Due)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlacementItems::Table)
                    .col(uuid(PlacementItems::Id).primary_key())
                    .col(string_len(PlacementItems::Area, 32))
                    .col(small_integer(PlacementItems::Level))
                    .col(double(PlacementItems::Difficulty))
                    .col(string_len(PlacementItems::Kind, 16))
                    .col(text(PlacementItems::Prompt))
                    .col(text(PlacementItems::Explanation))
                    .col(json_null(PlacementItems::Options))
                    .col(json(PlacementItems::AnswerKey))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_placement_items_area")
                    .table(PlacementItems::Table)
                    .col(PlacementItems::Area)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlacementTests::Table)
                    .col(uuid(PlacementTests::Id).primary_key())
                    .col(uuid(PlacementTests::UserId))
                    .col(timestamp_with_time_zone(PlacementTests::StartedAt))
                    .col(timestamp_with_time_zone_null(PlacementTests::CompletedAt))
                    .col(uuid_null(PlacementTests::CurrentItemId))
                    .col(json_null(PlacementTests::Result))
                    .foreign_key(&mut user_reference(
                        "fk_placement_tests_user",
                        PlacementTests::Table,
                        PlacementTests::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_placement_tests_user")
                    .table(PlacementTests::Table)
                    .col(PlacementTests::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlacementAnswers::Table)
                    .col(uuid(PlacementAnswers::TestId))
                    .col(uuid(PlacementAnswers::ItemId))
                    .col(string_len(PlacementAnswers::Area, 32))
                    .col(double(PlacementAnswers::Difficulty))
                    .col(boolean(PlacementAnswers::Correct))
                    .col(timestamp_with_time_zone(PlacementAnswers::AnsweredAt))
                    .primary_key(Index::create().col(PlacementAnswers::TestId).col(PlacementAnswers::ItemId))
                    .foreign_key(&mut reference(
                        "fk_placement_answers_test",
                        (PlacementAnswers::Table, PlacementAnswers::TestId),
                        (PlacementTests::Table, PlacementTests::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut reference(
                        "fk_placement_answers_item",
                        (PlacementAnswers::Table, PlacementAnswers::ItemId),
                        (PlacementItems::Table, PlacementItems::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PlacementAnswers::Table.into_iden(),
            PlacementTests::Table.into_iden(),
            PlacementItems::Table.into_iden(),
            ReviewStates::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Exercises {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReviewStates {
    Table,
    UserId,
    ExerciseId,
    Due,
    Stability,
    Difficulty,
    ElapsedDays,
    ScheduledDays,
    Reps,
    Lapses,
    State,
    LastRating,
    LastReview,
}

#[derive(DeriveIden)]
enum PlacementItems {
    Table,
    Id,
    Area,
    Level,
    Difficulty,
    Kind,
    Prompt,
    Explanation,
    Options,
    AnswerKey,
}

#[derive(DeriveIden)]
enum PlacementTests {
    Table,
    Id,
    UserId,
    StartedAt,
    CompletedAt,
    CurrentItemId,
    Result,
}

#[derive(DeriveIden)]
enum PlacementAnswers {
    Table,
    TestId,
    ItemId,
    Area,
    Difficulty,
    Correct,
    AnsweredAt,
}
