use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A mail in the outbox. Written in the transaction of the change that causes
/// it, delivered by the sender task: `pending` (maybe after failed tries,
/// retried at `next_attempt_at`) → `sent`, or `failed` after the last try.
/// The bodies hold single-use links: they are emptied once the message is
/// sent or has failed for good.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbound_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What the mail is for, e.g. `password_reset`, `email_verification`.
    pub kind: String,
    /// The account it concerns, if any.
    pub user_id: Option<Uuid>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: MessageStatus,
    /// Delivery tries so far.
    pub attempts: i16,
    pub next_attempt_at: DateTimeUtc,
    /// While set and in the future, one sender holds the message.
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Waiting for its first or next try.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted by the SMTP relay.
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Refused for good, or still failing after the last try.
    #[sea_orm(string_value = "failed")]
    Failed,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
