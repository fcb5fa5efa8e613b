//! Request and response bodies of the webhook routes.

use chrono::{DateTime, Utc};
use entity::webhook_attempt::{self, AttemptOutcome};
use entity::webhook_delivery::{self, DeliveryStatus};
use entity::webhook_endpoint::{self, EndpointStatus};
use entity::webhook_event::EventType;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::events::parse_events;

/// `POST /organizations/{id}/webhooks`. An unknown event is a serde failure: 400 `malformed_body`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewWebhook {
    /// `https` to a public address (plain `http` and private addresses only
    /// where `TREMPLIN_WEBHOOKS_ALLOW_PRIVATE=true`). Redirects are not followed.
    #[schema(example = "https://partner.example.org/tremplin/webhooks", max_length = 2048)]
    pub url: String,
    /// The events to receive (at least one).
    #[validate(length(min = 1, max = 50))]
    pub events: Vec<EventType>,
    #[validate(length(max = 500))]
    pub description: Option<String>,
}

/// `PATCH /organizations/{id}/webhooks/{wid}`: only the fields sent change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct WebhookChanges {
    #[schema(max_length = 2048)]
    pub url: Option<String>,
    #[validate(length(min = 1, max = 50))]
    pub events: Option<Vec<EventType>>,
    /// An empty text removes the description.
    #[validate(length(max = 500))]
    pub description: Option<String>,
    /// `true` pauses the endpoint (nothing is queued for it nor sent);
    /// `false` resumes it, also after a `410 Gone` disabled it.
    pub paused: Option<bool>,
}

/// The new endpoint and its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    pub id: Uuid,
    /// `whsec_` + base64 of a 32-byte key, for Standard Webhooks libraries.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYq=")]
    pub secret: String,
}

/// A new signing secret, shown this once; the previous one still signs
/// (a second signature) until `previous_secret_expires_at`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotatedSecret {
    pub secret: String,
    pub previous_secret_expires_at: DateTime<Utc>,
}

/// An endpoint as its organisation sees it (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<EventType>,
    pub status: EndpointStatus,
    /// While set, deliveries carry a second signature by the previous secret.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// When a `410 Gone` answer disabled it.
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<webhook_endpoint::Model> for WebhookView {
    fn from(endpoint: webhook_endpoint::Model) -> Self {
        let rotating = endpoint.previous_secret_expires_at.filter(|until| *until > Utc::now());
        WebhookView {
            id: endpoint.id,
            organization_id: endpoint.organization_id,
            events: parse_events(&endpoint.events),
            url: endpoint.url,
            description: endpoint.description,
            status: endpoint.status,
            previous_secret_expires_at: rotating,
            disabled_at: endpoint.disabled_at,
            created_at: endpoint.created_at,
            updated_at: endpoint.updated_at,
        }
    }
}

/// One try of a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryAttempt {
    pub attempted_at: DateTime<Utc>,
    pub outcome: AttemptOutcome,
    /// The receiver's status code, when it answered.
    pub response_code: Option<i32>,
    pub latency_ms: i32,
    /// Why no answer came (timeout, connection refused, address not allowed).
    pub error: Option<String>,
    /// When the next try was then scheduled.
    pub next_retry_at: Option<DateTime<Utc>>,
}

impl From<webhook_attempt::Model> for DeliveryAttempt {
    fn from(attempt: webhook_attempt::Model) -> Self {
        DeliveryAttempt {
            attempted_at: attempt.attempted_at,
            outcome: attempt.outcome,
            response_code: attempt.response_code,
            latency_ms: attempt.latency_ms,
            error: attempt.error,
            next_retry_at: attempt.next_retry_at,
        }
    }
}

/// One event to this endpoint, with its tries.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    /// The `webhook-id` header of every try, for de-duplication.
    #[schema(example = "msg_0193a1b2c3d47e8f9a0b1c2d3e4f5a6b")]
    pub webhook_id: String,
    pub event_id: Uuid,
    pub event_type: EventType,
    pub status: DeliveryStatus,
    /// When the next try is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_response_code: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Every try, oldest first.
    pub attempts: Vec<DeliveryAttempt>,
}

impl DeliveryView {
    pub fn new(
        delivery: webhook_delivery::Model,
        event_type: EventType,
        attempts: Vec<DeliveryAttempt>,
    ) -> Self {
        DeliveryView {
            id: delivery.id,
            webhook_id: webhook_id(delivery.event_id),
            event_id: delivery.event_id,
            event_type,
            next_attempt_at: (delivery.status == DeliveryStatus::Pending).then_some(delivery.next_attempt_at),
            status: delivery.status,
            last_response_code: delivery.last_response_code,
            created_at: delivery.created_at,
            finished_at: delivery.finished_at,
            attempts,
        }
    }
}

/// The `webhook-id` of an event: the same for every try and every endpoint.
pub fn webhook_id(event_id: Uuid) -> String {
    format!("msg_{}", event_id.simple())
}
