//! Calendars: one session as an `.ics` file, and each member's personal feed
//! of the workshop sessions they hold a seat in and of their Enchanté match
//! sessions (as learner or mentor).
//!
//! The feed's secret is derived from the feeds' own key and the feed's id
//! (HKDF-SHA256, 256 bits): it need not be stored, only its SHA-256 is (to
//! find the feed), and `GET /me/calendar-feed` can show the same URL again.
//! The feeds' key is itself derived from the service's signing secret under
//! its own label (see `TokenKeys::derive_key`), so it is never the key that
//! signs access tokens. Revoking marks the feed revoked; the next one has a
//! new id, so a new secret. Rotating the signing secret changes every feed
//! URL too: the next `GET /me/calendar-feed` re-keys the live feed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use entity::enrolment::{self, EnrolmentStatus};
use entity::match_session::{self, Modality};
use entity::mentor_match::{self, MatchStatus};
use entity::workshop::{self, WorkshopStatus};
use entity::{calendar_feed, user};
use hkdf::Hkdf;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::dto::CalendarFeed;
use super::ical::{self, Event};
use crate::accounts::party::parties;
use crate::auth::token::TokenKeys;
use crate::error::{ApiError, ErrorCode};

/// Stable across regenerations and edits: calendars update the event in place.
pub fn event_uid(workshop_id: Uuid) -> String {
    format!("workshop-{workshop_id}@tremplin")
}

fn event(row: &workshop::Model) -> Event {
    Event {
        uid: event_uid(row.id),
        sequence: row.sequence,
        revised_at: row.updated_at,
        created_at: row.created_at,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        summary: format!("Impose-toi ! — {}", row.title),
        location: row.location.clone(),
        description: row.description.clone(),
        cancelled: row.status == WorkshopStatus::Cancelled,
    }
}

/// One session as a calendar file; a cancelled one says so.
pub async fn workshop_ics(db: &impl ConnectionTrait, id: Uuid) -> Result<String, ApiError> {
    let row = workshop::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    Ok(ical::calendar(&row.title, &[event(&row)]))
}

/// The HKDF label of the feeds' key: never change it, every feed URL would change.
const FEED_KEY_LABEL: &str = "tremplin calendar-feed key v1";

fn feed_key(keys: &TokenKeys) -> Result<[u8; 32], ApiError> {
    keys.derive_key(FEED_KEY_LABEL).map_err(derivation_failed)
}

fn derivation_failed(error: hkdf::InvalidLength) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("cannot derive a calendar feed secret: {error}"))
}

