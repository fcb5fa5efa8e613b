//! Who manages an organisation's webhooks. For now admins only: this is the
//! one function to switch to `authz::organizations::manager` (admin, or a
//! manager of that organisation) once organisation roles exist.

use entity::{Role, organization, user};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::error::ApiError;

/// Proof that the caller may manage the webhooks of `organization_id`.
#[derive(Debug, Clone, Copy)]
pub struct WebhookManager {
    organization_id: Uuid,
}

impl WebhookManager {
    pub fn organization_id(&self) -> Uuid {
        self.organization_id
    }
}

/// 404 for an unknown organisation, 403 for anyone who may not manage it.
pub async fn manager(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    organization_id: Uuid,
) -> Result<WebhookManager, ApiError> {
    organization::Entity::find_by_id(organization_id).one(db).await?.ok_or(ApiError::NotFound)?;
    if caller.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    Ok(WebhookManager { organization_id })
}
