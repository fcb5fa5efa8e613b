//! Suggestions for a request, ranked with the reasons of their score.
//!
//! Suggestions are filtered by the database: one query keeps the mentors
//! who offer the skill, accept requests, have a seat left, share a language
//! and a modality with the request, are not the learner and are not blocked
//! either way; it ranks them by what SQL can compute cheaply (level fit,
//! proximity, load, rating) and returns a bounded pool ([`pool_size`]). Only
//! that pool gets the full score, whose availability factor needs each
//! party's time-zone rules.
//!
//! Reads the suggestion index (`skills::offers`); calls `requests` (who may
//! read a request, its score inputs), `mentors` and `scoring`.

use chrono::Utc;
use entity::{match_request, user};
use sea_orm::{ConnectionTrait, DatabaseBackend, FromQueryResult, Statement, Value};
use uuid::Uuid;

use super::domain::Modalities;
use super::dto::{ScoreFactor, SuggestedMentor, Suggestion};
use super::mentors::availabilities;
use super::requests::{
    DEFAULT_TARGET_LEVEL, features_of_request, languages_of_request, readable, request_modalities,
};
use super::scoring::{self, MentorFeatures, RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT, mentor_intervals};
use crate::error::ApiError;
use crate::i18n;
use crate::skills::offers;

/// Audit action of a counsellor's read of the suggestions for a member's
/// request.
pub const SUGGESTIONS_READ: &str = "match_request.suggestions";

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
/// breakdown) is computed for the pool only. Three queries in all. The
/// reasons read in the caller's language.
pub async fn for_request(
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
                    reason: f.reason.read_in(i18n::current()),
                })
                .collect(),
        })
        .collect())
}