/// The feed's secret: 32 bytes expanded from the feeds' key with the feed's
/// id, in base64url (43 characters).
fn secret(keys: &TokenKeys, feed_id: Uuid) -> Result<String, ApiError> {
    let mut token = [0u8; 32];
    Hkdf::<Sha256>::from_prk(&feed_key(keys)?)
        .map_err(|_| derivation_failed(hkdf::InvalidLength))?
        .expand(feed_id.as_bytes(), &mut token)
        .map_err(derivation_failed)?;
    Ok(URL_SAFE_NO_PAD.encode(token))
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn path(token: &str) -> String {
    format!("/api/v1/calendar/{token}.ics")
}

async fn live_feed(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<calendar_feed::Model>, ApiError> {
    Ok(calendar_feed::Entity::find()
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// Inserts a new live feed; the unique index on live feeds refuses a second one.
async fn new_feed(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    user_id: Uuid,
) -> Result<Result<calendar_feed::Model, sea_orm::DbErr>, ApiError> {
    let id = Uuid::now_v7();
    let token = secret(keys, id)?;
    Ok(calendar_feed::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        token_hash: Set(hash(&token)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await)
}

fn feed_view(
    keys: &TokenKeys,
    base_url: &str,
    feed: &calendar_feed::Model,
) -> Result<CalendarFeed, ApiError> {
    Ok(CalendarFeed {
        url: format!("{base_url}{}", path(&secret(keys, feed.id)?)),
        created_at: feed.created_at,
    })
}

/// The member's live feed, made on first request.
pub async fn feed(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    user_id: Uuid,
    base_url: &str,
) -> Result<CalendarFeed, ApiError> {
    if let Some(feed) = live_feed(db, user_id).await? {
        rekey(db, keys, &feed).await?;
        return feed_view(keys, base_url, &feed);
    }
    let feed = match new_feed(db, keys, user_id).await? {
        Ok(feed) => feed,
        // Two first requests raced: the unique index kept one feed.
        Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            live_feed(db, user_id).await?.ok_or(ApiError::NotFound)?
        }
        Err(err) => return Err(err.into()),
    };
    feed_view(keys, base_url, &feed)
}

/// A feed whose stored hash is not of today's secret (made before a change of
/// key or of signing secret) gets today's, so that the URL shown works; the
/// old URL stops working.
async fn rekey(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    feed: &calendar_feed::Model,
) -> Result<(), ApiError> {
    let current = hash(&secret(keys, feed.id)?);
    if current != feed.token_hash {
        calendar_feed::Entity::update_many()
            .col_expr(calendar_feed::Column::TokenHash, Expr::value(current))
            .filter(calendar_feed::Column::Id.eq(feed.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Revokes the live feed (its URL stops working at once) and makes a new one.
pub async fn regenerate(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    user_id: Uuid,
    base_url: &str,
) -> Result<CalendarFeed, ApiError> {
    let txn = crate::db::begin_write(db).await?;
    revoke_in(&txn, user_id).await?;
    // Two regenerations at once: the unique index on live feeds keeps one.
    let feed = new_feed(&txn, keys, user_id).await?.map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            ApiError::conflict(ErrorCode::CalendarFeedChanged)
        }
        _ => err.into(),
    })?;
    txn.commit().await?;
    feed_view(keys, base_url, &feed)
}

async fn revoke_in(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(), ApiError> {
    calendar_feed::Entity::update_many()
        .col_expr(calendar_feed::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke(db: &DatabaseConnection, user_id: Uuid) -> Result<(), ApiError> {
    revoke_in(db, user_id).await
}

/// The personal feed behind a secret: sessions where the member holds a seat
/// (cancelled sessions included, shown cancelled). Unknown or revoked: 404.
pub async fn personal_ics(db: &impl ConnectionTrait, token: &str) -> Result<String, ApiError> {
    let well_formed =
        token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(ApiError::NotFound);
    }
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(hash(token)))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let owner = user::Entity::find_by_id(feed.user_id)
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let workshop_ids: Vec<Uuid> = enrolment::Entity::find()
        .filter(enrolment::Column::MemberId.eq(owner.id))
        .filter(enrolment::Column::Status.is_in(EnrolmentStatus::SEATED))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.workshop_id)
        .collect();
    let rows = workshop::Entity::find()
        .filter(workshop::Column::Id.is_in(workshop_ids))
        .order_by_asc(workshop::Column::StartsAt)
        .all(db)
        .await?;
    let mut events: Vec<Event> = rows.iter().map(event).collect();
    events.extend(match_session_events(db, owner.id).await?);
    events.sort_by_key(|e| e.starts_at);
    Ok(ical::calendar("Mes ateliers Tremplin", &events))
}

/// Enchanté meetings of the member's accepted matches (as learner or
/// mentor); those of a match cancelled since show cancelled.
async fn match_session_events(db: &impl ConnectionTrait, member_id: Uuid) -> Result<Vec<Event>, ApiError> {
    let matches = mentor_match::Entity::find()
        .filter(
            Condition::any()
                .add(mentor_match::Column::LearnerId.eq(member_id))
                .add(mentor_match::Column::MentorId.eq(member_id)),
        )
        // `cancelled` only ever follows `accepted`.
        .filter(mentor_match::Column::Status.is_in([
            MatchStatus::Accepted,
            MatchStatus::Completed,
            MatchStatus::Cancelled,
        ]))
        .all(db)
        .await?;
    let sessions = match_session::Entity::find()
        .filter(match_session::Column::MatchId.is_in(matches.iter().map(|m| m.id)))
        .all(db)
        .await?;
    let other = |m: &mentor_match::Model| if m.learner_id == member_id { m.mentor_id } else { m.learner_id };
    let names = parties(db, matches.iter().map(other)).await?;
    Ok(sessions
        .into_iter()
        .filter_map(|session| {
            let found = matches.iter().find(|m| m.id == session.match_id)?;
            let cancelled = found.status == MatchStatus::Cancelled;
            let with = names.find(other(found)).map_or("votre binôme", |p| p.display_name.as_str());
            let place = match (session.modality, session.location) {
                (_, Some(location)) => location,
                (Modality::Remote, None) => "À distance".into(),
                (Modality::Phone, None) => "Par téléphone".into(),
                (Modality::InPerson, None) => "En personne".into(),
            };
            Some(Event {
                uid: format!("match-session-{}@tremplin", session.id),
                sequence: i32::from(cancelled),
                revised_at: if cancelled { found.updated_at } else { session.created_at },
                created_at: session.created_at,
                starts_at: session.starts_at,
                ends_at: session.starts_at + chrono::Duration::minutes(i64::from(session.duration_minutes)),
                summary: format!("Enchanté — rencontre avec {with}"),
                location: place,
                description: None,
                cancelled,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNING_SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn the_feed_key_is_derived_stable_and_never_the_signing_secret() {
        let keys = TokenKeys::from_secret(SIGNING_SECRET).unwrap();
        let key = feed_key(&keys).unwrap();
        assert_ne!(&key[..], SIGNING_SECRET, "its own key");
        assert_eq!(key, feed_key(&TokenKeys::from_secret(SIGNING_SECRET).unwrap()).unwrap(), "stable");
        let other = TokenKeys::from_secret(b"another secret of at least 32 bytes").unwrap();
        assert_ne!(key, feed_key(&other).unwrap());
        assert_ne!(key, keys.derive_key("another purpose").unwrap(), "one key per label");
    }

    #[test]
    fn feed_secrets_are_stable_per_feed_and_not_signed_with_the_token_key() {
        use jsonwebtoken::{Algorithm, EncodingKey};
        let keys = TokenKeys::from_secret(SIGNING_SECRET).unwrap();
        let (id, other) = (Uuid::now_v7(), Uuid::now_v7());
        let token = secret(&keys, id).unwrap();
        assert_eq!(token.len(), 43);
        assert_eq!(token, secret(&keys, id).unwrap());
        assert_ne!(token, secret(&keys, other).unwrap());
        // What HMAC with the access-token key gave before.
        let signed = jsonwebtoken::crypto::sign(
            format!("calendar-feed:{id}").as_bytes(),
            &EncodingKey::from_secret(SIGNING_SECRET).unwrap(),
            Algorithm::HS256,
        )
        .unwrap();
        assert_ne!(token, signed);
    }
}
