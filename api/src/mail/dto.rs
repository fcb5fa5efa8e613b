//! What admins see of the outbox.

use chrono::{DateTime, Utc};
use entity::outbound_message::{self, MessageStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One outgoing mail, without its bodies (they hold single-use links).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboundMessageView {
    pub id: Uuid,
    /// What it is for: `password_reset`, `email_verification`...
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub recipient: String,
    pub subject: String,
    pub status: MessageStatus,
    /// Delivery tries so far.
    pub attempts: i16,
    /// When the next try is due (pending messages).
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last try failed, as the relay said.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<outbound_message::Model> for OutboundMessageView {
    fn from(message: outbound_message::Model) -> Self {
        OutboundMessageView {
            id: message.id,
            kind: message.kind,
            user_id: message.user_id,
            recipient: message.recipient,
            subject: message.subject,
            status: message.status,
            attempts: message.attempts,
            next_attempt_at: message.next_attempt_at,
            last_error: message.last_error,
            created_at: message.created_at,
            sent_at: message.sent_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxFilter {
    /// Only messages in this state.
    pub status: Option<MessageStatus>,
}
