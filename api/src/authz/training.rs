//! Who may write training offers: the managers of the training centre that
//! publishes them, and admins. Everyone reads published offers; drafts are
//! seen by those who may write them only.
//!
//! Until organisation roles (`organization_members.role`) land, the managers
//! of a centre are its admins only; `manages` is the one place to change.

use entity::{Role, organization, training_offer, user};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::error::ApiError;

/// Proof that `user_id` manages the training offers of `organization_id`.
/// Only this module builds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CentreManager {
    organization_id: Uuid,
    user_id: Uuid,
}

impl CentreManager {
    pub fn organization_id(&self) -> Uuid {
        self.organization_id
    }

    pub fn user_id(&self) -> Uuid {
        self.user_id
    }
}

async fn manages(
    _db: &impl ConnectionTrait,
    caller: &user::Model,
    _organization: &organization::Model,
) -> Result<bool, ApiError> {
    Ok(caller.role == Role::Admin)
}

/// `caller` as a manager of `organization` (already read): 403 otherwise.
pub async fn centre_manager(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    organization: &organization::Model,
) -> Result<CentreManager, ApiError> {
    if manages(db, caller, organization).await? {
        Ok(CentreManager { organization_id: organization.id, user_id: caller.id })
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The offer `offer_id` with the proof that `caller` manages its centre:
/// 404 when there is no such offer, 403 when the caller does not manage it.
pub async fn offer_manager(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    offer_id: Uuid,
) -> Result<(CentreManager, training_offer::Model), ApiError> {
    let offer = training_offer::Entity::find_by_id(offer_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let organization =
        organization::Entity::find_by_id(offer.organization_id).one(db).await?.ok_or(ApiError::NotFound)?;
    Ok((centre_manager(db, caller, &organization).await?, offer))
}

/// Whether `caller` (if signed in) may read `offer` while it is a draft.
pub async fn may_read_draft(
    db: &impl ConnectionTrait,
    caller: Option<&user::Model>,
    offer: &training_offer::Model,
) -> Result<bool, ApiError> {
    let Some(caller) = caller else { return Ok(false) };
    let Some(organization) = organization::Entity::find_by_id(offer.organization_id).one(db).await? else {
        return Ok(false);
    };
    manages(db, caller, &organization).await
}
