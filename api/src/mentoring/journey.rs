//! The Enchanté section of a member's journey: their requests, matches (as
//! learner and as mentor) and sessions — never contact details.

use chrono::{DateTime, Utc};
use entity::match_request::{self, MatchRequestStatus};
use entity::match_session::{self, Modality};
use entity::mentor_match::{self, MatchStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::catalogue::skill_refs;
use super::dto::{MatchRole, SkillRef};
use crate::accounts::party::{Party, parties};
use crate::error::ApiError;

/// The most recent entries of each list.
const SHOWN: u64 = 50;

#[derive(Debug, Serialize, ToSchema)]
pub struct MentoringSummary {
    /// Mentor requests, newest first.
    pub requests: Vec<JourneyMatchRequest>,
    /// Matches as learner or as mentor, newest first.
    pub matches: Vec<JourneyMatch>,
    /// Sessions of those matches, latest first.
    pub sessions: Vec<JourneySession>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyMatchRequest {
    pub id: Uuid,
    pub skill: SkillRef,
    pub status: MatchRequestStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyMatch {
    pub id: Uuid,
    /// The member's side of the match.
    pub role: MatchRole,
    pub other_party: Party,
    pub skill: SkillRef,
    pub status: MatchStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JourneySession {
    pub id: Uuid,
    pub match_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i16,
    pub modality: Modality,
}

pub async fn summary(db: &impl ConnectionTrait, member_id: Uuid) -> Result<MentoringSummary, ApiError> {
    let requests = match_request::Entity::find()
        .filter(match_request::Column::LearnerId.eq(member_id))
        .order_by_desc(match_request::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await?;
    let matches = mentor_match::Entity::find()
        .filter(
            Condition::any()
                .add(mentor_match::Column::LearnerId.eq(member_id))
                .add(crate::authz::mentoring::as_mentor(member_id)),
        )
        .order_by_desc(mentor_match::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await?;
    let sessions = match_session::Entity::find()
        .filter(match_session::Column::MatchId.is_in(matches.iter().map(|m| m.id)))
        .order_by_desc(match_session::Column::StartsAt)
        .limit(SHOWN)
        .all(db)
        .await?;
    let skills =
        skill_refs(db, requests.iter().map(|r| r.skill_id).chain(matches.iter().map(|m| m.skill_id))).await?;
    let others: Vec<Uuid> =
        matches.iter().map(|m| if m.learner_id == member_id { m.mentor_id } else { m.learner_id }).collect();
    let names = parties(db, others.iter().copied()).await?;
    let skill = |id: Uuid| skills.get(id);
    Ok(MentoringSummary {
        requests: requests
            .into_iter()
            .map(|r| JourneyMatchRequest {
                id: r.id,
                skill: skill(r.skill_id),
                status: r.status,
                created_at: r.created_at,
            })
            .collect(),
        matches: matches
            .into_iter()
            .zip(others)
            .map(|(m, other)| JourneyMatch {
                id: m.id,
                role: if m.learner_id == member_id { MatchRole::Learner } else { MatchRole::Mentor },
                other_party: names.get(other),
                skill: skill(m.skill_id),
                status: m.status,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
            .collect(),
        sessions: sessions
            .into_iter()
            .map(|s| JourneySession {
                id: s.id,
                match_id: s.match_id,
                starts_at: s.starts_at,
                duration_minutes: s.duration_minutes,
                modality: s.modality,
            })
            .collect(),
    })
}
