//! The lapsed review states of a member, read by mastery and recommendations
//! on every progress read: a partial index holds only the lapses (last rating
//! 1, "again"), so reading them does not walk all of a member's states.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_review_states_lapsed ON review_states (user_id, exercise_id) \
                 WHERE last_rating = 1",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX idx_review_states_lapsed").await?;
        Ok(())
    }
}
