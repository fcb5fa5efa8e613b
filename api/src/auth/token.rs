//! Access tokens: short-lived JWTs signed with one pinned algorithm (HS256),
//! validated for `exp`, `nbf`, `iss`, `aud`, the algorithm and their type, as
//! RFC 8725 recommends. Refresh tokens are opaque (see `accounts::sessions`).
//! Tokens of organisation API clients (`partners`) are JWTs too, but for
//! another audience and of another type, so neither kind passes for the other.

use chrono::{Duration, Utc};
use hkdf::Hkdf;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

pub const ISSUER: &str = "tremplin";
pub const AUDIENCE: &str = "tremplin-api";
/// Access tokens live 15 minutes.
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);
const ACCESS_TOKEN_TYPE: &str = "access";
/// The audience of API-client tokens: never accepted as a person's.
pub const CLIENT_AUDIENCE: &str = "tremplin-partners";
/// API-client tokens live one hour (the client row is checked at each
/// request, so a revocation does not wait for it).
pub const CLIENT_TOKEN_TTL: Duration = Duration::hours(1);
const CLIENT_TOKEN_TYPE: &str = "client";
/// Clock skew tolerated between replicas, in seconds.
const LEEWAY_SECS: u64 = 5;
/// HKDF salt of the keys derived from the signing secret.
const DERIVATION_SALT: &[u8] = b"tremplin key derivation";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// Distinguishes access tokens from any other JWT signed with the same key.
    pub typ: String,
    /// The session (refresh-token family) the token was issued in, so that
    /// "sign out everywhere else" can keep this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

/// The claims of an API client's token: `sub` is the client id, `scope` the
/// granted scopes, space-separated (RFC 8693 §4.2).
#[derive(Debug, Serialize, Deserialize)]
struct ClientClaims {
    sub: Uuid,
    iss: String,
    aud: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    typ: String,
    scope: String,
}

/// What a valid API-client token grants: the client and its scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAccess {
    pub client_id: Uuid,
    pub scope: String,
}

/// Who a valid access token speaks for, and in which session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
}

/// Signing and verification keys, built once from the configured secret.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    client_validation: Validation,
    /// HKDF-SHA256 extracted from the signing secret, for `derive_key`.
    derivation: Hkdf<Sha256>,
}

