//! On PostgreSQL, each replica listens for the notices other replicas send
//! when a change makes cached copies stale (`cache::announce`) and drops its
//! own copies at once. The listener has a connection of its own, outside the
//! pool; when that connection breaks it reconnects and then drops every
//! cached copy, since notices sent meanwhile are lost. SQLite has one
//! process, so nothing listens there.

use std::str::FromStr;
use std::time::Duration;

use actix_web::web;
use sea_orm::DatabaseBackend;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};

use crate::cache::{STALE_CHANNEL, Stale};
use crate::config::DatabaseSettings;
use crate::state::AppState;

/// The `application_name` of listening connections, as `pg_stat_activity` shows it.
pub const APPLICATION_NAME: &str = "tremplin-cache-listener";

/// Waits between attempts to reconnect, doubling up to `RETRY_MAX`.
const RETRY_MIN: Duration = Duration::from_millis(100);
const RETRY_MAX: Duration = Duration::from_secs(5);

/// Starts the listener of this replica when the database is PostgreSQL.
pub fn start(state: web::Data<AppState>, settings: &DatabaseSettings) -> anyhow::Result<()> {
    if state.db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let options = PgConnectOptions::from_str(&settings.url)?.application_name(APPLICATION_NAME);
    let connect_timeout = settings.connect_timeout;
    tokio::spawn(listen_forever(state, options, connect_timeout));
    Ok(())
}

async fn listen_forever(state: web::Data<AppState>, options: PgConnectOptions, connect_timeout: Duration) {
    let mut retry = RETRY_MIN;
    loop {
        match subscribe(&options, connect_timeout).await {
            Ok(mut listener) => {
                // Changes made before LISTEN took effect were not heard.
                state.forget_everything();
                retry = RETRY_MIN;
                tracing::debug!("listening for stale cache notices");
                if let Err(error) = hear(&state, &mut listener).await {
                    tracing::warn!(%error, "the stale cache listener lost its connection");
                }
            }
            Err(error) => tracing::warn!(%error, "the stale cache listener cannot connect"),
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(RETRY_MAX);
    }
}

/// A listener on a connection of its own (a pool of one, which is how
/// `PgListener` reconnects).
async fn subscribe(
    options: &PgConnectOptions,
    connect_timeout: Duration,
) -> Result<PgListener, sea_orm::sqlx::Error> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .max_lifetime(None)
        .idle_timeout(None)
        .acquire_timeout(connect_timeout)
        .connect_with(options.clone())
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(STALE_CHANNEL).await?;
    Ok(listener)
}

/// Applies notices until the connection fails for good. A connection that
/// broke and was opened again at once (`try_recv` answers `None`) may have
/// missed notices: everything is dropped.
async fn hear(state: &AppState, listener: &mut PgListener) -> Result<(), sea_orm::sqlx::Error> {
    loop {
        match listener.try_recv().await? {
            Some(notice) => state.forget(Stale::parse(notice.payload())),
            None => {
                tracing::warn!("the stale cache listener reconnected: dropping every cached copy");
                state.forget_everything();
            }
        }
    }
}
