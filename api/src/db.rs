//! Database connection and schema set-up, identical for SQLite and PostgreSQL
//! apart from the SQLite per-connection pragmas.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::config::DatabaseSettings;

/// Any fixed key shared by every replica: only one of them migrates at a time.
const MIGRATION_LOCK_KEY: i64 = 0x7472_656d_706c_696e; // "tremplin"

/// Likewise for loading the reference data: only one replica at a time.
const SEED_LOCK_KEY: i64 = 0x7472_656d_7365_6564; // "tremseed"

/// A pooled connection idle for this long is pinged before use: one that a
/// server, proxy or firewall dropped is replaced instead of failing a request.
/// Busy connections are not pinged: a ping on every checkout would add a
/// round trip to every query.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

/// SQLite reads the database through a memory map of up to this size rather
/// than a `read` call per page missing from each connection's own small page
/// cache: the pages are shared by every pooled connection (and the OS cache).
const SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;

/// Opens the pool. SQLite pragmas go through the connect options so that every
/// pooled connection gets them, not only the first one.
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(settings.min_connections)
        .connect_timeout(settings.connect_timeout)
        .acquire_timeout(settings.acquire_timeout)
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .sqlx_logging(false);
    let busy_timeout = settings.sqlite_busy_timeout;
    options.map_sqlx_sqlite_opts(move |sqlite| {
        sqlite
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(busy_timeout)
            .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
    });
    Database::connect(options).await
}

/// Applies pending migrations. On PostgreSQL the whole run holds a transaction
/// advisory lock, so replicas starting together do not race. On SQLite they
/// run over a connection of their own: a migration that rebuilds a table
/// turns foreign keys off and on around it (SQLite's own procedure for schema
/// changes), and that pragma holds per connection.
pub async fn migrate(db: &DatabaseConnection, settings: &DatabaseSettings) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [MIGRATION_LOCK_KEY.into()],
            ))
            .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        _ => {
            let single = DatabaseSettings { max_connections: 1, min_connections: 1, ..settings.clone() };
            let connection = connect(&single).await?;
            let migrated = Migrator::up(&connection, None).await;
            connection.close().await?;
            migrated
        }
    }
}

/// Runs `load` (the reference-data seed) so that replicas starting together
/// on one PostgreSQL database load one after the other, and the later ones
/// find the data there: a session advisory lock, held by a connection of its
/// own while `load` works through the pool (closing it releases the lock,
/// even if this process dies). SQLite is one process's file: `load` just runs.
pub async fn one_replica_at_a_time<T>(
    db: &DatabaseConnection,
    settings: &DatabaseSettings,
    load: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return load.await;
    }
    let single = DatabaseSettings { max_connections: 1, min_connections: 1, ..settings.clone() };
    let lock = connect(&single).await?;
    lock.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_advisory_lock($1)",
        [SEED_LOCK_KEY.into()],
    ))
    .await?;
    let loaded = load.await;
    lock.close().await?;
    loaded
}

/// Readiness probe: a real read of the schema (not a bare ping, which an
/// embedded SQLite always answers), bounded by `timeout`.
pub async fn is_ready(db: &DatabaseConnection, timeout: Duration) -> bool {
    let probe = db.execute_unprepared("SELECT COUNT(*) FROM seaql_migrations");
    matches!(tokio::time::timeout(timeout, probe).await, Ok(Ok(_)))
}

/// A transaction that took the write lock when it began. Code that takes a
/// seat, changes a match status, refreshes the offer index or releases seats
/// for erasure receives `&WriteTxn`, so it cannot be handed a deferred
/// transaction that reads first and fails (SQLite) or races (PostgreSQL) on
/// its first write. Only [`begin_write`] makes one.
pub struct WriteTxn(DatabaseTransaction);

/// Starts a transaction that will write after reading. On SQLite it takes the
/// write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that reads
/// then writes can fail with SQLITE_BUSY whatever the busy timeout. On
/// PostgreSQL it is a plain transaction; lock rows explicitly where needed.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
    .map(WriteTxn)
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.0.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.0.rollback().await
    }
}

/// Everything a plain transaction offers (savepoints included) is reachable
/// through the write transaction.
impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.0
    }
}

/// Queries run on a `&WriteTxn` directly, like on any connection.
#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DatabaseBackend {
        self.0.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.0.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.0.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.0.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.0.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.0.support_returning()
    }
}
