//! Match requests: a member asks for a mentor in one skill; the request's
//! owner, or a counsellor with the owner's consent, reads it.
//!
//! Calls the shared reads (`mentors`, `catalogue`), `scoring` and `authz`.

use chrono::{NaiveDate, Utc};
use entity::match_request::{self, MatchRequestStatus};
use entity::member_skill::{self, SkillIntent};
use entity::mentor_match::{self, MatchStatus};
use entity::{skill, user};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::catalogue::skill_refs;
use super::domain::{Modalities, Postcode, parse_language};
use super::dto::{MatchRequestView, NewMatchRequest, SkillRef};
use super::mentors::availabilities;
use super::scoring::{Availability, RequestFeatures, learner_intervals};
use crate::accounts::party::{Party, parties};
use crate::authz::consent;
use crate::db::begin_write;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};

/// The level aimed for when the learner gives none and declared none.
pub const DEFAULT_TARGET_LEVEL: i16 = 2;

/// Requests a learner may have under way at once. Each one can reach a
/// mentor (with the learner's message) and lists mentors: without a bound,
/// one account could canvass every mentor of a skill.
pub const MAX_OPEN_REQUESTS: u64 = 5;

/// The learner's requests that are not settled: `open` ones, and `matched`
/// ones whose match is still `accepted` (cancelling it reopens the request).
/// Final: `closed`, and `matched` once the mentoring is completed.
async fn open_requests(db: &impl ConnectionTrait, learner_id: Uuid) -> Result<u64, ApiError> {
    let under_way = Query::select()
        .column(mentor_match::Column::RequestId)
        .from(mentor_match::Entity)
        .and_where(mentor_match::Column::LearnerId.eq(learner_id))
        .and_where(mentor_match::Column::Status.eq(MatchStatus::Accepted))
        .to_owned();
    Ok(match_request::Entity::find()
        .filter(match_request::Column::LearnerId.eq(learner_id))
        .filter(
            Condition::any().add(match_request::Column::Status.eq(MatchRequestStatus::Open)).add(
                Condition::all()
                    .add(match_request::Column::Status.eq(MatchRequestStatus::Matched))
                    .add(match_request::Column::Id.in_subquery(under_way)),
            ),
        )
        .count(db)
        .await?)
}

/// Audit action of a counsellor's read of a member's request.
pub const REQUEST_READ: &str = "match_request.read";

pub fn languages_of_request(request: &match_request::Model) -> Vec<String> {
    serde_json::from_value(request.languages.clone()).unwrap_or_default()
}

pub fn request_modalities(request: &match_request::Model) -> Modalities {
    Modalities {
        remote: request.wants_remote,
        in_person: request.wants_in_person,
        phone: request.wants_phone,
    }
}

/// A member asks for a mentor in one skill, while they have fewer than
/// [`MAX_OPEN_REQUESTS`] under way. The count and the insert run under the
/// learner's lock (their user row on PostgreSQL, the write transaction on
/// SQLite), so requests sent at once cannot all pass the count.
pub async fn create(
    db: &DatabaseConnection,
    caller: &user::Model,
    new: NewMatchRequest,
) -> Result<MatchRequestView, ApiError> {
    let skill = skill::Entity::find_by_id(new.skill_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::validation("skill_id", "unknown_skill", "field.requested_skill_unknown"))?;
    let postcode = new
        .postcode
        .as_deref()
        .map(Postcode::parse)
        .transpose()
        .map_err(|m| ApiError::validation("postcode", "postcode", m))?;
    let target_level = match new.target_level {
        Some(level) => level,
        None => member_skill::Entity::find_by_id((caller.id, skill.id, SkillIntent::Want))
            .one(db)
            .await?
            .map_or(DEFAULT_TARGET_LEVEL, |declared| declared.level),
    }
    .min(skill.level_max);
    let mut languages: Vec<String> = Vec::with_capacity(new.languages.len());
    for language in new.languages.iter().filter_map(|l| parse_language(l).ok()) {
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    let modalities = Modalities::from_list(&new.modalities);
    let txn = begin_write(db).await?;
    let mut learner = user::Entity::find_by_id(caller.id);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        learner = learner.lock_exclusive();
    }
    learner.one(&txn).await?;
    if open_requests(&txn, caller.id).await? >= MAX_OPEN_REQUESTS {
        return Err(ApiError::conflict_saying(
            ErrorCode::TooManyOpenRequests,
            "problem.too_many_open_requests.mentoring",
            &[("max", &MAX_OPEN_REQUESTS.to_string())],
        ));
    }
    let now = Utc::now();
    let row = match_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        learner_id: Set(caller.id),
        skill_id: Set(skill.id),
        message: Set(Some(new.message.trim().to_owned())),
        wants_remote: Set(modalities.remote),
        wants_in_person: Set(modalities.in_person),
        wants_phone: Set(modalities.phone),
        languages: Set(serde_json::json!(languages)),
        target_level: Set(Some(target_level)),
        postcode: Set(postcode.as_ref().map(|p| p.as_str().to_owned())),
        departement: Set(postcode.as_ref().map(|p| p.departement().to_owned())),
        status: Set(MatchRequestStatus::Open),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let learner = Party { id: caller.id, display_name: caller.display_name.clone() };
    Ok(view(row, learner, SkillRef { id: skill.id, code: skill.code, name: skill.name }))
}

