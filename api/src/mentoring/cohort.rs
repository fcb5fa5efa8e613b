//! Cohort matching for an organisation: a counsellor (of that organisation)
//! or an admin hands over open requests, and gets the assignment to mentors
//! of maximum total score under each mentor's remaining capacity
//! ([`super::assignment`]); `commit` creates the matches as `proposed`, all
//! or nothing.
//!
//! Calls the shared reads (`mentors`, `blocks`, `catalogue`), `requests` and
//! `suggestions` (the candidates of a request), `lifecycle` (the proposals)
//! and `authz::consent`.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::match_request::{self, MatchRequestStatus};
use entity::{Role, organization, organization_member, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::assignment::{self, Instance};
use super::blocks::blocked_pairs;
use super::catalogue::skill_refs;
use super::dto::{CohortAssignment, CohortInput, CohortResult};
use super::lifecycle;
use super::mentors::{availabilities, load_mentors};
use super::requests::{features_of_request, with_open_match};
use super::scoring;
use super::suggestions::candidate_ids;
use crate::accounts::party::Party;
use crate::authz::consent;
use crate::db::begin_write;
use crate::error::ApiError;

/// Mentors considered per request when the caller names none.
const CANDIDATES_PER_REQUEST: u64 = 100;

fn invalid(field: String, code: &str, id: &str) -> ApiError {
    ApiError::validation(&field, code, id)
}

pub async fn run(
    db: &DatabaseConnection,
    caller: &user::Model,
    organization_id: Uuid,
    input: CohortInput,
) -> Result<CohortResult, ApiError> {
    organization::Entity::find_by_id(organization_id).one(db).await?.ok_or(ApiError::NotFound)?;
    // The route lets admins and counsellors in; a counsellor works for their
    // organisation only.
    let admin = caller.role == Role::Admin;
    if !admin
        && organization_member::Entity::find_by_id((organization_id, caller.id)).one(db).await?.is_none()
    {
        return Err(ApiError::Forbidden);
    }

    // The requests, in the order given, each checked.
    let mut request_ids: Vec<Uuid> = Vec::with_capacity(input.request_ids.len());
    for id in &input.request_ids {
        if !request_ids.contains(id) {
            request_ids.push(*id);
        }
    }
    let rows: HashMap<Uuid, match_request::Model> = match_request::Entity::find()
        .filter(match_request::Column::Id.is_in(request_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    // A counsellor hands over the requests of members who consented.
    let consents = if admin {
        None
    } else {
        Some(consent::active_among(db, caller.id, rows.values().map(|r| r.learner_id)).await?)
    };
    let held = with_open_match(db, &request_ids).await?;
    let mut requests: Vec<match_request::Model> = Vec::with_capacity(request_ids.len());
    for (index, id) in input.request_ids.iter().enumerate() {
        let field = format!("request_ids[{index}]");
        let Some(row) = rows.get(id) else {
            return Err(invalid(field, "unknown_request", "field.cohort_request_unknown"));
        };
        if consents.as_ref().is_some_and(|consents| consents.get(row.learner_id).is_none()) {
            return Err(invalid(field, "unknown_request", "field.cohort_request_unknown"));
        }
        if row.status != MatchRequestStatus::Open {
            return Err(invalid(field, "request_not_open", "field.request_not_open"));
        }
        if held.contains(id) {
            return Err(invalid(field, "match_pending", "field.request_match_pending"));
        }
        if !requests.iter().any(|r| r.id == *id) {
            requests.push(row.clone());
        }
    }

    // The mentors: those named, or the best candidates of each request.
    let monday = scoring::reference_monday(Utc::now());
    let mentor_ids: Vec<Uuid> = match &input.mentor_ids {
        Some(ids) => {
            let mut unique = Vec::with_capacity(ids.len());
            for id in ids {
                if !unique.contains(id) {
                    unique.push(*id);
                }
            }
            unique
        }
        None => {
            let mut all = Vec::new();
            let mut seen = HashSet::new();
            for request in &requests {
                for id in candidate_ids(db, request, CANDIDATES_PER_REQUEST).await? {
                    if seen.insert(id) {
                        all.push(id);
                    }
                }
            }
            all
        }
    };
    let mentors = load_mentors(db, &mentor_ids, monday).await?;
    if let Some(ids) = &input.mentor_ids {
        for (index, id) in ids.iter().enumerate() {
            if !mentors.contains_key(id) {
                return Err(invalid(
                    format!("mentor_ids[{index}]"),
                    "unknown_mentor",
                    "field.cohort_mentor_unknown",
                ));
            }
        }
    }
    let mentor_ids: Vec<Uuid> = mentor_ids.into_iter().filter(|id| mentors.contains_key(id)).collect();

    // Scores of every pair, or `None` when a hard filter fails.
    let learners: Vec<Uuid> = requests.iter().map(|r| r.learner_id).collect();
    let slots = availabilities(db, &learners).await?;
    let people: Vec<Uuid> = learners.iter().chain(mentor_ids.iter()).copied().collect();
    let blocked = blocked_pairs(db, &people).await?;
    let features: Vec<_> =
        requests.iter().map(|r| features_of_request(r, slots.get(&r.learner_id), monday)).collect();
    let instance = Instance {
        scores: requests
            .iter()
            .zip(&features)
            .map(|(request, features)| {
                mentor_ids
                    .iter()
                    .map(|id| {
                        let mentor = mentors.get(id)?.features(request.skill_id);
                        let is_blocked = blocked.contains(&(request.learner_id, *id));
                        scoring::eligibility(features, &mentor, is_blocked).ok()?;
                        Some(scoring::score(features, &mentor).total)
                    })
                    .collect()
            })
            .collect(),
        capacities: mentor_ids
            .iter()
            .map(|id| {
                mentors
                    .get(id)
                    .map_or(0, |m| (i64::from(m.profile.max_active_matches) - m.active_matches).max(0) as u32)
            })
            .collect(),
    };
    let solved = assignment::assign(&instance);

    let mut assignments: Vec<(usize, CohortAssignment)> = solved
        .pairs
        .iter()
        .filter_map(|&(r, m)| {
            let assignment = CohortAssignment {
                request_id: requests[r].id,
                mentor_id: mentor_ids[m],
                score: instance.scores[r][m]?,
                match_id: None,
            };
            Some((r, assignment))
        })
        .collect();
    if input.commit && !assignments.is_empty() {
        let skills = skill_refs(db, requests.iter().map(|r| r.skill_id)).await?;
        let txn = begin_write(db).await?;
        for (r, assignment) in &mut assignments {
            let request = &requests[*r];
            let mentor = mentors
                .get(&assignment.mentor_id)
                .map(|m| Party { id: m.profile.user_id, display_name: m.display_name.clone() })
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an assigned mentor went missing")))?;
            let skill = skills.get(request.skill_id).name;
            let id =
                lifecycle::propose(&txn, caller, organization_id, request, &mentor, assignment.score, &skill)
                    .await?;
            assignment.match_id = Some(id);
        }
        txn.commit().await?;
    }
    Ok(CohortResult {
        assignments: assignments.into_iter().map(|(_, a)| a).collect(),
        unassigned: solved.unassigned.iter().map(|&r| requests[r].id).collect(),
        total_score: solved.total_score,
        committed: input.commit,
    })
}
