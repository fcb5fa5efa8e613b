//! Match requests and their suggestions.
//!
//! Suggestions are filtered by the database: one query keeps the mentors
//! who offer the skill, accept requests, have a seat left, share a language
//! and a modality with the request, are not the learner and are not blocked
//! either way; it ranks them by what SQL can compute cheaply (level fit,
//! proximity, load, rating) and returns a bounded pool ([`pool_size`]). Only
//! that pool gets the full score, whose availability factor needs each
//! party's time-zone rules.

use chrono::{NaiveDate, Utc};
use entity::match_request::{self, MatchRequestStatus};
use entity::member_skill::{self, SkillIntent};
use entity::mentor_match::{self, MatchStatus};
use entity::{Role, accompaniment, audit_log, skill, user};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
    Value,
};
use uuid::Uuid;

use super::catalogue::skill_refs;
use super::domain::{Modalities, Postcode, parse_language};
use super::dto::{MatchRequestView, NewMatchRequest, ScoreFactor, SkillRef, SuggestedMentor, Suggestion};
use super::mentors::availabilities;
use super::offers;
use super::scoring::{
    self, Availability, MentorFeatures, RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT, RequestFeatures,
    learner_intervals, mentor_intervals,
};
use crate::accounts::party::{Party, parties};
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

/// Audit actions of a counsellor's reads of a member's request.
pub const REQUEST_READ: &str = "match_request.read";
pub const SUGGESTIONS_READ: &str = "match_request.suggestions";

fn languages_of_request(request: &match_request::Model) -> Vec<String> {
    serde_json::from_value(request.languages.clone()).unwrap_or_default()
}

