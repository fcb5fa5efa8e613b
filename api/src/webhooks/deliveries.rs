//! The delivery queue: claiming due deliveries, recording how a try went,
//! the organisation's view of its deliveries and redelivery.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use entity::webhook_attempt::{self, AttemptOutcome};
use entity::webhook_delivery::{self, DeliveryStatus};
use entity::webhook_endpoint::{self, EndpointStatus};
use entity::webhook_event;
use password_hash::rand_core::{OsRng, RngCore};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::dto::{DeliveryAttempt, DeliveryView};
use crate::authz::consent::organizations_consented_by;
use crate::authz::organizations::Manager;
use crate::db::WriteTxn;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};

/// How long a claimed delivery is held by its dispatcher: far longer than
/// one try may take (see `dispatcher::TIMEOUT`), so no two dispatchers send
/// it at once; a dispatcher that died lets go when it passes.
pub const LEASE: Duration = Duration::minutes(2);
/// The longest wait between two tries.
const LONGEST_RETRY_AFTER: Duration = Duration::hours(8);

/// Due, not held by another dispatcher, to an active endpoint.
fn claimable(now: DateTime<Utc>) -> Condition {
    let active = Query::select()
        .column(webhook_endpoint::Column::Id)
        .from(webhook_endpoint::Entity)
        .and_where(webhook_endpoint::Column::Status.eq(EndpointStatus::Active))
        .to_owned();
    Condition::all()
        .add(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .add(webhook_delivery::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(webhook_delivery::Column::LeaseUntil.is_null())
                .add(webhook_delivery::Column::LeaseUntil.lt(now)),
        )
        .add(webhook_delivery::Column::EndpointId.in_subquery(active))
}

/// Takes up to `limit` due deliveries, oldest first, in one statement: each
/// gets a lease and one more try counted. On PostgreSQL rows another replica
/// is claiming are skipped (`FOR UPDATE SKIP LOCKED`) and the condition is
/// checked again on the locked row; SQLite runs one write at a time.
pub async fn claim(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    let now = Utc::now();
    let due = Query::select()
        .column(webhook_delivery::Column::Id)
        .from(webhook_delivery::Entity)
        .cond_where(claimable(now))
        .order_by(webhook_delivery::Column::NextAttemptAt, sea_orm::Order::Asc)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let mut claimed = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(Some(now + LEASE)))
        .col_expr(webhook_delivery::Column::Attempts, Expr::col(webhook_delivery::Column::Attempts).add(1))
        .filter(webhook_delivery::Column::Id.in_subquery(due))
        .filter(claimable(now))
        .exec_with_returning(db)
        .await?;
    // In the order they happened (ids are time-ordered), per member when possible.
    claimed.sort_by_key(|delivery| delivery.event_id);
    Ok(claimed)
}

/// How one try ended.
#[derive(Debug)]
pub struct Try {
    pub attempted_at: DateTime<Utc>,
    pub latency: StdDuration,
    /// The answer's status code, if an answer came.
    pub response_code: Option<u16>,
    /// Why no answer came.
    pub error: Option<String>,
}

impl Try {
    fn succeeded(&self) -> bool {
        self.response_code.is_some_and(|code| (200..300).contains(&code))
    }

    /// `410 Gone`: the receiver wants no more webhooks from us.
    pub fn gone(&self) -> bool {
        self.response_code == Some(410)
    }
}

/// The wait before try `attempts + 1`: `first` after the first failure,
/// four times longer after each next one (at most 8 h), ±20 % jitter so that
/// deliveries that failed together do not come back together.
pub fn retry_after(first: StdDuration, attempts: i16) -> Duration {
    let growth = 4i32.saturating_pow(Ord::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 15));
    let first = Duration::from_std(first).unwrap_or(Duration::seconds(5));
    let base = first.checked_mul(growth).unwrap_or(LONGEST_RETRY_AFTER).min(LONGEST_RETRY_AFTER);
    let jitter_per_mille = 800 + i64::from(OsRng.next_u32() % 401);
    Duration::milliseconds(base.num_milliseconds() * jitter_per_mille / 1000)
}

