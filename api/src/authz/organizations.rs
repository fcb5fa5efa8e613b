//! Who manages an organisation: an admin, or a person attached to it with the
//! `manager` membership role. Managing gives the right to change the
//! organisation's own settings (directory entry, API clients, webhooks,
//! training offers); it gives no right over the members it accompanies (that
//! takes their consent, see [`super::consent`]).

use entity::organization_member::{self, MembershipRole};
use entity::{Role, organization, user};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::error::ApiError;

/// Proof that `caller_id` manages the organisation `organization_id`. Only
/// this module builds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Manager {
    caller_id: Uuid,
    organization_id: Uuid,
}

impl Manager {
    pub fn caller_id(&self) -> Uuid {
        self.caller_id
    }

    pub fn organization_id(&self) -> Uuid {
        self.organization_id
    }
}

/// The proof for `organization_id`: 404 when there is no such organisation,
/// 403 when the caller is neither an admin nor one of its managers.
pub async fn manager(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    organization_id: Uuid,
) -> Result<Manager, ApiError> {
    organization::Entity::find_by_id(organization_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let proof = Manager { caller_id: caller.id, organization_id };
    if caller.role == Role::Admin {
        return Ok(proof);
    }
    let membership = organization_member::Entity::find_by_id((organization_id, caller.id)).one(db).await?;
    match membership {
        Some(link) if link.role == MembershipRole::Manager => Ok(proof),
        _ => Err(ApiError::Forbidden),
    }
}
