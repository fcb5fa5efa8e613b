//! Accounts without email: an account signs in with its email, its phone
//! number or its username. `users.email` becomes optional and gains a
//! verification time; `phone` (E.164) and `username` (readable, unique, never
//! reused: see `retired_usernames`) are added, with the state of a temporary
//! password. `account_tokens` holds the single-use tokens of password resets
//! and email verifications (their SHA-256 only). An accompaniment records the
//! counsellor who took a member's consent in person.
//!
//! SQLite cannot drop a NOT NULL constraint in place: the users table is
//! rebuilt with SQLite's own procedure (foreign keys off on the migration's
//! connection, new table, copy, drop, rename, indexes, `foreign_key_check`),
//! inside one transaction.

use std::collections::HashSet;

use sea_orm::prelude::Uuid;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, user_reference};
use crate::usernames;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        if backend == DatabaseBackend::Sqlite {
            // Outside any transaction, on the migration's only connection (see `api::db::migrate`).
            manager.get_connection().execute_unprepared("PRAGMA foreign_keys = OFF").await?;
        }
        let txn = manager.begin().await?;
        match backend {
            DatabaseBackend::Sqlite => rebuild_users_on_sqlite(&txn).await?,
            _ => alter_users_on_postgres(&txn).await?,
        }
        give_usernames(&txn).await?;
        if backend == DatabaseBackend::Postgres {
            txn.get_connection()
                .execute_unprepared("ALTER TABLE users ALTER COLUMN username SET NOT NULL")
                .await?;
        }
        unique_index(&txn, "idx_users_username", Users::Username).await?;
        unique_index(&txn, "idx_users_phone", Users::Phone).await?;
        // Erased accounts keep no address at all now that one is optional.
        txn.get_connection()
            .execute_unprepared("UPDATE users SET email = NULL WHERE erased_at IS NOT NULL")
            .await?;
        create_account_tokens(&txn).await?;
        // A consent a counsellor recorded at the desk, in person: who did.
        txn.alter_table(
            Table::alter()
                .table(Accompaniments::Table)
                .add_column(uuid_null(Accompaniments::ConsentRecordedBy))
                .to_owned(),
        )
        .await?;
        txn.create_table(
            Table::create()
                .table(RetiredUsernames::Table)
                .col(string_len(RetiredUsernames::UsernameHash, 64).primary_key())
                .to_owned(),
        )
        .await?;
        if backend == DatabaseBackend::Sqlite {
            let broken = txn
                .get_connection()
                .query_all_raw(Statement::from_string(backend, "PRAGMA foreign_key_check"))
                .await?;
            if !broken.is_empty() {
                return Err(DbErr::Migration(format!(
                    "{} rows break a foreign key after rebuilding users",
                    broken.len()
                )));
            }
        }
        txn.commit().await?;
        if backend == DatabaseBackend::Sqlite {
            manager.get_connection().execute_unprepared("PRAGMA foreign_keys = ON").await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AccountTokens::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RetiredUsernames::Table).to_owned()).await
    }
}

async fn alter_users_on_postgres(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared("ALTER TABLE users ALTER COLUMN email DROP NOT NULL").await?;
    manager
        .alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(string_len_null(Users::Username, 40))
                .add_column(string_len_null(Users::Phone, 16))
                .add_column(timestamp_with_time_zone_null(Users::EmailVerifiedAt))
                .add_column(boolean(Users::PasswordChangeRequired).default(false))
                .add_column(timestamp_with_time_zone_null(Users::TemporaryPasswordExpiresAt))
                .to_owned(),
        )
        .await
}

/// The users table as it is after this migration, under `name`.
fn users_table(name: impl IntoIden) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(uuid(Users::Id).primary_key())
        .col(string_len_null(Users::Email, 254))
        .col(string_len(Users::PasswordHash, 255))
        .col(string_len(Users::DisplayName, 80))
        .col(string_len(Users::Role, 16).default("member"))
        .col(string_len(Users::Locale, 16).default("fr"))
        .col(string_len(Users::Timezone, 64).default("Europe/Paris"))
        .col(text_null(Users::Bio))
        .col(integer(Users::DailyGoalXp).default(20))
        .col(timestamp_with_time_zone_null(Users::DisabledAt))
        .col(timestamp_with_time_zone_null(Users::ErasedAt))
        .col(timestamp_with_time_zone(Users::LastActiveAt))
        .col(timestamp_with_time_zone(Users::CreatedAt))
        .col(timestamp_with_time_zone(Users::UpdatedAt))
        .col(string_len(Users::Username, 40))
        .col(string_len_null(Users::Phone, 16))
        .col(timestamp_with_time_zone_null(Users::EmailVerifiedAt))
        .col(boolean(Users::PasswordChangeRequired).default(false))
        .col(timestamp_with_time_zone_null(Users::TemporaryPasswordExpiresAt))
        .to_owned()
}

