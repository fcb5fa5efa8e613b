//! The small pieces every file of Impose-toi ! uses: finding a session or an
//! account, and the date a person reads in a notice.
//!
//! Also which modules a member attended (the journey, and the badges awarded
//! with attendance).
//!
//! A leaf: calls only `entity`, `crate::error` and the notice builder,
//! nothing else in the area.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::enrolment::{self, EnrolmentStatus};
use entity::{user, workshop};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::ApiError;
use crate::notifications::notice::Notice;

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

/// Fills `{date}` and `{time}` of a notice with `at` as a person in France
/// reads it ("10/03/2026", "10:00"); the text around them is the language's.
pub(super) fn dated(notice: Notice, at: DateTime<Utc>) -> Notice {
    let local = at.with_timezone(&chrono_tz::Europe::Paris);
    notice.with("date", local.format("%d/%m/%Y").to_string()).with("time", local.format("%H:%M").to_string())
}

/// Module ids the member attended a session of.
pub(super) async fn attended_modules(
    db: &impl ConnectionTrait,
    member_id: Uuid,
) -> Result<HashSet<Uuid>, ApiError> {
    let workshop_ids: Vec<Uuid> = enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(member_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Attended))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.workshop_id)
        .collect();
    Ok(workshop::Entity::find()
        .filter(workshop::Column::Id.is_in(workshop_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.module_id)
        .collect())
}
