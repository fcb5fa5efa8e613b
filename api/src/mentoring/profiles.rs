//! Mentor profiles, weekly availability and the directory of mentors.
//!
//! Calls the shared reads (`mentors`, `blocks`) and the suggestion index.

use std::collections::HashMap;

use chrono::Utc;
use entity::member_skill::{self, SkillIntent};
use entity::{availability_slot, mentor_language, mentor_profile, user};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::domain::{Modalities, Postcode, format_clock, parse_clock, parse_language};
use super::dto::{
    AvailabilityInput, AvailabilityView, MentorCard, MentorProfileInput, MentorProfileView, MentorsFilter,
    SlotInput,
};
use super::mentors::{active_match_counts, languages_of, modalities_of, offered_skills, rating_of};
use crate::authz::mentoring::visible_to;
use crate::db::begin_write;
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::skills::offers;

/// Creates or replaces the caller's mentor profile.
pub async fn put_profile(
    db: &DatabaseConnection,
    caller: &user::Model,
    input: MentorProfileInput,
) -> Result<MentorProfileView, ApiError> {
    let postcode = input
        .postcode
        .as_deref()
        .map(Postcode::parse)
        .transpose()
        .map_err(|message| ApiError::validation("postcode", "postcode", message))?;
    let mut languages: Vec<String> =
        input.languages.iter().filter_map(|l| parse_language(l).ok()).collect::<Vec<_>>();
    languages.sort();
    languages.dedup();
    let modalities = Modalities::from_list(&input.modalities);
    let now = Utc::now();
    let row = mentor_profile::ActiveModel {
        user_id: Set(caller.id),
        bio: Set(input.bio.trim().to_owned()),
        offers_remote: Set(modalities.remote),
        offers_in_person: Set(modalities.in_person),
        offers_phone: Set(modalities.phone),
        postcode: Set(postcode.as_ref().map(|p| p.as_str().to_owned())),
        departement: Set(postcode.as_ref().map(|p| p.departement().to_owned())),
        max_active_matches: Set(input.max_active_matches),
        accepting: Set(input.accepting),
        rating_sum: Set(0),
        rating_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let txn = begin_write(db).await?;
    mentor_profile::Entity::insert(row)
        .on_conflict(
            OnConflict::column(mentor_profile::Column::UserId)
                .update_columns([
                    mentor_profile::Column::Bio,
                    mentor_profile::Column::OffersRemote,
                    mentor_profile::Column::OffersInPerson,
                    mentor_profile::Column::OffersPhone,
                    mentor_profile::Column::Postcode,
                    mentor_profile::Column::Departement,
                    mentor_profile::Column::MaxActiveMatches,
                    mentor_profile::Column::Accepting,
                    mentor_profile::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    mentor_language::Entity::delete_many()
        .filter(mentor_language::Column::UserId.eq(caller.id))
        .exec(&txn)
        .await?;
    mentor_language::Entity::insert_many(
        languages
            .iter()
            .map(|l| mentor_language::ActiveModel { user_id: Set(caller.id), language: Set(l.clone()) }),
    )
    .exec_without_returning(&txn)
    .await?;
    offers::refresh(&txn, caller.id).await?;
    txn.commit().await?;
    get_profile(db, caller.id).await
}

/// The caller's mentor profile; 404 until they create one.
pub async fn get_profile(db: &impl ConnectionTrait, user_id: Uuid) -> Result<MentorProfileView, ApiError> {
    let profile = mentor_profile::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let languages = languages_of(db, &[user_id]).await?.remove(&user_id).unwrap_or_default();
    let offered = offered_skills(db, &[user_id]).await?.remove(&user_id).unwrap_or_default();
    let active = active_match_counts(db, &[user_id]).await?.get(&user_id).copied().unwrap_or(0);
    Ok(MentorProfileView {
        user_id,
        bio: profile.bio.clone(),
        modalities: modalities_of(&profile).to_list(),
        languages,
        postcode: profile.postcode.clone(),
        departement: profile.departement.clone(),
        max_active_matches: profile.max_active_matches,
        active_matches: active,
        accepting: profile.accepting,
        rating: rating_of(&profile),
        offered_skills: offered,
        updated_at: profile.updated_at,
    })
}

/// Replaces the caller's weekly slots.
pub async fn put_availability(
    db: &DatabaseConnection,
    caller: &user::Model,
    input: AvailabilityInput,
) -> Result<AvailabilityView, ApiError> {
    let timezone = input.timezone.clone().unwrap_or_else(|| caller.timezone.clone());
    let mut rows = Vec::with_capacity(input.slots.len());
    for (index, slot) in input.slots.iter().enumerate() {
        let start = parse_clock(&slot.start).map_err(|m| slot_error(index, "start", "time", m))?;
        let end = parse_clock(&slot.end).map_err(|m| slot_error(index, "end", "time", m))?;
        if start >= end {
            return Err(slot_error(index, "end", "range", "field.slot_end_before_start"));
        }
        rows.push(availability_slot::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(caller.id),
            weekday: Set(slot.weekday),
            start_minute: Set(start as i16),
            end_minute: Set(end as i16),
            timezone: Set(timezone.clone()),
        });
    }
    let txn = begin_write(db).await?;
    availability_slot::Entity::delete_many()
        .filter(availability_slot::Column::UserId.eq(caller.id))
        .exec(&txn)
        .await?;
    availability_slot::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    txn.commit().await?;
    get_availability(db, caller).await
}

fn slot_error(index: usize, field: &str, code: &str, id: &str) -> ApiError {
    ApiError::validation(&format!("slots[{index}].{field}"), code, id)
}

pub async fn get_availability(
    db: &impl ConnectionTrait,
    caller: &user::Model,
) -> Result<AvailabilityView, ApiError> {
    let slots = availability_slot::Entity::find()
        .filter(availability_slot::Column::UserId.eq(caller.id))
        .order_by_asc(availability_slot::Column::Weekday)
        .order_by_asc(availability_slot::Column::StartMinute)
        .all(db)
        .await?;
    Ok(AvailabilityView {
        timezone: slots.first().map_or_else(|| caller.timezone.clone(), |s| s.timezone.clone()),
        slots: slots
            .into_iter()
            .map(|s| SlotInput {
                weekday: s.weekday,
                start: format_clock(s.start_minute),
                end: format_clock(s.end_minute),
            })
            .collect(),
    })
}

/// Accepting mentors, filtered in the database, by id. Nobody sees a mentor
/// of a blocked pair, nor their own card.
pub async fn directory(
    db: &impl ConnectionTrait,
    caller_id: Uuid,
    filter: &MentorsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<MentorCard>, ApiError> {
    let mut query = mentor_profile::Entity::find()
        .filter(mentor_profile::Column::Accepting.eq(true))
        .filter(mentor_profile::Column::UserId.ne(caller_id))
        .filter(
            mentor_profile::Column::UserId.in_subquery(
                Query::select()
                    .column(user::Column::Id)
                    .from(user::Entity)
                    .and_where(user::Column::DisabledAt.is_null())
                    .and_where(user::Column::ErasedAt.is_null())
                    .to_owned(),
            ),
        )
        .filter(visible_to(mentor_profile::Column::UserId, caller_id));
    if let Some(skill_id) = filter.skill_id {
        query = query.filter(
            mentor_profile::Column::UserId.in_subquery(
                Query::select()
                    .column(member_skill::Column::UserId)
                    .from(member_skill::Entity)
                    .and_where(member_skill::Column::SkillId.eq(skill_id))
                    .and_where(member_skill::Column::Kind.eq(SkillIntent::Offer))
                    .to_owned(),
            ),
        );
    }
    if let Some(modality) = filter.modality {
        let column = match modality {
            entity::match_session::Modality::Remote => mentor_profile::Column::OffersRemote,
            entity::match_session::Modality::InPerson => mentor_profile::Column::OffersInPerson,
            entity::match_session::Modality::Phone => mentor_profile::Column::OffersPhone,
        };
        query = query.filter(column.eq(true));
    }
    if let Some(language) = filter.language.as_deref() {
        let language =
            parse_language(language).map_err(|m| ApiError::validation("language", "language", m))?;
        query = query.filter(
            mentor_profile::Column::UserId.in_subquery(
                Query::select()
                    .column(mentor_language::Column::UserId)
                    .from(mentor_language::Entity)
                    .and_where(mentor_language::Column::Language.eq(language))
                    .to_owned(),
            ),
        );
    }
    if let Some(after) = page.after {
        query = query.filter(mentor_profile::Column::UserId.gt(after));
    }
    let profiles = query.order_by_asc(mentor_profile::Column::UserId).limit(page.limit + 1).all(db).await?;
    let ids: Vec<Uuid> = profiles.iter().map(|p| p.user_id).collect();
    let names: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut languages = languages_of(db, &ids).await?;
    let mut offered = offered_skills(db, &ids).await?;
    let active = active_match_counts(db, &ids).await?;
    let cards = profiles
        .into_iter()
        .map(|p| MentorCard {
            id: p.user_id,
            display_name: names.get(&p.user_id).cloned().unwrap_or_default(),
            bio: p.bio.clone(),
            modalities: modalities_of(&p).to_list(),
            languages: languages.remove(&p.user_id).unwrap_or_default(),
            departement: p.departement.clone(),
            offered_skills: offered.remove(&p.user_id).unwrap_or_default(),
            rating: rating_of(&p),
            has_capacity: active.get(&p.user_id).copied().unwrap_or(0) < i64::from(p.max_active_matches),
        })
        .collect();
    Ok(Page::from_rows(cards, page.limit, |c| c.id))
}
