//! The event outbox: what the areas call, inside the transaction of their
//! change, to tell partners. An event is fanned out at once to the active
//! endpoints that subscribe to it and may hear of it, so that "the
//! organisations the member consented to at the time of the event" is decided
//! in that transaction; a rolled-back change leaves neither event nor delivery.
//!
//! A leaf: it calls only `entity`, `authz::consent` and the database.

use chrono::{SecondsFormat, Utc};
use entity::webhook_delivery::{self, DeliveryStatus};
use entity::webhook_endpoint::{self, EndpointStatus};
use entity::webhook_event::{self, EventType};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::authz::consent::organizations_consented_by;

/// Who an event is about, which decides who may hear of it.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    /// A member: only organisations they consent to now.
    Member(Uuid),
    /// The end of an accompaniment: the organisations the member still
    /// consents to, and those of the counsellor it ended with (who must learn
    /// to stop).
    EndedAccompaniment { member_id: Uuid, counsellor_id: Uuid },
    /// Nobody in particular (a workshop session): every subscriber.
    Public,
}

impl Subject {
    fn member_id(self) -> Option<Uuid> {
        match self {
            Subject::Member(member_id) | Subject::EndedAccompaniment { member_id, .. } => Some(member_id),
            Subject::Public => None,
        }
    }
}

/// Writes the event `event_type` with `data` (ids and minimal facts only) and
/// queues one delivery per endpoint that may receive it. Call it with the
/// transaction of the change. Nothing is written when nobody listens.
pub async fn emit(
    db: &impl ConnectionTrait,
    event_type: EventType,
    subject: Subject,
    data: Value,
) -> Result<(), DbErr> {
    let mut audience =
        webhook_endpoint::Entity::find().filter(webhook_endpoint::Column::Status.eq(EndpointStatus::Active));
    match subject {
        Subject::Member(member_id) => {
            audience = audience.filter(
                webhook_endpoint::Column::OrganizationId.in_subquery(organizations_consented_by(member_id)),
            );
        }
        Subject::EndedAccompaniment { member_id, counsellor_id } => {
            let of_counsellor = Query::select()
                .column(entity::organization_member::Column::OrganizationId)
                .from(entity::organization_member::Entity)
                .and_where(entity::organization_member::Column::UserId.eq(counsellor_id))
                .to_owned();
            audience = audience.filter(
                sea_orm::Condition::any()
                    .add(
                        webhook_endpoint::Column::OrganizationId
                            .in_subquery(organizations_consented_by(member_id)),
                    )
                    .add(webhook_endpoint::Column::OrganizationId.in_subquery(of_counsellor)),
            );
        }
        Subject::Public => {}
    }
    let endpoints: Vec<Uuid> = audience
        .all(db)
        .await?
        .into_iter()
        .filter(|endpoint| subscribes(endpoint, event_type))
        .map(|endpoint| endpoint.id)
        .collect();
    if endpoints.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    let payload = json!({
        "type": event_type,
        "timestamp": now.to_rfc3339_opts(SecondsFormat::Micros, true),
        "data": data,
    });
    webhook_event::ActiveModel {
        id: Set(id),
        event_type: Set(event_type),
        member_id: Set(subject.member_id()),
        payload: Set(payload.to_string()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let deliveries = endpoints.into_iter().map(|endpoint_id| webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(id),
        endpoint_id: Set(endpoint_id),
        member_id: Set(subject.member_id()),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_response_code: Set(None),
        created_at: Set(now),
        finished_at: Set(None),
    });
    webhook_delivery::Entity::insert_many(deliveries).exec(db).await?;
    Ok(())
}

/// Whether the endpoint subscribes to `event_type`.
pub fn subscribes(endpoint: &webhook_endpoint::Model, event_type: EventType) -> bool {
    parse_events(&endpoint.events).contains(&event_type)
}

/// The event types stored in an endpoint's `events` column.
pub fn parse_events(stored: &str) -> Vec<EventType> {
    stored
        .split_whitespace()
        .filter_map(|name| serde_json::from_value(Value::String(name.to_owned())).ok())
        .collect()
}

/// The `events` column of these event types.
pub fn store_events(events: &[EventType]) -> String {
    events
        .iter()
        .filter_map(|event| serde_json::to_value(event).ok())
        .filter_map(|value| value.as_str().map(str::to_owned))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Drops the queued deliveries about `member_id` to organisations the member
/// no longer consents to: call it in the transaction that ends a consent.
pub async fn drop_unconsented(db: &impl ConnectionTrait, member_id: Uuid) -> Result<u64, DbErr> {
    let still_allowed = Query::select()
        .column(webhook_endpoint::Column::Id)
        .from(webhook_endpoint::Entity)
        .and_where(
            webhook_endpoint::Column::OrganizationId.in_subquery(organizations_consented_by(member_id)),
        )
        .to_owned();
    let dropped = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(DeliveryStatus::Dropped))
        .col_expr(webhook_delivery::Column::FinishedAt, Expr::value(Some(Utc::now())))
        .filter(webhook_delivery::Column::MemberId.eq(member_id))
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(webhook_delivery::Column::EndpointId.not_in_subquery(still_allowed))
        .exec(db)
        .await?;
    Ok(dropped.rows_affected)
}
