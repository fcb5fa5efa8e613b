//! Bodies of the credential routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::achievements::Described;
use super::issuer::Urls;

/// An achievement as the API shows it, in the request's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct AchievementView {
    /// Its stable key.
    #[schema(example = "digcomp.1.1.level-2")]
    pub key: String,
    pub name: String,
    pub description: String,
    /// What earns it.
    pub criteria: String,
    /// The badge image (SVG).
    pub image_url: String,
    /// The skills it attests (DigComp 2.2, Impose-toi !).
    pub alignment: Vec<AlignmentView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlignmentView {
    pub skill_id: Uuid,
    #[schema(example = "1.1")]
    pub target_code: String,
    pub target_name: String,
    #[schema(example = "DigComp 2.2")]
    pub target_framework: String,
}

impl AchievementView {
    pub fn new(urls: &Urls, described: Described) -> Self {
        AchievementView {
            image_url: urls.achievement_image(&described.key),
            key: described.key,
            name: described.name,
            description: described.description,
            criteria: described.criteria,
            alignment: described
                .alignment
                .into_iter()
                .map(|a| AlignmentView {
                    skill_id: a.skill_id,
                    target_code: a.code,
                    target_name: a.name,
                    target_framework: a.framework.to_owned(),
                })
                .collect(),
        }
    }
}

/// Whether a credential still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStatus {
    Active,
    Revoked,
}

/// One award, as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialSummary {
    pub id: Uuid,
    pub achievement: AchievementView,
    pub awarded_at: DateTime<Utc>,
    pub status: CredentialStatus,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why it was revoked, as the facilitator or admin wrote it.
    pub revoke_reason: Option<String>,
}

/// An award in the member's journey.
#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyBadge {
    pub id: Uuid,
    #[schema(example = "impose_toi.se_reveler")]
    pub achievement: String,
    pub name: String,
    pub awarded_at: DateTime<Utc>,
    pub status: CredentialStatus,
}

/// One award with its signed credential.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialDetail {
    #[serde(flatten)]
    pub summary: CredentialSummary,
    /// The `OpenBadgeCredential` as a VC-JWT (RS256, `typ: vc+jwt`); its
    /// signing keys are at `/.well-known/jwks.json`.
    pub credential: String,
}

/// `?with_email=true` adds the member's email to the credential, hashed
/// with a salt (`IdentityObject`, `hashed: true`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CredentialQuery {
    /// Add the account's email, salted and hashed, to the credential's subject.
    pub with_email: Option<bool>,
}

/// `POST /credentials/{id}/revoke`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RevokeCredential {
    /// Told to the member.
    #[validate(length(min = 1, max = 500, message = "field.revoke_reason"))]
    pub reason: String,
}

/// `POST /credentials/verify`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct VerifyCredential {
    /// A VC-JWT as `GET /me/credentials/{id}` gives it.
    #[validate(length(min = 1, max = 65536))]
    pub credential: String,
}

/// What a verification found.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    /// True when the signature, the dates and the status all hold.
    pub valid: bool,
    /// True when the issuer revoked it (its status list bit is set).
    pub revoked: bool,
    /// The issuer `Profile` the credential names, once its signature holds.
    #[schema(value_type = Option<Object>)]
    pub issuer: Option<serde_json::Value>,
    /// The `Achievement` the credential attests, once its signature holds.
    #[schema(value_type = Option<Object>)]
    pub achievement: Option<serde_json::Value>,
    /// Machine codes of what failed: `malformed`, `unknown_key`,
    /// `invalid_signature`, `not_yet_valid`, `expired`, `wrong_issuer`,
    /// `unknown_credential`, `revoked`.
    pub errors: Vec<String>,
}
