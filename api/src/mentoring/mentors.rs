//! Mentor reads shared by profiles, suggestions, cohort matching and the
//! match lifecycle: a mentor's languages, offered skills, availability,
//! accepted matches (what fills their seats) and everything the score needs.
//!
//! A leaf: calls only `entity`, the pure `domain` and `scoring`, and `dto`.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::member_skill::{self, SkillIntent};
use entity::mentor_match::{self, MatchStatus};
use entity::{availability_slot, mentor_language, mentor_profile, skill, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::domain::Modalities;
use super::dto::{MentoredSkill, RatingView};
use super::scoring::{self, Availability, MentorFeatures, WeeklySlot, mentor_intervals};
use crate::error::ApiError;

/// Accepted matches per mentor: what fills their capacity.
pub async fn active_match_counts(
    db: &impl ConnectionTrait,
    mentor_ids: &[Uuid],
) -> Result<HashMap<Uuid, i64>, ApiError> {
    // Scoped to this function: its `max` would clash with the integers' `max` in
    // `MentorData::features`.
    use sea_orm::sea_query::ExprTrait;

    #[derive(FromQueryResult)]
    struct Count {
        mentor_id: Uuid,
        count: i64,
    }
    let rows = mentor_match::Entity::find()
        .select_only()
        .column(mentor_match::Column::MentorId)
        .column_as(Expr::col(mentor_match::Column::Id).count(), "count")
        .filter(mentor_match::Column::MentorId.is_in(mentor_ids.iter().copied()))
        .filter(mentor_match::Column::Status.eq(MatchStatus::Accepted))
        .group_by(mentor_match::Column::MentorId)
        .into_model::<Count>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|c| (c.mentor_id, c.count)).collect())
}

pub fn modalities_of(profile: &mentor_profile::Model) -> Modalities {
    Modalities {
        remote: profile.offers_remote,
        in_person: profile.offers_in_person,
        phone: profile.offers_phone,
    }
}

pub fn rating_of(profile: &mentor_profile::Model) -> RatingView {
    RatingView {
        average: (profile.rating_count > 0)
            .then(|| (f64::from(profile.rating_sum) / f64::from(profile.rating_count) * 10.0).round() / 10.0),
        count: profile.rating_count,
    }
}

/// Languages of each mentor, sorted.
pub async fn languages_of(
    db: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, ApiError> {
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in mentor_language::Entity::find()
        .filter(mentor_language::Column::UserId.is_in(user_ids.iter().copied()))
        .order_by_asc(mentor_language::Column::Language)
        .all(db)
        .await?
    {
        out.entry(row.user_id).or_default().push(row.language);
    }
    Ok(out)
}

/// The skills each person offers, in catalogue order.
pub async fn offered_skills(
    db: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<MentoredSkill>>, ApiError> {
    let rows = member_skill::Entity::find()
        .filter(member_skill::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(member_skill::Column::Kind.eq(SkillIntent::Offer))
        .find_also_related(skill::Entity)
        .order_by_asc(skill::Column::Code)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<MentoredSkill>> = HashMap::new();
    for (declared, skill) in rows {
        if let Some(skill) = skill {
            out.entry(declared.user_id).or_default().push(MentoredSkill {
                skill_id: skill.id,
                code: skill.code,
                name: skill.name,
                level: declared.level,
            });
        }
    }
    Ok(out)
}

/// Weekly availability of each user, for scoring. Slots in an unknown time
/// zone (none can be stored) are skipped rather than failing a suggestion.
pub async fn availabilities(
    db: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Availability>, ApiError> {
    let mut out: HashMap<Uuid, Availability> = HashMap::new();
    for slot in availability_slot::Entity::find()
        .filter(availability_slot::Column::UserId.is_in(user_ids.iter().copied()))
        .all(db)
        .await?
    {
        let Ok(timezone) = slot.timezone.parse::<chrono_tz::Tz>() else { continue };
        out.entry(slot.user_id).or_insert_with(|| Availability { timezone, slots: Vec::new() }).slots.push(
            WeeklySlot {
                weekday: slot.weekday as u8,
                start: slot.start_minute as u16,
                end: slot.end_minute as u16,
            },
        );
    }
    Ok(out)
}

/// Everything the score needs of a mentor, for any skill they offer.
#[derive(Debug, Clone)]
pub struct MentorData {
    pub profile: mentor_profile::Model,
    pub display_name: String,
    pub languages: Vec<String>,
    /// Offered skills and their levels.
    pub offered: HashMap<Uuid, i16>,
    pub active_matches: i64,
    pub intervals: Option<Vec<scoring::Interval>>,
}

impl MentorData {
    pub fn features(&self, skill_id: Uuid) -> MentorFeatures {
        MentorFeatures {
            mentor_id: self.profile.user_id,
            offered_level: self.offered.get(&skill_id).map(|level| (*level).clamp(1, 8) as u8),
            accepting: self.profile.accepting,
            active_matches: self.active_matches.max(0) as u32,
            max_active_matches: self.profile.max_active_matches.max(0) as u32,
            modalities: modalities_of(&self.profile),
            languages: self.languages.clone(),
            postcode: self.profile.postcode.clone(),
            departement: self.profile.departement.clone(),
            rating_sum: i64::from(self.profile.rating_sum),
            rating_count: i64::from(self.profile.rating_count),
            intervals: self.intervals.clone(),
        }
    }
}

/// Mentors with a profile and an active account among `ids`, with a fixed
/// number of queries.
pub async fn load_mentors(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    monday: NaiveDate,
) -> Result<HashMap<Uuid, MentorData>, ApiError> {
    let users: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let ids: Vec<Uuid> = users.keys().copied().collect();
    let profiles = mentor_profile::Entity::find()
        .filter(mentor_profile::Column::UserId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut languages = languages_of(db, &ids).await?;
    let mut offered: HashMap<Uuid, HashMap<Uuid, i16>> = HashMap::new();
    for row in member_skill::Entity::find()
        .filter(member_skill::Column::UserId.is_in(ids.iter().copied()))
        .filter(member_skill::Column::Kind.eq(SkillIntent::Offer))
        .all(db)
        .await?
    {
        offered.entry(row.user_id).or_default().insert(row.skill_id, row.level);
    }
    let active = active_match_counts(db, &ids).await?;
    let slots = availabilities(db, &ids).await?;
    Ok(profiles
        .into_iter()
        .map(|profile| {
            let id = profile.user_id;
            let data = MentorData {
                display_name: users.get(&id).cloned().unwrap_or_default(),
                languages: languages.remove(&id).unwrap_or_default(),
                offered: offered.remove(&id).unwrap_or_default(),
                active_matches: active.get(&id).copied().unwrap_or(0),
                intervals: mentor_intervals(slots.get(&id), monday),
                profile,
            };
            (id, data)
        })
        .collect())
}
