//! The member's learning days: XP recorded on their local day, which feeds
//! the streak and the daily goal. Calls `streak` (pure) only.

use std::collections::BTreeSet;

use chrono::Utc;
use entity::{learning_day, user};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::streak::{self, Streak};
use crate::error::ApiError;

pub(super) fn member_zone(user: &user::Model) -> chrono_tz::Tz {
    streak::time_zone_or_default(Some(&user.timezone))
}

/// Records XP on the member's local day: days feed the streak and the daily goal.
pub async fn record_learning_day(
    db: &impl ConnectionTrait,
    user: &user::Model,
    xp: i32,
) -> Result<(), ApiError> {
    let day = streak::local_day(Utc::now(), member_zone(user));
    learning_day::Entity::insert(learning_day::ActiveModel {
        user_id: Set(user.id),
        day: Set(day),
        xp: Set(xp),
    })
    .on_conflict(
        OnConflict::columns([learning_day::Column::UserId, learning_day::Column::Day])
            .value(
                learning_day::Column::Xp,
                Expr::col((learning_day::Entity, learning_day::Column::Xp)).add(xp),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn streak_of(db: &impl ConnectionTrait, user: &user::Model) -> Result<Streak, ApiError> {
    let days: BTreeSet<_> = learning_day::Entity::find()
        .filter(learning_day::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.day)
        .collect();
    Ok(streak::compute(&days, streak::local_day(Utc::now(), member_zone(user))))
}
