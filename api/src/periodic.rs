//! Jobs that run on a schedule inside the service, in every replica (match
//! expiry, the idempotency sweep, the mail sender). Each job is idempotent or
//! claims its rows, so replicas running it together do no harm.

use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior, interval_at};

/// Runs `job` every `period`, the first time after `first_after`, for the
/// life of the service. A job answers how many rows it handled; that count,
/// or why it failed, is logged under `name`. A slow run delays the next one
/// instead of piling runs up.
pub async fn every<F, Fut, E>(name: &'static str, first_after: Duration, period: Duration, mut job: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, E>>,
    E: std::fmt::Debug,
{
    let mut ticks = interval_at(Instant::now() + first_after, period);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match job().await {
            Ok(0) => {}
            Ok(count) => tracing::info!(job = name, count, "periodic job done"),
            Err(error) => tracing::warn!(job = name, ?error, "periodic job failed"),
        }
    }
}