fn request_modalities(request: &match_request::Model) -> Modalities {
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
        .ok_or_else(|| ApiError::validation("skill_id", "unknown_skill", "Cette compétence n'existe pas."))?;
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
        return Err(ApiError::Conflict {
            code: ErrorCode::TooManyOpenRequests,
            detail: format!(
                "Vous avez déjà {MAX_OPEN_REQUESTS} demandes en cours : attendez une réponse, ou terminez-en une, avant d'en ouvrir une autre."
            ),
        });
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
/// with their consent (the read is written to the member's audit log).
/// Anyone else gets 404.
pub async fn readable(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    id: Uuid,
    action: &str,
) -> Result<match_request::Model, ApiError> {
    let row = match_request::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if row.learner_id == caller.id {
        return Ok(row);
    }
    if caller.role != Role::Counsellor {
        return Err(ApiError::NotFound);
    }
    let consented = accompaniment::Entity::find()
        .filter(accompaniment::Column::CounsellorId.eq(caller.id))
        .filter(accompaniment::Column::MemberId.eq(row.learner_id))
        .filter(accompaniment::Column::Status.eq(accompaniment::AccompanimentStatus::Active))
        .one(db)
        .await?
        .is_some();
    if !consented {
        return Err(ApiError::NotFound);
    }
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(caller.id),
        member_id: Set(row.learner_id),
        action: Set(action.to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
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

/// How many candidates the database returns for `limit` suggestions.
pub fn pool_size(limit: u64) -> u64 {
    (limit * 3).clamp(100, 300)
}

/// `?` placeholders in order, as the backend wants them.
fn numbered(backend: DatabaseBackend, sql: &str) -> String {
    if backend != DatabaseBackend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A mentor who passed every hard filter, with what the score needs.
#[derive(Debug, FromQueryResult)]
pub struct Candidate {
    pub user_id: Uuid,
    pub display_name: String,
    pub bio: String,
    pub level: i16,
    pub max_active_matches: i16,
    pub offers_remote: bool,
    pub offers_in_person: bool,
    pub offers_phone: bool,
    pub postcode: Option<String>,
    pub departement: Option<String>,
    pub rating_sum: i32,
    pub rating_count: i32,
    pub active: i64,
}

impl Candidate {
    /// The score inputs. Languages are left empty: the database already
    /// kept only mentors who share one with the request.
    fn features(&self, intervals: Option<Vec<scoring::Interval>>) -> MentorFeatures {
        MentorFeatures {
            mentor_id: self.user_id,
            offered_level: Some(self.level.clamp(1, 8) as u8),
            accepting: true,
            active_matches: self.active.max(0) as u32,
            max_active_matches: self.max_active_matches.max(0) as u32,
            modalities: Modalities {
                remote: self.offers_remote,
                in_person: self.offers_in_person,
                phone: self.offers_phone,
            },
            languages: Vec::new(),
            postcode: self.postcode.clone(),
            departement: self.departement.clone(),
            rating_sum: i64::from(self.rating_sum),
            rating_count: i64::from(self.rating_count),
            intervals,
        }
    }
}

/// The mentors who pass every hard filter for `request`, best first by the
/// factors SQL computes, at most `pool` of them — one query.
pub async fn candidates(
    db: &impl ConnectionTrait,
    request: &match_request::Model,
    pool: u64,
) -> Result<Vec<Candidate>, ApiError> {
    let modalities = request_modalities(request);
    let languages = languages_of_request(request);
    if languages.is_empty() || !modalities.any() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = Vec::new();
    let offers: Vec<&str> = [
        (modalities.remote, "o.offers_remote"),
        (modalities.in_person, "o.offers_in_person"),
        (modalities.phone, "o.offers_phone"),
    ]
    .into_iter()
    .filter_map(|(wanted, column)| wanted.then_some(column))
    .collect();
    let speaks = vec!["o.languages LIKE ?"; languages.len()].join(" OR ");
    values.push(request.skill_id.into());
    values.extend([request.learner_id; 3].map(Value::from));
    values.extend(languages.iter().map(|l| Value::from(offers::language_pattern(l))));
    let target = i32::from(request.target_level.unwrap_or(DEFAULT_TARGET_LEVEL));
    values.extend([target + 1, target, target - 1].map(Value::from));
    let proximity = match (&request.postcode, &request.departement) {
        (Some(postcode), Some(departement)) if modalities.in_person => {
            values.push(postcode.clone().into());
            values.push(departement.clone().into());
            let far = if modalities.remote || modalities.phone { 12 } else { 4 };
            format!(
                "CASE WHEN c.offers_in_person AND c.postcode = ? THEN 20 \
                 WHEN c.offers_in_person AND c.departement = ? THEN 16 ELSE {far} END"
            )
        }
        _ => "12".to_owned(),
    };
    values.push(Value::from(pool as i64));
    let prior_total = RATING_PRIOR_MEAN * RATING_PRIOR_WEIGHT;
    // `c` filters the suggestion index of the skill (`mentor_offers`: only
    // accepting mentors are there, with their modalities and languages; the
    // inactive-account check reads a small partial index, not the users
    // table; blocks are read once), materialised so that each mentor's
    // accepted matches are counted once; the next query ranks and cuts the
    // pool; only the pool is joined to users and profiles, for names and
    // bios. The rating is averaged in floating point: PostgreSQL would
    // otherwise divide exact numerics for every candidate.
    let sql = format!(
        "WITH c AS MATERIALIZED (
            SELECT o.user_id, o.level, o.max_active_matches,
                   o.offers_remote, o.offers_in_person, o.offers_phone, o.postcode, o.departement,
                   o.rating_sum, o.rating_count,
                   (SELECT COUNT(*) FROM mentor_matches mm
                     WHERE mm.mentor_id = o.user_id AND mm.status = 'accepted') AS active
            FROM mentor_offers o
            WHERE o.skill_id = ?
              AND o.user_id NOT IN (SELECT id FROM users WHERE disabled_at IS NOT NULL OR erased_at IS NOT NULL)
              AND o.user_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = ?
                                    UNION SELECT blocker_id FROM blocks WHERE blocked_id = ?)
              AND o.user_id <> ?
              AND ({offers})
              AND ({speaks})
        )
        SELECT r.*, u.display_name, p.bio FROM (
          SELECT * FROM c
          WHERE c.active < c.max_active_matches
          ORDER BY (CASE WHEN c.level >= ? THEN 30 WHEN c.level = ? THEN 22 WHEN c.level = ? THEN 10 ELSE 0 END)
                 + ({proximity})
                 + (10 * (c.max_active_matches - c.active)) / c.max_active_matches
                 + (15 * (({prior_total:.1} + CAST(c.rating_sum AS DOUBLE PRECISION)) / ({RATING_PRIOR_WEIGHT:.1} + c.rating_count) - 1)) / 4
                 DESC, c.user_id
          LIMIT ?
        ) r JOIN users u ON u.id = r.user_id JOIN mentor_profiles p ON p.user_id = r.user_id",
        offers = offers.join(" OR "),
    );
    let backend = db.get_database_backend();
    let statement = Statement::from_sql_and_values(backend, numbered(backend, &sql), values);
    Ok(Candidate::find_by_statement(statement).all(db).await?)
}

pub async fn candidate_ids(
    db: &impl ConnectionTrait,
    request: &match_request::Model,
    pool: u64,
) -> Result<Vec<Uuid>, ApiError> {
    Ok(candidates(db, request, pool).await?.into_iter().map(|c| c.user_id).collect())
}

/// Ranked suggestions for a request: the database filters, pre-ranks and
/// returns the pool with its score inputs; the full score (with its
/// breakdown) is computed for the pool only. Three queries in all.
pub async fn suggestions(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    id: Uuid,
    limit: u64,
) -> Result<Vec<Suggestion>, ApiError> {
    let request = readable(db, caller, id, SUGGESTIONS_READ).await?;
    let monday = scoring::reference_monday(Utc::now());
    let pool = candidates(db, &request, pool_size(limit)).await?;
    let people: Vec<Uuid> = pool.iter().map(|c| c.user_id).chain([request.learner_id]).collect();
    let slots = availabilities(db, &people).await?;
    let features = features_of_request(&request, slots.get(&request.learner_id), monday);
    let mut scored: Vec<(scoring::Score, Candidate)> = pool
        .into_iter()
        .map(|candidate| {
            let mentor = candidate.features(mentor_intervals(slots.get(&candidate.user_id), monday));
            (scoring::score(&features, &mentor), candidate)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total.cmp(&a.0.total).then(a.1.user_id.cmp(&b.1.user_id)));
    scored.truncate(limit as usize);
    Ok(scored
        .into_iter()
        .map(|(score, mentor)| Suggestion {
            mentor: SuggestedMentor {
                id: mentor.user_id,
                display_name: mentor.display_name,
                bio: mentor.bio,
            },
            score: score.total,
            breakdown: score
                .breakdown
                .into_iter()
                .map(|f| ScoreFactor {
                    factor: f.factor.to_owned(),
                    weight: f.weight,
                    value: f.value,
                    points: f.points,
                    reason: f.reason,
                })
                .collect(),
        })
        .collect())
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
