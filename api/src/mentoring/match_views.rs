//! What the parties see of their matches: the list, one match with its
//! history, and the views (contact details only while the match is, or was, a
//! real one, and never across a block).
//!
//! Calls the shared reads (`blocks`, `catalogue`), `authz::mentoring` (who is
//! a party) and `accounts::party`.

use std::collections::HashMap;

use entity::mentor_match::{self, MatchStatus};
use entity::{match_event, user};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::blocks::blocked_with;
use super::catalogue::skill_refs;
use super::dto::{Contact, MatchDetail, MatchEventView, MatchRole, MatchView, MatchesFilter};
use crate::accounts::party::parties;
use crate::authz::mentoring::{MatchParty, as_mentor};
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};

/// The caller's matches, newest first, as learner and as mentor.
pub async fn mine(
    db: &impl ConnectionTrait,
    caller: Uuid,
    filter: &MatchesFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<MatchView>, ApiError> {
    let mut query = mentor_match::Entity::find().filter(match filter.role {
        Some(MatchRole::Learner) => Condition::all().add(mentor_match::Column::LearnerId.eq(caller)),
        Some(MatchRole::Mentor) => as_mentor(caller),
        None => Condition::any().add(mentor_match::Column::LearnerId.eq(caller)).add(as_mentor(caller)),
    });
    if let Some(status) = filter.status {
        query = query.filter(mentor_match::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        query = query.filter(mentor_match::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(mentor_match::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(views(db, rows, caller).await?, page.limit, |v| v.id))
}

/// One match with its history, as its party sees it.
pub async fn detail(db: &impl ConnectionTrait, party: &MatchParty) -> Result<MatchDetail, ApiError> {
    let events = match_event::Entity::find()
        .filter(match_event::Column::MatchId.eq(party.row().id))
        .order_by_asc(match_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| MatchEventView {
            from_status: e.from_status,
            to_status: e.to_status,
            actor_id: e.actor_id,
            reason: e.reason,
            created_at: e.created_at,
        })
        .collect();
    Ok(MatchDetail { view: one_view(db, party.row().clone(), party.caller_id()).await?, events })
}

pub async fn one_view(
    db: &impl ConnectionTrait,
    row: mentor_match::Model,
    caller: Uuid,
) -> Result<MatchView, ApiError> {
    views(db, vec![row], caller)
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a match view went missing")))
}

/// Contact details are shared while the match is, or was, a real one.
fn shares_contact(status: MatchStatus) -> bool {
    matches!(status, MatchStatus::Accepted | MatchStatus::Completed)
}

/// Views of `rows` as `caller` sees them, with a fixed number of queries.
pub async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<mentor_match::Model>,
    caller: Uuid,
) -> Result<Vec<MatchView>, ApiError> {
    let names = parties(db, rows.iter().flat_map(|r| [r.learner_id, r.mentor_id])).await?;
    let skills = skill_refs(db, rows.iter().map(|r| r.skill_id)).await?;
    let others: Vec<Uuid> = rows
        .iter()
        .filter(|r| shares_contact(r.status))
        .map(|r| if r.learner_id == caller { r.mentor_id } else { r.learner_id })
        .collect();
    // A block, either way, hides the address, even of a mentoring completed before it.
    let blocked = blocked_with(db, caller, &others).await?;
    let contact_ids: Vec<Uuid> = others.into_iter().filter(|other| !blocked.contains(other)).collect();
    let emails: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(contact_ids))
        .filter(user::Column::ErasedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| Some((u.id, u.email?)))
        .collect();
    let party = |id: Uuid| names.get(id);
    Ok(rows
        .into_iter()
        .map(|row| {
            let your_role = if row.learner_id == caller { MatchRole::Learner } else { MatchRole::Mentor };
            let other = if your_role == MatchRole::Learner { row.mentor_id } else { row.learner_id };
            MatchView {
                id: row.id,
                request_id: row.request_id,
                skill: skills.get(row.skill_id),
                learner: party(row.learner_id),
                mentor: party(row.mentor_id),
                your_role,
                status: row.status,
                score: row.score,
                message: row.message,
                organization_id: row.organization_id,
                expires_at: row.expires_at.filter(|_| row.status == MatchStatus::Requested),
                contact: shares_contact(row.status)
                    .then(|| emails.get(&other).map(|email| Contact { email: email.clone() }))
                    .flatten(),
                created_at: row.created_at,
                updated_at: row.updated_at,
            }
        })
        .collect())
}