async fn rebuild_users_on_sqlite(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    manager.create_table(users_table(Alias::new("users_new"))).await?;
    // Each row gets a placeholder username, replaced by `give_usernames`.
    connection
        .execute_unprepared(
            "INSERT INTO users_new (id, email, password_hash, display_name, role, locale, timezone, bio,
                 daily_goal_xp, disabled_at, erased_at, last_active_at, created_at, updated_at, username)
             SELECT id, email, password_hash, display_name, role, locale, timezone, bio,
                 daily_goal_xp, disabled_at, erased_at, last_active_at, created_at, updated_at, 'tmp.' || id
             FROM users",
        )
        .await?;
    connection.execute_unprepared("DROP TABLE users").await?;
    connection.execute_unprepared("ALTER TABLE users_new RENAME TO users").await?;
    unique_index(manager, "idx_users_email", Users::Email).await?;
    index(manager, "idx_users_role", Users::Table, &[Users::Role]).await?;
    index(manager, "idx_users_last_active_at", Users::Table, &[Users::LastActiveAt]).await?;
    // As migration 000008 made it.
    connection
        .execute_unprepared(
            "CREATE INDEX idx_users_inactive ON users (id) WHERE disabled_at IS NOT NULL OR erased_at IS NOT NULL",
        )
        .await?;
    Ok(())
}

/// Every existing account gets a readable username: the stem of its display
/// name and the smallest free two-digit (then longer) number.
async fn give_usernames(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = connection
        .query_all_raw(Statement::from_string(backend, "SELECT id, display_name FROM users ORDER BY id"))
        .await?;
    let mut taken = HashSet::new();
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let display_name: String = row.try_get("", "display_name")?;
        let stem = usernames::stem(&display_name);
        let username = (10..)
            .map(|n| format!("{stem}{n}"))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_else(|| format!("{stem}.{}", id.simple()));
        connection
            .execute_raw(Statement::from_sql_and_values(
                backend,
                match backend {
                    DatabaseBackend::Postgres => "UPDATE users SET username = $1 WHERE id = $2",
                    _ => "UPDATE users SET username = ? WHERE id = ?",
                },
                [username.clone().into(), id.into()],
            ))
            .await?;
        taken.insert(username);
    }
    Ok(())
}

async fn unique_index(manager: &SchemaManager<'_>, name: &str, column: Users) -> Result<(), DbErr> {
    manager.create_index(Index::create().name(name).table(Users::Table).col(column).unique().to_owned()).await
}

async fn create_account_tokens(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AccountTokens::Table)
                .col(uuid(AccountTokens::Id).primary_key())
                .col(uuid(AccountTokens::UserId))
                .col(string_len(AccountTokens::Purpose, 32))
                .col(string_len_uniq(AccountTokens::TokenHash, 64))
                .col(string_len_null(AccountTokens::Email, 254))
                .col(timestamp_with_time_zone(AccountTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(AccountTokens::UsedAt))
                .col(timestamp_with_time_zone(AccountTokens::CreatedAt))
                .foreign_key(&mut user_reference(
                    "fk_account_tokens_user",
                    AccountTokens::Table,
                    AccountTokens::UserId,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_account_tokens_user",
        AccountTokens::Table,
        &[AccountTokens::UserId, AccountTokens::Purpose],
    )
    .await
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Role,
    Locale,
    Timezone,
    Bio,
    DailyGoalXp,
    DisabledAt,
    ErasedAt,
    LastActiveAt,
    CreatedAt,
    UpdatedAt,
    Username,
    Phone,
    EmailVerifiedAt,
    PasswordChangeRequired,
    TemporaryPasswordExpiresAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AccountTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    Email,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accompaniments {
    Table,
    ConsentRecordedBy,
}

#[derive(DeriveIden)]
enum RetiredUsernames {
    Table,
    UsernameHash,
}