impl TokenKeys {
    /// Fails only for an empty secret.
    pub fn from_secret(secret: &[u8]) -> Result<Self, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        let mut client_validation = validation.clone();
        client_validation.set_audience(&[CLIENT_AUDIENCE]);
        Ok(TokenKeys {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
            validation,
            client_validation,
            derivation: Hkdf::new(Some(DERIVATION_SALT), secret),
        })
    }

    /// Signs an access token for `user_id` in `session_id`; returns it with
    /// its lifetime in seconds.
    pub fn issue_access(
        &self,
        user_id: Uuid,
        session_id: Uuid,
    ) -> Result<(String, i64), jsonwebtoken::errors::Error> {
        let now = Utc::now();
        let claims = Claims {
            sub: user_id,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
            typ: ACCESS_TOKEN_TYPE.into(),
            sid: Some(session_id),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, ACCESS_TOKEN_TTL.num_seconds()))
    }

    /// A 256-bit key for another purpose than signing tokens, derived from
    /// the signing secret by HKDF-SHA256 (RFC 5869) under `label`: the same
    /// label always gives the same key, no label gives the signing key, and
    /// one derived key tells nothing of the others or of the secret.
    pub fn derive_key(&self, label: &str) -> Result<[u8; 32], hkdf::InvalidLength> {
        let mut key = [0u8; 32];
        self.derivation.expand(label.as_bytes(), &mut key)?;
        Ok(key)
    }

    /// Signs a token for API client `client_id` granting `scope`; returns it
    /// with its lifetime in seconds.
    pub fn issue_client(
        &self,
        client_id: Uuid,
        scope: &str,
    ) -> Result<(String, i64), jsonwebtoken::errors::Error> {
        let now = Utc::now();
        let claims = ClientClaims {
            sub: client_id,
            iss: ISSUER.into(),
            aud: CLIENT_AUDIENCE.into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now + CLIENT_TOKEN_TTL).timestamp(),
            typ: CLIENT_TOKEN_TYPE.into(),
            scope: scope.into(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, CLIENT_TOKEN_TTL.num_seconds()))
    }

    /// The client and scopes of a valid API-client token, `None` for anything
    /// else (a person's token included).
    pub fn verify_client(&self, token: &str) -> Option<ClientAccess> {
        let data = decode::<ClientClaims>(token, &self.decoding, &self.client_validation).ok()?;
        (data.claims.typ == CLIENT_TOKEN_TYPE)
            .then_some(ClientAccess { client_id: data.claims.sub, scope: data.claims.scope })
    }

    /// The caller of a valid access token, `None` for anything else.
    pub fn verify_access(&self, token: &str) -> Option<Access> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        (data.claims.typ == ACCESS_TOKEN_TYPE)
            .then_some(Access { user_id: data.claims.sub, session_id: data.claims.sid })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn keys() -> TokenKeys {
        TokenKeys::from_secret(b"a test secret of at least 32 bytes!!").unwrap()
    }

    fn signed(claims: &serde_json::Value, secret: &[u8]) -> String {
        encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret).unwrap()).unwrap()
    }

    fn claims(overrides: serde_json::Value) -> serde_json::Value {
        let now = Utc::now().timestamp();
        let mut claims = serde_json::json!({
            "sub": Uuid::now_v7(), "iss": ISSUER, "aud": AUDIENCE,
            "iat": now, "nbf": now, "exp": now + 900, "typ": "access"
        });
        for (key, value) in overrides.as_object().unwrap() {
            claims[key] = value.clone();
        }
        claims
    }

    #[test]
    fn issued_tokens_verify() {
        let keys = keys();
        let user = Uuid::now_v7();
        let session = Uuid::now_v7();
        let (token, ttl) = keys.issue_access(user, session).unwrap();
        assert_eq!(ttl, 900);
        assert_eq!(keys.verify_access(&token), Some(Access { user_id: user, session_id: Some(session) }));
    }

    #[test]
    fn invalid_tokens_are_refused() {
        let keys = keys();
        let secret = b"a test secret of at least 32 bytes!!";
        let now = Utc::now().timestamp();
        assert!(keys.verify_access(&signed(&claims(serde_json::json!({})), secret)).is_some());
        let refused = [
            ("expired", signed(&claims(serde_json::json!({"exp": now - 3600})), secret)),
            ("not yet valid", signed(&claims(serde_json::json!({"nbf": now + 3600})), secret)),
            ("wrong audience", signed(&claims(serde_json::json!({"aud": "other"})), secret)),
            ("wrong issuer", signed(&claims(serde_json::json!({"iss": "other"})), secret)),
            ("other type", signed(&claims(serde_json::json!({"typ": "refresh"})), secret)),
            ("other key", signed(&claims(serde_json::json!({})), b"another secret of at least 32 bytes")),
        ];
        for (case, token) in refused {
            assert!(keys.verify_access(&token).is_none(), "{case}");
        }
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims(serde_json::json!({})).to_string());
        assert!(keys.verify_access(&format!("{header}.{payload}.")).is_none(), "alg none");
        assert!(keys.verify_access("not.a.jwt").is_none());
    }

    #[test]
    fn client_and_person_tokens_never_pass_for_each_other() {
        let keys = keys();
        let client = Uuid::now_v7();
        let (token, ttl) = keys.issue_client(client, "members:read").unwrap();
        assert_eq!(ttl, 3600);
        assert_eq!(
            keys.verify_client(&token),
            Some(ClientAccess { client_id: client, scope: "members:read".into() })
        );
        assert!(keys.verify_access(&token).is_none(), "a client token is no person's");
        let (person, _) = keys.issue_access(Uuid::now_v7(), Uuid::now_v7()).unwrap();
        assert!(keys.verify_client(&person).is_none(), "a person's token is no client's");
        let secret = b"a test secret of at least 32 bytes!!";
        let forged =
            signed(&claims(serde_json::json!({"aud": CLIENT_AUDIENCE, "scope": "impact:read"})), secret);
        assert!(keys.verify_client(&forged).is_none(), "the type must be the client's too");
    }
}
