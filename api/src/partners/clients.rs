//! An organisation's API clients: created with a random 256-bit secret shown
//! once (only its SHA-256 is stored: a secret that random needs no slow
//! hash), listed without it, revoked for good. And what a client reads with
//! `members:read` beyond journeys: the list of members its organisation
//! accompanies with consent.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use entity::accompaniment;
use entity::api_client;
use password_hash::rand_core::{OsRng, RngCore};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::dto::{AccompaniedMember, ApiClientView, CreatedApiClient, NewApiClient};
use crate::accounts::party::parties;
use crate::auth::scope::join_scopes;
use crate::authz::clients::{Scoped, accompanied_by};
use crate::authz::organizations::Manager;
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};

/// Bytes of randomness in a client secret (256 bits).
const SECRET_BYTES: usize = 32;

/// The stored form of a secret: its SHA-256, in hex.
fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` is the one `client` was given, compared in constant time.
pub fn secret_matches(client: &api_client::Model, secret: &str) -> bool {
    secret_hash(secret).as_bytes().ct_eq(client.secret_hash.as_bytes()).into()
}

/// Creates a client of the managed organisation; its secret is in the answer only.
pub async fn create(
    db: &impl ConnectionTrait,
    manager: Manager,
    input: NewApiClient,
) -> Result<CreatedApiClient, ApiError> {
    let organization_id = manager.organization_id();
    let scopes: BTreeSet<_> = input.scopes.iter().copied().collect();
    if scopes.is_empty() || scopes.len() != input.scopes.len() {
        return Err(ApiError::validation("scopes", "scopes", "field.api_client_scopes"));
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(ApiError::validation("name", "length", "field.api_client_name"));
    }
    let mut bytes = [0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let row = api_client::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(organization_id),
        name: Set(name.to_owned()),
        scopes: Set(join_scopes(&scopes)),
        secret_hash: Set(secret_hash(&secret)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(CreatedApiClient { client_id: row.id, client_secret: secret, client: row.into() })
}

/// The organisation's clients, newest first, revoked ones included.
pub async fn list(
    db: &impl ConnectionTrait,
    manager: Manager,
    page: PageRequest<Uuid>,
) -> Result<Page<ApiClientView>, ApiError> {
    let mut query =
        api_client::Entity::find().filter(api_client::Column::OrganizationId.eq(manager.organization_id()));
    if let Some(after) = page.after {
        query = query.filter(api_client::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(api_client::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(ApiClientView::from).collect(), page.limit, |c| c.client_id))
}

/// Revokes a client of the managed organisation: every token it holds is
/// refused from now on (the client row is read at each request). Revoking
/// twice is not an error and keeps the first time.
pub async fn revoke(db: &impl ConnectionTrait, manager: Manager, client_id: Uuid) -> Result<(), ApiError> {
    let client = api_client::Entity::find_by_id(client_id)
        .filter(api_client::Column::OrganizationId.eq(manager.organization_id()))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if client.revoked_at.is_none() {
        api_client::Entity::update_many()
            .col_expr(api_client::Column::RevokedAt, sea_orm::sea_query::Expr::val(Utc::now()))
            .filter(api_client::Column::Id.eq(client_id))
            .filter(api_client::Column::RevokedAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The members the client's organisation accompanies with an active
/// consent, by accompaniment, oldest first. Not audited: it names who
/// consented, which the organisation's staff already see, and reads nothing
/// of their journeys.
pub async fn accompanied_members(
    db: &impl ConnectionTrait,
    scoped: &Scoped,
    page: PageRequest<Uuid>,
) -> Result<Page<AccompaniedMember>, ApiError> {
    let mut query = accompaniment::Entity::find().filter(accompanied_by(scoped));
    if let Some(after) = page.after {
        query = query.filter(accompaniment::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(accompaniment::Column::Id).limit(page.limit + 1).all(db).await?;
    let names = parties(db, rows.iter().map(|row| row.member_id)).await?;
    let members = rows
        .into_iter()
        .map(|row| AccompaniedMember {
            member: names.get(row.member_id),
            accompaniment_id: row.id,
            consented_at: row.consented_at,
        })
        .collect();
    Ok(Page::from_rows(members, page.limit, |m| m.accompaniment_id))
}
