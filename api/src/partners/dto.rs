//! Request and response bodies of the partner routes, and the RFC 6749 shapes
//! of the token endpoint.

use chrono::{DateTime, Utc};
use entity::api_client;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::accounts::party::Party;
use crate::auth::scope::{ApiScope, parse_scopes};

/// `POST /organizations/{id}/api-clients`. An unknown scope is a serde
/// failure: 400 `malformed_body`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiClient {
    /// Who the client is, as the members will read it in their audit log.
    #[validate(length(min = 1, max = 100, message = "field.api_client_name"))]
    #[schema(example = "Logiciel de suivi de la Mission locale", min_length = 1, max_length = 100)]
    pub name: String,
    /// The scopes the client may ask tokens for: at least one, each once.
    #[schema(min_items = 1, example = json!(["members:read", "impact:read"]))]
    pub scopes: Vec<ApiScope>,
}

/// An API client as listed: never its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiClientView {
    pub client_id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub created_at: DateTime<Utc>,
    /// When it was revoked; its tokens stopped working then.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_client::Model> for ApiClientView {
    fn from(row: api_client::Model) -> Self {
        ApiClientView {
            client_id: row.id,
            organization_id: row.organization_id,
            name: row.name,
            scopes: parse_scopes(&row.scopes).unwrap_or_default().into_iter().collect(),
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// A new API client with its secret: the only time the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiClient {
    pub client_id: Uuid,
    /// Keep it safe: it is shown once and only its hash is stored.
    pub client_secret: String,
    #[serde(flatten)]
    pub client: ApiClientView,
}

/// The form of `POST /oauth/token` (RFC 6749 §4.4.2). Unknown parameters
/// are ignored, as §3.2 says; one given twice is an `invalid_request`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenForm {
    /// `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: Option<String>,
    /// Space-separated scopes among the client's; all of them when absent.
    #[schema(example = "members:read")]
    pub scope: Option<String>,
    /// With `client_secret`, when the client does not use HTTP Basic.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// RFC 6749 §5.1: a successful token answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenGrant {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Lifetime of the token, in seconds.
    #[schema(example = 3600)]
    pub expires_in: i64,
    /// The scopes granted, space-separated.
    #[schema(example = "members:read impact:read")]
    pub scope: String,
}

/// RFC 6749 §5.2 error codes of the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidScope,
    UnsupportedGrantType,
}

/// RFC 6749 §5.2: an error of the token endpoint (not a problem+json).
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthError {
    pub error: OAuthErrorCode,
    /// For the client's developer, in the request's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// A member a client's organisation accompanies with their consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccompaniedMember {
    pub member: Party,
    /// The accompaniment that gives the consent.
    pub accompaniment_id: Uuid,
    /// When the member consented.
    pub consented_at: Option<DateTime<Utc>>,
}
