//! Getting back into an account and proving an address: single-use tokens
//! sent by mail (password reset, email verification), changing one's own
//! password, and signing out everywhere.
//!
//! Tokens are 256 random bits, base64url; only their SHA-256 is stored. A
//! token is spent by one conditional update, so two confirmations racing
//! with the same token let exactly one through.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use entity::{account_token, user};
use password_hash::rand_core::{OsRng, RngCore};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::domain::{Login, Password};
use super::service::find_by_login;
use super::sessions;
use crate::auth::password;
use crate::cache::{Stale, TtlCache, announce};
use crate::config::MailSettings;
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::i18n::Lang;
use crate::mail::{outbox, templates};

pub const PASSWORD_RESET: &str = "password_reset";
pub const EMAIL_VERIFICATION: &str = "email_verification";
/// A reset link works this long.
const RESET_TTL: Duration = Duration::minutes(30);
/// A verification link works this long.
const VERIFICATION_TTL: Duration = Duration::days(7);
/// At most this many reset mails per account and hour: a stranger typing
/// someone's address cannot flood their mailbox.
const RESETS_PER_HOUR: u64 = 3;

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Stores a new token for `user_id` and returns it (the only time it exists
/// in clear).
async fn issue(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: &str,
    email: Option<&str>,
    ttl: Duration,
) -> Result<String, ApiError> {
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let token = URL_SAFE_NO_PAD.encode(secret);
    let now = Utc::now();
    account_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        token_hash: Set(digest(&token)),
        email: Set(email.map(str::to_owned)),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Spends a valid token of `purpose`: `None` when it is unknown, expired or
/// already used.
async fn spend(
    db: &impl ConnectionTrait,
    purpose: &str,
    token: &str,
) -> Result<Option<account_token::Model>, ApiError> {
    let now = Utc::now();
    let Some(row) = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(digest(token)))
        .filter(account_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let spent = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(account_token::Column::Id.eq(row.id))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok((spent.rows_affected == 1).then_some(row))
}

/// Writes the mail that asks the account to confirm its current email, in
/// the caller's transaction. Accounts without an email get none.
pub async fn send_verification(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    account: &user::Model,
) -> Result<(), ApiError> {
    let Some(email) = &account.email else { return Ok(()) };
    let token = issue(db, account.id, EMAIL_VERIFICATION, Some(email), VERIFICATION_TTL).await?;
    let url = templates::link(&mail.app_url, "verify-email", &token);
    let content =
        templates::email_verification(Lang::from_locale(&account.locale), &account.display_name, &url);
    outbox::enqueue(db, EMAIL_VERIFICATION, Some(account.id), email, content).await?;
    Ok(())
}

/// `POST /auth/password-reset`: a reset mail when `login` names an active
/// account with a verified email, nothing otherwise. The caller answers the
/// same whatever happens here (see the route).
pub async fn request_reset(
    db: &DatabaseConnection,
    mail: &MailSettings,
    login: &Login,
) -> Result<(), ApiError> {
    let txn = db::begin_write(db).await?;
    let Some(account) = find_by_login(&txn, login).await? else { return Ok(()) };
    let (Some(email), Some(_)) = (&account.email, account.email_verified_at) else { return Ok(()) };
    if account.disabled_at.is_some() || account.erased_at.is_some() {
        return Ok(());
    }
    let recent = account_token::Entity::find()
        .filter(account_token::Column::UserId.eq(account.id))
        .filter(account_token::Column::Purpose.eq(PASSWORD_RESET))
        .filter(account_token::Column::CreatedAt.gt(Utc::now() - Duration::hours(1)))
        .count(&txn)
        .await?;
    if recent >= RESETS_PER_HOUR {
        return Ok(());
    }
    let token = issue(&txn, account.id, PASSWORD_RESET, None, RESET_TTL).await?;
    let url = templates::link(&mail.app_url, "password-reset", &token);
    let content = templates::password_reset(Lang::from_locale(&account.locale), &account.display_name, &url);
    outbox::enqueue(&txn, PASSWORD_RESET, Some(account.id), email, content).await?;
    txn.commit().await?;
    Ok(())
}

fn invalid_reset_token() -> ApiError {
    ApiError::bad_request(ErrorCode::InvalidResetToken, &[])
}

/// Sets a password the person chose and ends every session: the reset, the
/// change of a temporary password and the counsellor's reset all end here.
async fn set_password(
    db: &impl ConnectionTrait,
    account: user::Model,
    password_hash: String,
    keep_session: Option<Uuid>,
) -> Result<(), ApiError> {
    let user_id = account.id;
    let mut update = account.into_active_model();
    update.password_hash = Set(password_hash);
    update.password_change_required = Set(false);
    update.temporary_password_expires_at = Set(None);
    update.updated_at = Set(Utc::now());
    update.update(db).await?;
    sessions::revoke_others(db, user_id, keep_session).await
}

/// `POST /auth/password-reset/confirm`; the account's cached copy goes.
pub async fn confirm_reset(
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
    token: &str,
    new_password: Password,
) -> Result<(), ApiError> {
    let password_hash = password::hash_limited(new_password.expose().to_owned()).await?;
    let txn = db::begin_write(db).await?;
    let spent = spend(&txn, PASSWORD_RESET, token).await?.ok_or_else(invalid_reset_token)?;
    let account = user::Entity::find_by_id(spent.user_id)
        .filter(user::Column::ErasedAt.is_null())
        .filter(user::Column::DisabledAt.is_null())
        .one(&txn)
        .await?
        .ok_or_else(invalid_reset_token)?;
    // Other reset links of this account stop working too.
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(Some(Utc::now())))
        .filter(account_token::Column::UserId.eq(account.id))
        .filter(account_token::Column::Purpose.eq(PASSWORD_RESET))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    set_password(&txn, account, password_hash, None).await?;
    announce(&txn, Stale::User(spent.user_id)).await?;
    txn.commit().await?;
    users.remove(&spent.user_id);
    Ok(())
}

/// `POST /auth/verify-email`: proves the address the token was sent to, if
/// the account still has it; the account's cached copy goes.
pub async fn verify_email(
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
    token: &str,
) -> Result<(), ApiError> {
    let invalid = || ApiError::bad_request(ErrorCode::InvalidVerificationToken, &[]);
    let txn = db::begin_write(db).await?;
    let spent = spend(&txn, EMAIL_VERIFICATION, token).await?.ok_or_else(invalid)?;
    let account = user::Entity::find_by_id(spent.user_id).one(&txn).await?.ok_or_else(invalid)?;
    if account.email.is_none() || account.email != spent.email || account.erased_at.is_some() {
        return Err(invalid());
    }
    let mut update = account.into_active_model();
    update.email_verified_at = Set(Some(Utc::now()));
    update.update(&txn).await?;
    announce(&txn, Stale::User(spent.user_id)).await?;
    txn.commit().await?;
    users.remove(&spent.user_id);
    Ok(())
}

/// `POST /me/password`: the current password, then a new one; every other
/// session ends. A temporary password is changed this way too.
pub async fn change_password(
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
    account: &user::Model,
    session: Option<Uuid>,
    current: &str,
    new_password: Password,
) -> Result<(), ApiError> {
    if !password::verify_limited(current.to_owned(), account.password_hash.clone()).await? {
        return Err(ApiError::Unauthorized { code: ErrorCode::InvalidCredentials });
    }
    if current == new_password.expose() {
        return Err(ApiError::validation("new_password", "unchanged", "field.new_password_unchanged"));
    }
    let password_hash = password::hash_limited(new_password.expose().to_owned()).await?;
    let txn = db::begin_write(db).await?;
    set_password(&txn, account.clone(), password_hash, session).await?;
    announce(&txn, Stale::User(account.id)).await?;
    txn.commit().await?;
    users.remove(&account.id);
    Ok(())
}

/// A temporary password a counsellor hands over, readable aloud and typed on
/// a phone: three groups of four lowercase letters and digits, without the
/// look-alikes (0/o, 1/l/i).
pub fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut groups = Vec::new();
    for _ in 0..3 {
        let group: String =
            (0..4).map(|_| char::from(ALPHABET[(OsRng.next_u32() as usize) % ALPHABET.len()])).collect();
        groups.push(group);
    }
    groups.join("-")
}

/// How long a temporary password works.
pub const TEMPORARY_PASSWORD_TTL: Duration = Duration::days(7);

/// Gives `account` a new temporary password (a counsellor's reset): it must
/// be changed at the next login, and every session ends.
pub async fn reset_to_temporary(
    db: &impl ConnectionTrait,
    account: user::Model,
    temporary_hash: String,
) -> Result<chrono::DateTime<Utc>, ApiError> {
    let expires_at = Utc::now() + TEMPORARY_PASSWORD_TTL;
    let user_id = account.id;
    let mut update = account.into_active_model();
    update.password_hash = Set(temporary_hash);
    update.password_change_required = Set(true);
    update.temporary_password_expires_at = Set(Some(expires_at));
    update.updated_at = Set(Utc::now());
    update.update(db).await?;
    sessions::revoke_all(db, user_id).await?;
    Ok(expires_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_are_long_enough_and_unambiguous() {
        let password = temporary_password();
        assert_eq!(password.len(), 14);
        assert!(Password::parse(password.clone()).is_ok());
        assert!(!password.contains(['0', 'o', '1', 'l', 'i']), "{password}");
        assert_ne!(temporary_password(), temporary_password());
    }
}
