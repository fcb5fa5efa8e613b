//! The token endpoint, RFC 6749 §4.4 (client credentials): the client
//! authenticates by HTTP Basic (§2.3.1, id and secret form-urlencoded) or by
//! `client_id`/`client_secret` in the body — one way, not both — and gets a
//! token for the scopes it asks among its own (all of them by default).
//! Failed authentications are throttled as logins are (per client id and
//! per address); errors take the §5.2 form.

use std::collections::BTreeSet;
use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use entity::api_client;
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::clients::secret_matches;
use super::dto::{OAuthErrorCode, TokenForm, TokenGrant};
use crate::accounts::throttle::{LoginScopes, LoginThrottle};
use crate::auth::scope::{join_scopes, parse_scopes};
use crate::auth::token::TokenKeys;
use crate::error::ApiError;
use crate::i18n;

/// The only grant type served.
const CLIENT_CREDENTIALS: &str = "client_credentials";

/// Why a token request failed.
#[derive(Debug)]
pub enum TokenError {
    /// An RFC 6749 §5.2 error; `basic` when the client tried HTTP Basic (the
    /// answer must then challenge it).
    OAuth { code: OAuthErrorCode, description: String, basic: bool },
    /// Throttled, or the database is down: a problem+json answer.
    Api(ApiError),
}

impl From<ApiError> for TokenError {
    fn from(error: ApiError) -> Self {
        TokenError::Api(error)
    }
}

impl From<sea_orm::DbErr> for TokenError {
    fn from(error: sea_orm::DbErr) -> Self {
        TokenError::Api(error.into())
    }
}

fn oauth(code: OAuthErrorCode, id: &str, values: &[(&str, &str)], basic: bool) -> TokenError {
    TokenError::OAuth { code, description: i18n::t_with(id, values), basic }
}

/// What the request carried, before anything is checked.
pub struct TokenRequest<'a> {
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The `Authorization` header, if any.
    pub authorization: Option<&'a str>,
    pub body: &'a [u8],
    pub address: Option<IpAddr>,
}

/// `(client_id, client_secret)` of an `Authorization: Basic` value, each
/// form-urlencoded as §2.3.1 says; `None` when it is not Basic.
fn basic_credentials(authorization: &str) -> Option<Result<(String, String), ()>> {
    let (scheme, encoded) = authorization.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    let pair = decoded.as_deref().and_then(|text| text.split_once(':')).and_then(|(id, secret)| {
        let id: String = form_urlencoded_text(id)?;
        let secret: String = form_urlencoded_text(secret)?;
        Some((id, secret))
    });
    Some(pair.ok_or(()))
}

fn form_urlencoded_text(raw: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&format!("v={raw}")).ok()?;
    pairs.into_iter().next().map(|(_, value)| value)
}

/// Issues a token for a client that proves its secret.
pub async fn token(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    throttle: &LoginThrottle,
    request: TokenRequest<'_>,
) -> Result<TokenGrant, TokenError> {
    let invalid = |id: &str| oauth(OAuthErrorCode::InvalidRequest, id, &[], false);
    let form = request.content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
    });
    let params: TokenForm = match serde_urlencoded::from_bytes(request.body) {
        Ok(params) if form => params,
        _ => return Err(invalid("oauth.invalid_request.body")),
    };
    let grant_type =
        params.grant_type.as_deref().ok_or_else(|| invalid("oauth.invalid_request.grant_type"))?;

    let basic = request.authorization.and_then(basic_credentials);
    let in_body = (params.client_id.as_ref(), params.client_secret.as_ref());
    let used_basic = basic.is_some();
    let unknown = || oauth(OAuthErrorCode::InvalidClient, "oauth.invalid_client", &[], used_basic);
    let (client_id, secret) = match (basic, in_body) {
        (Some(_), (Some(_), _) | (_, Some(_))) => return Err(invalid("oauth.invalid_request.two_methods")),
        (Some(Ok(pair)), _) => pair,
        (Some(Err(())), _) => return Err(unknown()),
        (None, (Some(id), Some(secret))) => (id.clone(), secret.clone()),
        (None, _) => {
            return Err(oauth(OAuthErrorCode::InvalidClient, "oauth.invalid_request.no_client", &[], true));
        }
    };

    // Counted before the secret is checked, so parallel guesses cannot all pass.
    let scopes = LoginScopes::new(&format!("api_client:{client_id}"), request.address);
    let reservation = throttle.reserve(db, &scopes).await?;
    let client = match Uuid::parse_str(&client_id) {
        Ok(id) => api_client::Entity::find_by_id(id).one(db).await?,
        Err(_) => None,
    };
    let client = match client {
        Some(client) if client.revoked_at.is_none() && secret_matches(&client, &secret) => client,
        _ => return Err(unknown()),
    };
    throttle.succeeded(db, &scopes, reservation).await?;

    if grant_type != CLIENT_CREDENTIALS {
        return Err(oauth(OAuthErrorCode::UnsupportedGrantType, "oauth.unsupported_grant_type", &[], false));
    }
    let held = parse_scopes(&client.scopes).unwrap_or_default();
    let granted: BTreeSet<_> = match params.scope.as_deref() {
        None => held,
        Some(asked) => {
            let asked = parse_scopes(asked).map_err(|word| {
                oauth(OAuthErrorCode::InvalidScope, "oauth.invalid_scope", &[("scope", &word)], false)
            })?;
            if let Some(missing) = asked.difference(&held).next() {
                return Err(oauth(
                    OAuthErrorCode::InvalidScope,
                    "oauth.invalid_scope",
                    &[("scope", missing.as_str())],
                    false,
                ));
            }
            if asked.is_empty() { held } else { asked }
        }
    };
    let scope = join_scopes(&granted);
    let (access_token, expires_in) =
        keys.issue_client(client.id, &scope).map_err(|error| ApiError::Internal(error.into()))?;
    Ok(TokenGrant { access_token, token_type: "Bearer", expires_in, scope })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_urlencoded() {
        let header = format!("Basic {}", STANDARD.encode("my%3Aid:s%2Bcr+t"));
        assert_eq!(basic_credentials(&header), Some(Ok(("my:id".into(), "s+cr t".into()))));
        assert_eq!(basic_credentials("Bearer abc"), None);
        assert_eq!(basic_credentials("Basic !!!"), Some(Err(())));
        assert_eq!(basic_credentials(&format!("Basic {}", STANDARD.encode("no-colon"))), Some(Err(())));
    }
}
