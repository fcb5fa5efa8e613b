//! The outbox table: writing a message, claiming due ones, recording how a
//! try went, and the admin listing.

use chrono::{DateTime, Duration, Utc};
use entity::outbound_message::{self, MessageStatus};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::dto::OutboundMessageView;
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};

/// A message is tried this many times before it is `failed`.
pub const MAX_ATTEMPTS: i16 = 8;
/// The wait after the first failed try; it doubles after each one.
const FIRST_RETRY_AFTER: Duration = Duration::seconds(30);
const LONGEST_RETRY_AFTER: Duration = Duration::hours(1);
/// How long a claimed message is held by its sender: longer than one SMTP
/// delivery may take (see `sender::SMTP_TIMEOUT`), so it is never sent twice
/// at once; a sender that died lets go when it passes.
pub const LEASE: Duration = Duration::minutes(2);

/// What a mail says, in the recipient's language.
#[derive(Debug, Clone)]
pub struct Content {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Writes a message to send; call it inside the transaction of the change
/// that causes it.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    user_id: Option<Uuid>,
    recipient: &str,
    content: Content,
) -> Result<Uuid, DbErr> {
    let now = Utc::now();
    let id = Uuid::now_v7();
    outbound_message::ActiveModel {
        id: Set(id),
        kind: Set(kind.to_owned()),
        user_id: Set(user_id),
        recipient: Set(recipient.to_owned()),
        subject: Set(content.subject),
        body_text: Set(content.text),
        body_html: Set(content.html),
        status: Set(MessageStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Due and not held by another sender.
fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(outbound_message::Column::Status.eq(MessageStatus::Pending))
        .add(outbound_message::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(outbound_message::Column::LeaseUntil.is_null())
                .add(outbound_message::Column::LeaseUntil.lt(now)),
        )
}

/// Takes up to `limit` due messages for this sender, in one statement: each
/// gets a lease and one more try counted. On PostgreSQL rows another replica
/// is claiming are skipped (`FOR UPDATE SKIP LOCKED`) and the condition is
/// checked again on the locked row; SQLite runs one write at a time.
pub async fn claim(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<outbound_message::Model>, DbErr> {
    use sea_orm::sea_query::ExprTrait;
    let now = Utc::now();
    let due = Query::select()
        .column(outbound_message::Column::Id)
        .from(outbound_message::Entity)
        .cond_where(claimable(now))
        .order_by(outbound_message::Column::NextAttemptAt, sea_orm::Order::Asc)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    outbound_message::Entity::update_many()
        .col_expr(outbound_message::Column::LeaseUntil, Expr::value(Some(now + LEASE)))
        .col_expr(outbound_message::Column::Attempts, Expr::col(outbound_message::Column::Attempts).add(1))
        .filter(outbound_message::Column::Id.in_subquery(due))
        .filter(claimable(now))
        .exec_with_returning(db)
        .await
}

/// How one try ended.
pub enum Delivery {
    Sent,
    /// Worth another try later (a relay that is down, a 4xx answer).
    Transient(String),
    /// Will never work (a 5xx answer, an address that cannot be parsed).
    Permanent(String),
}

/// The wait before try `attempts + 1`: 30 s, 1 min, 2 min... at most 1 h.
pub fn retry_after(attempts: i16) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(16);
    (FIRST_RETRY_AFTER * 2i32.pow(doublings)).min(LONGEST_RETRY_AFTER)
}

/// Records a try of a claimed message and lets its lease go. Once the message
/// is sent or failed for good, its bodies (which hold single-use links) are
/// emptied.
pub async fn record(
    db: &impl ConnectionTrait,
    message: &outbound_message::Model,
    delivery: Delivery,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut update =
        outbound_message::ActiveModel { id: Set(message.id), lease_until: Set(None), ..Default::default() };
    let finished = match delivery {
        Delivery::Sent => {
            update.status = Set(MessageStatus::Sent);
            update.sent_at = Set(Some(now));
            update.last_error = Set(None);
            true
        }
        Delivery::Transient(error) if message.attempts < MAX_ATTEMPTS => {
            update.next_attempt_at = Set(now + retry_after(message.attempts));
            update.last_error = Set(Some(error));
            false
        }
        Delivery::Transient(error) | Delivery::Permanent(error) => {
            update.status = Set(MessageStatus::Failed);
            update.last_error = Set(Some(error));
            true
        }
    };
    if finished {
        update.body_text = Set(String::new());
        update.body_html = Set(String::new());
    }
    update.update(db).await?;
    Ok(())
}

/// The outbox for admins, newest first, optionally of one status. Bodies are
/// never shown: they hold single-use links.
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<MessageStatus>,
    page: PageRequest<Uuid>,
) -> Result<Page<OutboundMessageView>, ApiError> {
    let mut query = outbound_message::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbound_message::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        query = query.filter(outbound_message::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(outbound_message::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(OutboundMessageView::from).collect(), page.limit, |m| m.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_an_hour() {
        assert_eq!(retry_after(1), Duration::seconds(30));
        assert_eq!(retry_after(2), Duration::minutes(1));
        assert_eq!(retry_after(3), Duration::minutes(2));
        assert_eq!(retry_after(MAX_ATTEMPTS), Duration::hours(1));
        assert_eq!(retry_after(i16::MAX), Duration::hours(1));
    }

    #[test]
    fn the_lease_outlasts_one_delivery() {
        assert!(LEASE > Duration::from_std(crate::mail::sender::SMTP_TIMEOUT).unwrap_or(LEASE) * 2);
    }
}
