//! Who may write training offers: the managers of the training centre that
//! publishes them (see [`super::organizations`]), admins included. Everyone
//! reads published offers; drafts are seen by those who may write them only.

use entity::{training_offer, user};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::organizations::{Manager, manager};
use crate::error::ApiError;

/// The offer `offer_id` with the proof that `caller` manages its centre:
/// 404 when there is no such offer, 403 when the caller does not manage it.
pub async fn offer_manager(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    offer_id: Uuid,
) -> Result<(Manager, training_offer::Model), ApiError> {
    let offer = training_offer::Entity::find_by_id(offer_id).one(db).await?.ok_or(ApiError::NotFound)?;
    Ok((manager(db, caller, offer.organization_id).await?, offer))
}

/// Whether `caller` (if signed in) may read `offer` while it is a draft.
pub async fn may_read_draft(
    db: &impl ConnectionTrait,
    caller: Option<&user::Model>,
    offer: &training_offer::Model,
) -> Result<bool, ApiError> {
    let Some(caller) = caller else { return Ok(false) };
    match manager(db, caller, offer.organization_id).await {
        Ok(_) => Ok(true),
        Err(ApiError::Forbidden | ApiError::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}
