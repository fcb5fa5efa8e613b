//! An organisation's endpoints: registering, reading, changing, deleting,
//! rotating the signing secret.

use chrono::{Duration, Utc};
use entity::webhook_endpoint::{self, EndpointStatus};
use entity::webhook_event::EventType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::address::check_url;
use super::dto::{CreatedWebhook, NewWebhook, RotatedSecret, WebhookChanges, WebhookView};
use super::events::store_events;
use super::signature::new_secret;
use crate::authz::organizations::Manager;
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};

/// How long the previous secret still signs after a rotation.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

fn url(raw: &str, allow_private: bool) -> Result<String, ApiError> {
    check_url(raw, allow_private)
        .map(|url| url.to_string())
        .map_err(|message| ApiError::validation("url", "url", message))
}

/// The event list as stored: sorted, without repeats.
fn events(events: &[EventType]) -> String {
    let mut events = events.to_vec();
    events.sort();
    events.dedup();
    store_events(&events)
}

fn description(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
}

pub async fn create(
    db: &impl ConnectionTrait,
    manager: Manager,
    body: &NewWebhook,
    allow_private: bool,
) -> Result<CreatedWebhook, ApiError> {
    let now = Utc::now();
    let endpoint = webhook_endpoint::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(manager.organization_id()),
        url: Set(url(&body.url, allow_private)?),
        description: Set(description(body.description.as_deref())),
        events: Set(events(&body.events)),
        secret: Set(new_secret()),
        previous_secret: Set(None),
        previous_secret_expires_at: Set(None),
        status: Set(EndpointStatus::Active),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(CreatedWebhook { id: endpoint.id, secret: endpoint.secret })
}

/// One endpoint of the manager's organisation (404 for another's).
pub async fn find(
    db: &impl ConnectionTrait,
    manager: Manager,
    id: Uuid,
) -> Result<webhook_endpoint::Model, ApiError> {
    webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::OrganizationId.eq(manager.organization_id()))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The organisation's endpoints, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    manager: Manager,
    page: PageRequest<Uuid>,
) -> Result<Page<WebhookView>, ApiError> {
    let mut query = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OrganizationId.eq(manager.organization_id()));
    if let Some(after) = page.after {
        query = query.filter(webhook_endpoint::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(webhook_endpoint::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(WebhookView::from).collect(), page.limit, |w| w.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    manager: Manager,
    id: Uuid,
    changes: &WebhookChanges,
    allow_private: bool,
) -> Result<WebhookView, ApiError> {
    let endpoint = find(db, manager, id).await?;
    let mut update = webhook_endpoint::ActiveModel {
        id: Set(endpoint.id),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(raw) = &changes.url {
        update.url = Set(url(raw, allow_private)?);
    }
    if let Some(list) = &changes.events {
        update.events = Set(events(list));
    }
    if changes.description.is_some() {
        update.description = Set(description(changes.description.as_deref()));
    }
    match changes.paused {
        Some(true) => update.status = Set(EndpointStatus::Paused),
        Some(false) => {
            update.status = Set(EndpointStatus::Active);
            update.disabled_at = Set(None);
        }
        None => {}
    }
    Ok(update.update(db).await?.into())
}

/// Deletes the endpoint with its queued deliveries and their history.
pub async fn delete(db: &impl ConnectionTrait, manager: Manager, id: Uuid) -> Result<(), ApiError> {
    let endpoint = find(db, manager, id).await?;
    webhook_endpoint::Entity::delete_by_id(endpoint.id).exec(db).await?;
    Ok(())
}

/// A new secret; the current one becomes the previous one and keeps signing
/// for [`ROTATION_OVERLAP`] (a secret rotated out earlier stops at once).
pub async fn rotate_secret(
    db: &impl ConnectionTrait,
    manager: Manager,
    id: Uuid,
) -> Result<RotatedSecret, ApiError> {
    let endpoint = find(db, manager, id).await?;
    let now = Utc::now();
    let until = now + ROTATION_OVERLAP;
    let secret = new_secret();
    webhook_endpoint::ActiveModel {
        id: Set(endpoint.id),
        secret: Set(secret.clone()),
        previous_secret: Set(Some(endpoint.secret)),
        previous_secret_expires_at: Set(Some(until)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(RotatedSecret { secret, previous_secret_expires_at: until })
}
