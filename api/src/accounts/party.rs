//! How one person appears to another: an id and a display name, never an
//! email. A leaf that every area reads.

use std::collections::{HashMap, HashSet};

use entity::user;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

/// What an erased person is called, on their row and wherever a text named
/// them; also shown for an id that no account has.
pub const ERASED_DISPLAY_NAME: &str = "Compte supprimé";

/// A person as another person sees them: never the email.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Party {
    pub id: Uuid,
    pub display_name: String,
}

/// Display names of a set of accounts, read in one query.
#[derive(Debug, Default)]
pub struct Parties(HashMap<Uuid, Party>);

impl Parties {
    /// The party, or "Compte supprimé" for an id no account has.
    pub fn get(&self, id: Uuid) -> Party {
        self.0.get(&id).cloned().unwrap_or_else(|| Party { id, display_name: ERASED_DISPLAY_NAME.into() })
    }

    /// The party, if an account has that id.
    pub fn find(&self, id: Uuid) -> Option<&Party> {
        self.0.get(&id)
    }
}

/// Display names of accounts. Users are never deleted (erasure anonymises
/// them), so every reference resolves.
pub async fn parties(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Parties, ApiError> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    let rows: Vec<(Uuid, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Parties(rows.into_iter().map(|(id, display_name)| (id, Party { id, display_name })).collect()))
}
