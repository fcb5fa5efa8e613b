//! The suggestion index (`mentor_offers`): one row per skill an accepting
//! mentor offers, with the profile fields the hard filters and the SQL
//! pre-ranking read. Suggestions scan one primary-key range per skill instead
//! of joining every offering mentor's profile and languages (about 950 of
//! them per skill in the benchmark). The rows are derived data: whatever
//! changes a mentor's profile, languages, offered skills or rating calls
//! `refresh` in the same write transaction.
//!
//! It sits with skills, below mentoring: declaring an offered skill refreshes
//! it, and mentoring's profiles, feedback and suggestions use it. Calls only
//! `entity` and `db`.

use entity::member_skill::{self, SkillIntent};
use entity::{mentor_language, mentor_offer, mentor_profile};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, Set, Statement,
};
use uuid::Uuid;

use crate::db::WriteTxn;
use crate::error::ApiError;

/// `" ar fr "`: each language between spaces, so that `LIKE '% fr %'`
/// (see `language_pattern`) matches one whole code.
pub fn language_key<'a>(languages: impl IntoIterator<Item = &'a str>) -> String {
    languages.into_iter().fold(" ".to_owned(), |key, language| format!("{key}{language} "))
}

/// The `LIKE` pattern that finds `language` in a `language_key`. Language
/// codes are validated letters, never `%` or `_`.
pub fn language_pattern(language: &str) -> String {
    format!("% {language} %")
}

/// Advisory-lock class of the refreshes (the second key is the mentor's).
const REFRESH_LOCK_CLASS: i32 = 0x6f66_6672; // "offr"

/// Rebuilds the rows of one mentor from the tables they copy: none when the
/// mentor has no profile or does not accept requests. Refreshes of one
/// mentor run one after the other, each reading what the previous one
/// committed: on PostgreSQL the first step takes a transaction advisory lock
/// on the mentor (a row lock would not do: the profile may not exist yet
/// while an offer and the profile are saved at once); SQLite's write
/// transaction is already exclusive.
pub async fn refresh(db: &WriteTxn, user_id: Uuid) -> Result<(), ApiError> {
    let backend = db.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        let (high, low) = user_id.as_u64_pair();
        let folded = high ^ low;
        let key = (folded ^ (folded >> 32)) as i32; // two mentors may share a key: they only wait
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [REFRESH_LOCK_CLASS.into(), key.into()],
        ))
        .await?;
    }
    let profile = mentor_profile::Entity::find_by_id(user_id).one(db).await?;
    mentor_offer::Entity::delete_many().filter(mentor_offer::Column::UserId.eq(user_id)).exec(db).await?;
    let Some(profile) = profile.filter(|p| p.accepting) else {
        return Ok(());
    };
    let offered = member_skill::Entity::find()
        .filter(member_skill::Column::UserId.eq(user_id))
        .filter(member_skill::Column::Kind.eq(SkillIntent::Offer))
        .all(db)
        .await?;
    if offered.is_empty() {
        return Ok(());
    }
    let languages: Vec<String> = mentor_language::Entity::find()
        .filter(mentor_language::Column::UserId.eq(user_id))
        .order_by_asc(mentor_language::Column::Language)
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.language)
        .collect();
    let languages = language_key(languages.iter().map(String::as_str));
    let rows = offered.into_iter().map(|offer| mentor_offer::ActiveModel {
        skill_id: Set(offer.skill_id),
        user_id: Set(user_id),
        level: Set(offer.level),
        offers_remote: Set(profile.offers_remote),
        offers_in_person: Set(profile.offers_in_person),
        offers_phone: Set(profile.offers_phone),
        languages: Set(languages.clone()),
        postcode: Set(profile.postcode.clone()),
        departement: Set(profile.departement.clone()),
        max_active_matches: Set(profile.max_active_matches),
        rating_sum: Set(profile.rating_sum),
        rating_count: Set(profile.rating_count),
    });
    mentor_offer::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_whole_codes_only() {
        let key = language_key(["ar", "fr"]);
        assert_eq!(key, " ar fr ");
        assert!(key.contains(&language_pattern("fr").replace('%', "")));
        assert!(!key.contains(&language_pattern("r").replace('%', "")));
        assert_eq!(language_key([]), " ");
    }
}
