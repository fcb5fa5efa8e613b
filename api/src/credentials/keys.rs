//! The issuer's signing keys. The configured key (`TREMPLIN_CREDENTIAL_KEY`)
//! signs when set; otherwise a development key, generated once and kept in
//! the database. Every key that ever signed stays in `credential_keys` and
//! in the published JWKS, so a rotation (a new configured key) leaves the
//! credentials already handed out verifiable. A key is named by its RFC 7638
//! thumbprint (`kid`).

use anyhow::Context;
use chrono::Utc;
use entity::credential_key;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use crate::config::{CredentialSettings, rsa_der};
use crate::error::ApiError;

/// The size of the development key; RS256 keys below 2048 bits are refused by verifiers.
const DEVELOPMENT_KEY_BITS: usize = 2048;

/// The key credentials are signed with now.
pub struct Signer {
    kid: String,
    key: EncodingKey,
}

impl Signer {
    /// A VC-JWT (OB 3.0 §8.2): RS256, the key's `kid`, `typ: vc+jwt`.
    pub fn sign(&self, claims: &impl Serialize) -> Result<String, ApiError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        header.typ = Some("vc+jwt".to_owned());
        jsonwebtoken::encode(&header, claims, &self.key).map_err(|e| ApiError::Internal(e.into()))
    }
}

fn from_pem(pem: &str) -> anyhow::Result<EncodingKey> {
    Ok(EncodingKey::from_rsa_der(&rsa_der(pem).context("a stored credential key is not a PEM RSA key")?))
}

/// The public half of `key` as a JWK with its thumbprint as `kid`.
fn public_jwk(key: &EncodingKey) -> anyhow::Result<Jwk> {
    let mut jwk = Jwk::from_encoding_key(key, Algorithm::RS256)?;
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    jwk.common.key_id = Some(jwk.thumbprint(ThumbprintHash::SHA256)?);
    Ok(jwk)
}

async fn keep(db: &impl ConnectionTrait, jwk: &Jwk, private_pem: Option<String>) -> anyhow::Result<String> {
    let kid = jwk.common.key_id.clone().context("a public JWK has a kid")?;
    credential_key::Entity::insert(credential_key::ActiveModel {
        kid: Set(kid.clone()),
        public_jwk: Set(serde_json::to_value(jwk)?),
        private_pem: Set(private_pem),
        created_at: Set(Utc::now()),
    })
    .on_conflict(OnConflict::column(credential_key::Column::Kid).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(kid)
}

/// At start: publishes the configured key's public half (once per key), so
/// that it stays published after the configuration moves to another one.
pub async fn publish_configured(
    db: &impl ConnectionTrait,
    settings: &CredentialSettings,
) -> anyhow::Result<()> {
    if let Some(pem) = &settings.key {
        let key = EncodingKey::from_rsa_der(pem.der());
        let kid = keep(db, &public_jwk(&key)?, None).await?;
        tracing::info!(kid, "credentials are signed with the configured TREMPLIN_CREDENTIAL_KEY");
    }
    Ok(())
}

/// The key to sign with: the configured one, else the newest development key
/// (generated and stored the first time one is needed).
pub async fn signer(db: &impl ConnectionTrait, settings: &CredentialSettings) -> Result<Signer, ApiError> {
    if let Some(pem) = &settings.key {
        let key = EncodingKey::from_rsa_der(pem.der());
        let kid = public_jwk(&key)?.common.key_id.unwrap_or_default();
        return Ok(Signer { kid, key });
    }
    let stored = credential_key::Entity::find()
        .filter(credential_key::Column::PrivatePem.is_not_null())
        .order_by_desc(credential_key::Column::CreatedAt)
        .one(db)
        .await?;
    let (kid, pem) = match stored.and_then(|k| k.private_pem.map(|pem| (k.kid, pem))) {
        Some(found) => found,
        None => generate(db).await?,
    };
    Ok(Signer { kid, key: from_pem(&pem)? })
}

/// Generates and stores a development key. Two replicas doing it at once
/// each store theirs: both are published, so both verify.
async fn generate(db: &impl ConnectionTrait) -> Result<(String, String), ApiError> {
    let pem = tokio::task::spawn_blocking(|| -> anyhow::Result<String> {
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, DEVELOPMENT_KEY_BITS)?;
        Ok(key.to_pkcs1_pem(LineEnding::LF)?.to_string())
    })
    .await
    .map_err(anyhow::Error::from)??;
    let kid = keep(db, &public_jwk(&from_pem(&pem)?)?, Some(pem.clone())).await?;
    tracing::warn!(
        kid,
        "TREMPLIN_CREDENTIAL_KEY is not set: generated a development credential signing key and stored it in \
         the database; configure a key of your own before issuing real credentials"
    );
    Ok((kid, pem))
}

/// Every key that ever signed, for `/.well-known/jwks.json`.
pub async fn published(db: &impl ConnectionTrait) -> Result<JwkSet, ApiError> {
    let rows = credential_key::Entity::find().order_by_asc(credential_key::Column::CreatedAt).all(db).await?;
    let keys = rows
        .into_iter()
        .map(|row| serde_json::from_value(row.public_jwk))
        .collect::<Result<Vec<Jwk>, _>>()
        .map_err(anyhow::Error::from)?;
    Ok(JwkSet { keys })
}

/// The published key named `kid`, to verify with.
pub async fn verifying_key(db: &impl ConnectionTrait, kid: &str) -> Result<Option<DecodingKey>, ApiError> {
    let Some(row) = credential_key::Entity::find_by_id(kid).one(db).await? else {
        return Ok(None);
    };
    let jwk: Jwk = serde_json::from_value(row.public_jwk).map_err(anyhow::Error::from)?;
    match &jwk.algorithm {
        AlgorithmParameters::RSA(rsa) => Ok(Some(
            DecodingKey::from_rsa_components(&rsa.n, &rsa.e).map_err(|e| ApiError::Internal(e.into()))?,
        )),
        _ => Ok(None),
    }
}
