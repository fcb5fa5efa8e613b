//! Sessions: an access token (JWT, 15 min) plus an opaque refresh token (256
//! random bits, 30 days) stored only as its SHA-256. Every refresh spends the
//! presented token and issues a new one in the same family; presenting a
//! spent token again means it leaked, so the whole family is revoked.
//!
//! A family counts as revoked as soon as one of its tokens is, which also
//! covers a token issued concurrently with the revocation.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use entity::{refresh_token, user};
use password_hash::rand_core::{OsRng, RngCore};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::token::TokenKeys;
use crate::error::{ApiError, ErrorCode};

pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);

/// A new pair of tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    /// Opaque; send it to `/auth/refresh` for a new pair. Usable once.
    pub refresh_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
}

fn invalid_refresh_token() -> ApiError {
    ApiError::Unauthorized { code: ErrorCode::InvalidRefreshToken }
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a new session (a new token family) for `user_id`.
pub async fn open(db: &impl ConnectionTrait, keys: &TokenKeys, user_id: Uuid) -> Result<TokenPair, ApiError> {
    issue(db, keys, user_id, Uuid::now_v7()).await
}

async fn issue(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    user_id: Uuid,
    family_id: Uuid,
) -> Result<TokenPair, ApiError> {
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let refresh_token = URL_SAFE_NO_PAD.encode(secret);
    let now = Utc::now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        family_id: Set(family_id),
        token_hash: Set(digest(&refresh_token)),
        created_at: Set(now),
        expires_at: Set(now + REFRESH_TOKEN_TTL),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    let (access_token, expires_in) = keys.issue_access(user_id, family_id).map_err(anyhow::Error::from)?;
    Ok(TokenPair { access_token, refresh_token, token_type: "Bearer", expires_in })
}

/// Exchanges a refresh token for a new pair (rotation with reuse detection).
pub async fn rotate(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    presented: &str,
) -> Result<TokenPair, ApiError> {
    let now = Utc::now();
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(digest(presented)))
        .one(db)
        .await?
        .ok_or_else(invalid_refresh_token)?;
    if token.used_at.is_some() {
        revoke_family(db, token.family_id).await?;
        return Err(ApiError::Unauthorized { code: ErrorCode::RefreshTokenReused });
    }
    if token.expires_at <= now || family_is_revoked(db, token.family_id).await? {
        return Err(invalid_refresh_token());
    }
    // Spend it atomically: of two concurrent requests, one wins and the other
    // is a reuse.
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if !spent {
        revoke_family(db, token.family_id).await?;
        return Err(ApiError::Unauthorized { code: ErrorCode::RefreshTokenReused });
    }
    let active = user::Entity::find_by_id(token.user_id)
        .one(db)
        .await?
        .is_some_and(|user| user.disabled_at.is_none() && user.erased_at.is_none());
    if !active {
        revoke_family(db, token.family_id).await?;
        return Err(invalid_refresh_token());
    }
    user::Entity::update_many()
        .col_expr(user::Column::LastActiveAt, Expr::value(now))
        .filter(user::Column::Id.eq(token.user_id))
        .exec(db)
        .await?;
    issue(db, keys, token.user_id, token.family_id).await
}

/// Logout: revokes the family of `presented` when it belongs to `user_id`.
/// Unknown tokens change nothing (logging out twice is not an error).
pub async fn revoke(db: &impl ConnectionTrait, user_id: Uuid, presented: &str) -> Result<(), ApiError> {
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(digest(presented)))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    if let Some(token) = token {
        revoke_family(db, token.family_id).await?;
    }
    Ok(())
}

/// Revokes every session of a user (disabled or erased account).
pub async fn revoke_all(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(), ApiError> {
    revoke_others(db, user_id, None).await
}

/// "Sign out everywhere else": every session of `user_id` but `keep` (the
/// caller's own, when its token names it) is revoked.
pub async fn revoke_others(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> Result<(), ApiError> {
    let mut query = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    if let Some(family_id) = keep {
        query = query.filter(refresh_token::Column::FamilyId.ne(family_id));
    }
    query.exec(db).await?;
    Ok(())
}

async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> Result<(), ApiError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn family_is_revoked(db: &impl ConnectionTrait, family_id: Uuid) -> Result<bool, ApiError> {
    let revoked = refresh_token::Entity::find()
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_not_null())
        .count(db)
        .await?;
    Ok(revoked > 0)
}
