//! Who runs a workshop session: its facilitator, or an admin. Running it
//! gives the right to edit or cancel it, to read its roster and to mark
//! attendance; it gives no right over the members enrolled (that takes their
//! consent, see [`super::consent`]).

use entity::{Role, user, workshop};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::error::ApiError;

/// Proof that `caller_id` runs the workshop `workshop_id`. Only this module
/// builds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Runs {
    caller_id: Uuid,
    workshop_id: Uuid,
}

impl Runs {
    pub fn caller_id(&self) -> Uuid {
        self.caller_id
    }

    pub fn workshop_id(&self) -> Uuid {
        self.workshop_id
    }
}

/// Whether `caller` runs `workshop`, from the row at hand.
pub fn runs(caller: &user::Model, workshop: &workshop::Model) -> Option<Runs> {
    (caller.role == Role::Admin || workshop.facilitator_id == caller.id)
        .then_some(Runs { caller_id: caller.id, workshop_id: workshop.id })
}

/// The proof for the session `workshop_id`: 404 when there is no such
/// session, 403 when the caller does not run it.
pub async fn running(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    workshop_id: Uuid,
) -> Result<Runs, ApiError> {
    let workshop = workshop::Entity::find_by_id(workshop_id).one(db).await?.ok_or(ApiError::NotFound)?;
    runs(caller, &workshop).ok_or(ApiError::Forbidden)
}
