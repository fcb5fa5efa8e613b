use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an organisation wants to be told of events: a URL, the events it
/// subscribes to, and the signing secret (kept in clear: HMAC needs it).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub url: String,
    pub description: Option<String>,
    /// The subscribed event types, space-separated (`enrolment.confirmed match.accepted`).
    pub events: String,
    /// `whsec_` + base64 of the key.
    pub secret: String,
    /// The secret before the last rotation, which still signs until `previous_secret_expires_at`.
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<DateTimeUtc>,
    pub status: EndpointStatus,
    /// When a `410 Gone` answer disabled it.
    pub disabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum EndpointStatus {
    /// Receives the events it subscribes to.
    #[sea_orm(string_value = "active")]
    Active,
    /// Paused by its organisation: nothing is queued for it nor sent to it.
    #[sea_orm(string_value = "paused")]
    Paused,
    /// It answered `410 Gone`: nothing is sent until it is resumed.
    #[sea_orm(string_value = "disabled")]
    Disabled,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