/// Records a try of a claimed delivery and lets its lease go: succeeded,
/// retried later, or `failed` after `max_attempts` tries or a `410 Gone`
/// (which also disables the endpoint). A delivery dropped or erased while it
/// was being sent stays as it is.
pub async fn record(
    db: &impl ConnectionTrait,
    delivery: &webhook_delivery::Model,
    outcome: &Try,
    first_retry: StdDuration,
    max_attempts: i16,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let succeeded = outcome.succeeded();
    let next_retry_at = (!succeeded && !outcome.gone() && delivery.attempts < max_attempts)
        .then(|| now + retry_after(first_retry, delivery.attempts));
    let status = match (succeeded, next_retry_at) {
        (true, _) => DeliveryStatus::Succeeded,
        (false, Some(_)) => DeliveryStatus::Pending,
        (false, None) => DeliveryStatus::Failed,
    };
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(status))
        .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(
            webhook_delivery::Column::LastResponseCode,
            Expr::value(outcome.response_code.map(i32::from)),
        )
        .filter(webhook_delivery::Column::Id.eq(delivery.id))
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending));
    update = match next_retry_at {
        Some(at) => update.col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(webhook_delivery::Column::FinishedAt, Expr::value(Some(now))),
    };
    if update.exec(db).await?.rows_affected == 0 {
        return Ok(());
    }
    webhook_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        delivery_id: Set(delivery.id),
        attempted_at: Set(outcome.attempted_at),
        outcome: Set(if succeeded { AttemptOutcome::Succeeded } else { AttemptOutcome::Failed }),
        response_code: Set(outcome.response_code.map(i32::from)),
        latency_ms: Set(i32::try_from(outcome.latency.as_millis()).unwrap_or(i32::MAX)),
        error: Set(outcome.error.clone()),
        next_retry_at: Set(next_retry_at),
    }
    .insert(db)
    .await?;
    if outcome.gone() {
        webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::Status, Expr::value(EndpointStatus::Disabled))
            .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(Some(now)))
            .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now))
            .filter(webhook_endpoint::Column::Id.eq(delivery.endpoint_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The deliveries of one endpoint, newest first, each with its tries.
pub async fn list(
    db: &impl ConnectionTrait,
    manager: Manager,
    endpoint_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<DeliveryView>, ApiError> {
    super::endpoints::find(db, manager, endpoint_id).await?;
    let mut query =
        webhook_delivery::Entity::find().filter(webhook_delivery::Column::EndpointId.eq(endpoint_id));
    if let Some(after) = page.after {
        query = query.filter(webhook_delivery::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(webhook_delivery::Column::Id).limit(page.limit + 1).all(db).await?;
    let events: std::collections::HashMap<Uuid, entity::webhook_event::EventType> =
        webhook_event::Entity::find()
            .select_only()
            .column(webhook_event::Column::Id)
            .column(webhook_event::Column::EventType)
            .filter(webhook_event::Column::Id.is_in(rows.iter().map(|d| d.event_id)))
            .into_tuple::<(Uuid, entity::webhook_event::EventType)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    let mut attempts: std::collections::HashMap<Uuid, Vec<DeliveryAttempt>> =
        std::collections::HashMap::new();
    for attempt in webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.is_in(rows.iter().map(|d| d.id)))
        .order_by_asc(webhook_attempt::Column::Id)
        .all(db)
        .await?
    {
        attempts.entry(attempt.delivery_id).or_default().push(DeliveryAttempt::from(attempt));
    }
    let views = rows
        .into_iter()
        .filter_map(|delivery| {
            let event_type = *events.get(&delivery.event_id)?;
            let tries = attempts.remove(&delivery.id).unwrap_or_default();
            Some(DeliveryView::new(delivery, event_type, tries))
        })
        .collect();
    Ok(Page::from_rows(views, page.limit, |d| d.id))
}

/// Sends a delivery again, from now, with a fresh budget of tries (same
/// `webhook-id`). A delivery dropped by a revocation, or about a member who
/// no longer consents to the organisation, is never sent again.
pub async fn redeliver(
    txn: &WriteTxn,
    manager: Manager,
    endpoint_id: Uuid,
    delivery_id: Uuid,
) -> Result<(), ApiError> {
    super::endpoints::find(txn, manager, endpoint_id).await?;
    let delivery = webhook_delivery::Entity::find_by_id(delivery_id)
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    if delivery.status == DeliveryStatus::Dropped {
        return Err(ApiError::conflict(ErrorCode::WebhookDeliveryDropped));
    }
    if let Some(member_id) = delivery.member_id {
        let consenting = Query::select()
            .expr(Expr::val(1))
            .from(entity::organization::Entity)
            .and_where(entity::organization::Column::Id.eq(manager.organization_id()))
            .and_where(entity::organization::Column::Id.in_subquery(organizations_consented_by(member_id)))
            .to_owned();
        if txn.query_one(&consenting).await?.is_none() {
            return Err(ApiError::conflict(ErrorCode::WebhookDeliveryDropped));
        }
    }
    webhook_delivery::ActiveModel {
        id: Set(delivery.id),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(Utc::now()),
        finished_at: Set(None),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}
