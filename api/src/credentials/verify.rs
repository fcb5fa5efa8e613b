//! `POST /credentials/verify`: checks a VC-JWT the way any verifier would,
//! against what this issuer publishes — the signature with one of the keys
//! of its JWKS (RS256 only), the dates, the issuer, then the credential's bit
//! in its revocation status list.

use entity::award;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::dto::Verification;
use super::issuer::Urls;
use super::keys;
use super::status_list::{LIST_BITS, place};
use crate::config::CredentialSettings;
use crate::error::ApiError;

pub async fn verify(
    db: &impl ConnectionTrait,
    settings: &CredentialSettings,
    jwt: &str,
) -> Result<Verification, ApiError> {
    let failed = |code: &str| Verification {
        valid: false,
        revoked: false,
        issuer: None,
        achievement: None,
        errors: vec![code.to_owned()],
    };
    let Ok(header) = jsonwebtoken::decode_header(jwt) else {
        return Ok(failed("malformed"));
    };
    if header.alg != Algorithm::RS256 {
        return Ok(failed("invalid_signature"));
    }
    let Some(key) = (match header.kid.as_deref() {
        Some(kid) => keys::verifying_key(db, kid).await?,
        None => None,
    }) else {
        return Ok(failed("unknown_key"));
    };
    let urls = Urls(settings);
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_required_spec_claims(&["iss", "nbf"]);
    validation.validate_nbf = true;
    validation.set_issuer(&[urls.issuer()]);
    let claims = match jsonwebtoken::decode::<Value>(jwt, &key, &validation) {
        Ok(data) => data.claims,
        Err(error) => {
            return Ok(failed(match error.kind() {
                ErrorKind::ImmatureSignature => "not_yet_valid",
                ErrorKind::ExpiredSignature => "expired",
                ErrorKind::InvalidIssuer => "wrong_issuer",
                ErrorKind::InvalidSignature => "invalid_signature",
                _ => "malformed",
            }));
        }
    };
    let mut result = Verification {
        valid: true,
        revoked: false,
        issuer: claims.get("issuer").cloned(),
        achievement: claims.pointer("/credentialSubject/achievement").cloned(),
        errors: Vec::new(),
    };
    match status_of(db, &urls, &claims).await? {
        Some(true) => {
            result.revoked = true;
            result.errors.push("revoked".to_owned());
        }
        Some(false) => {}
        None => result.errors.push("unknown_credential".to_owned()),
    }
    result.valid = result.errors.is_empty();
    Ok(result)
}

/// Whether the credential's status bit is set; `None` when its status entry
/// does not point at one of our awards (a signed payload we never issued
/// that way).
async fn status_of(
    db: &impl ConnectionTrait,
    urls: &Urls<'_>,
    claims: &Value,
) -> Result<Option<bool>, ApiError> {
    let status = &claims["credentialStatus"];
    let (Some(list_url), Some(bit)) = (
        status["statusListCredential"].as_str(),
        status["statusListIndex"].as_str().and_then(|i| i.parse::<i32>().ok()),
    ) else {
        return Ok(None);
    };
    let Some(list) = list_url.strip_prefix(&urls.status_lists()).and_then(|n| n.parse::<i32>().ok()) else {
        return Ok(None);
    };
    if !(0..LIST_BITS).contains(&bit) || list < 1 {
        return Ok(None);
    }
    let index = (list - 1) * LIST_BITS + bit;
    let Some(row) = award::Entity::find().filter(award::Column::StatusIndex.eq(index)).one(db).await? else {
        return Ok(None);
    };
    let id = claims["jti"].as_str().and_then(|jti| jti.strip_prefix("urn:uuid:"));
    if id != Some(row.id.to_string().as_str()) || place(row.status_index) != (list, bit) {
        return Ok(None);
    }
    Ok(Some(row.revoked_at.is_some()))
}
