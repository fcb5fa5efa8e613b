use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One event to one endpoint, queued in the transaction of the event; its id
/// is the `webhook-id` every try carries.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub endpoint_id: Uuid,
    /// The event's member, copied so that a revocation or an erasure finds
    /// their queued deliveries at once.
    pub member_id: Option<Uuid>,
    pub status: DeliveryStatus,
    /// Tries since it was queued or last redelivered.
    pub attempts: i16,
    pub next_attempt_at: DateTimeUtc,
    /// While set and in the future, one dispatcher holds the delivery.
    pub lease_until: Option<DateTimeUtc>,
    pub last_response_code: Option<i32>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first or next try.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// The endpoint answered 2xx.
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    /// Still failing after the last try, or the endpoint answered `410 Gone`.
    #[sea_orm(string_value = "failed")]
    Failed,
    /// Never sent: the member revoked their consent to the organisation first.
    #[sea_orm(string_value = "dropped")]
    Dropped,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
