//! The small pieces every file of Impose-toi ! uses: finding a session or an
//! account, the 409 conflict several rules answer with, and the date a person
//! reads in a notice.
//!
//! A leaf: calls only `entity` and `crate::error`, nothing else in the area.

use chrono::{DateTime, Utc};
use entity::{user, workshop};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};

pub(super) fn conflict(code: ErrorCode, detail: &str) -> ApiError {
    ApiError::Conflict { code, detail: detail.into() }
}

pub(super) async fn find_workshop(db: &impl ConnectionTrait, id: Uuid) -> Result<workshop::Model, ApiError> {
    workshop::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

/// The account, unless it is disabled or erased.
pub(super) async fn active_account(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<user::Model>, ApiError> {
    Ok(user::Entity::find_by_id(id)
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?)
}

/// A date and time a person in France reads: "10/03/2026 à 10:00".
pub(super) fn local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y à %H:%M").to_string()
}