fn view(row: match_request::Model, learner: Party, skill: SkillRef) -> MatchRequestView {
    MatchRequestView {
        id: row.id,
        learner,
        skill,
        message: row.message.clone(),
        modalities: request_modalities(&row).to_list(),
        languages: languages_of_request(&row),
        target_level: row.target_level.unwrap_or(DEFAULT_TARGET_LEVEL),
        postcode: row.postcode.clone(),
        status: row.status,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<match_request::Model>,
) -> Result<Vec<MatchRequestView>, ApiError> {
    let names = parties(db, rows.iter().map(|r| r.learner_id)).await?;
    let skills = skill_refs(db, rows.iter().map(|r| r.skill_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let learner = names.get(row.learner_id);
            let skill = skills.get(row.skill_id);
            view(row, learner, skill)
        })
        .collect())
}

/// The caller's own requests, newest first.
pub async fn mine(
    db: &impl ConnectionTrait,
    caller: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<MatchRequestView>, ApiError> {
    let mut query = match_request::Entity::find().filter(match_request::Column::LearnerId.eq(caller));
    if let Some(after) = page.after {
        query = query.filter(match_request::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(match_request::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(views(db, rows).await?, page.limit, |v| v.id))
}

/// A request its owner may read, or a counsellor who accompanies the owner
/// with their consent (the read is written to the member's audit log, in the
/// same statement as the consent check). Anyone else gets 404.
pub async fn readable(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    id: Uuid,
    action: &str,
) -> Result<match_request::Model, ApiError> {
    let row = match_request::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    consent::record_reader(db, caller, row.learner_id, action).await?.ok_or(ApiError::NotFound)?;
    Ok(row)
}

pub async fn detail(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    id: Uuid,
) -> Result<MatchRequestView, ApiError> {
    let row = readable(db, caller, id, REQUEST_READ).await?;
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a request view went missing")))
}

/// The score inputs of a request, its learner's availability placed in the
/// week of `monday`.
pub async fn request_features(
    db: &impl ConnectionTrait,
    request: &match_request::Model,
    monday: NaiveDate,
) -> Result<RequestFeatures, ApiError> {
    let availability = availabilities(db, &[request.learner_id]).await?;
    Ok(features_of_request(request, availability.get(&request.learner_id), monday))
}

pub fn features_of_request(
    request: &match_request::Model,
    availability: Option<&Availability>,
    monday: NaiveDate,
) -> RequestFeatures {
    RequestFeatures {
        learner_id: request.learner_id,
        target_level: request.target_level.unwrap_or(DEFAULT_TARGET_LEVEL).clamp(1, 8) as u8,
        modalities: request_modalities(request),
        languages: languages_of_request(request),
        postcode: request.postcode.clone(),
        departement: request.departement.clone(),
        intervals: learner_intervals(availability, monday),
    }
}

/// Requests with a match that holds them (proposed, requested or accepted).
pub async fn with_open_match(
    db: &impl ConnectionTrait,
    request_ids: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, ApiError> {
    Ok(mentor_match::Entity::find()
        .filter(mentor_match::Column::RequestId.is_in(request_ids.iter().copied()))
        .filter(mentor_match::Column::Status.is_in(MatchStatus::OPEN))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.request_id)
        .collect())
}
