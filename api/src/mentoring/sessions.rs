//! The sessions the two parties of an accepted match plan together.
//!
//! Calls `authz::mentoring` (who is a party) and `notifications`.

use chrono::{DateTime, Utc};
use entity::match_session;
use entity::mentor_match::MatchStatus;
use entity::user;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::dto::{NewSession, SessionView};
use crate::authz::mentoring::MatchParty;
use crate::db::begin_write;
use crate::error::{ApiError, ErrorCode};
use crate::notifications::notice::{self, Notice};
use crate::pagination::{Page, PageRequest};

fn session_view(s: match_session::Model) -> SessionView {
    SessionView {
        id: s.id,
        match_id: s.match_id,
        created_by: s.created_by,
        starts_at: s.starts_at,
        duration_minutes: s.duration_minutes,
        modality: s.modality,
        location: s.location,
        created_at: s.created_at,
    }
}

/// Plans a session of an accepted match for `caller`, a party to it; the
/// other party is notified.
pub async fn add_session(
    db: &DatabaseConnection,
    caller: &user::Model,
    party: &MatchParty,
    new: NewSession,
) -> Result<SessionView, ApiError> {
    let id = party.row().id;
    if party.row().status != MatchStatus::Accepted {
        return Err(ApiError::conflict(ErrorCode::MatchNotActive));
    }
    let txn = begin_write(db).await?;
    let session = match_session::ActiveModel {
        id: Set(Uuid::now_v7()),
        match_id: Set(id),
        created_by: Set(caller.id),
        starts_at: Set(new.starts_at),
        duration_minutes: Set(new.duration_minutes),
        modality: Set(new.modality),
        location: Set(new.location.map(|l| l.trim().to_owned())),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    let other = party.other_id();
    let local = new.starts_at.with_timezone(&chrono_tz::Europe::Paris);
    let data = json!({"match_id": id, "session_id": session.id});
    let notice = Notice::new("match.session_planned", "notice.match_session_planned", data)
        .naming("person", caller)
        .with("date", local.format("%d/%m/%Y").to_string())
        .with("time", local.format("%H:%M").to_string())
        .with("minutes", new.duration_minutes.to_string());
    notice::send(&txn, other, notice).await?;
    txn.commit().await?;
    Ok(session_view(session))
}

/// The sessions of a match, in time order.
pub async fn sessions(
    db: &impl ConnectionTrait,
    party: &MatchParty,
    page: PageRequest<(DateTime<Utc>, Uuid)>,
) -> Result<Page<SessionView>, ApiError> {
    let mut query = match_session::Entity::find().filter(match_session::Column::MatchId.eq(party.row().id));
    if let Some((at, after)) = page.after {
        query = query.filter(
            Condition::any()
                .add(match_session::Column::StartsAt.gt(at))
                .add(match_session::Column::StartsAt.eq(at).and(match_session::Column::Id.gt(after))),
        );
    }
    let rows = query
        .order_by_asc(match_session::Column::StartsAt)
        .order_by_asc(match_session::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(rows.into_iter().map(session_view).collect(), page.limit, |s| (s.starts_at, s.id)))
}
