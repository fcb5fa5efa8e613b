//! Request and response bodies of the accompaniment routes.

use chrono::{DateTime, Utc};
use entity::accompaniment::AccompanimentStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::accounts::domain::rules;
use crate::accounts::dto::Me;
use crate::accounts::party::Party;
use crate::organizations::dto::Organization;

/// `POST /accompaniments`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewAccompaniment {
    /// The member to follow: an active account with the `member` role.
    pub member_id: Uuid,
}

/// `POST /accompaniments/{id}/consent`; the whole body is optional.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct ConsentRequest {
    /// The version of the consent text the member was shown. When given and
    /// no longer current, the consent is refused (409 `consent_wording_outdated`)
    /// so that nobody agrees to a text they did not read.
    #[validate(length(min = 1, max = 32))]
    #[schema(example = "2026-11", min_length = 1, max_length = 32)]
    pub wording_version: Option<String>,
}

/// The counsellor, with the organisations they work for, so that the member
/// knows who is asking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CounsellorParty {
    pub id: Uuid,
    pub display_name: String,
    pub organizations: Vec<Organization>,
}

/// An accompaniment: `pending` → `active` (the member consented) | `refused`;
/// `pending`/`active` → `revoked` (by either party).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccompanimentView {
    pub id: Uuid,
    pub counsellor: CounsellorParty,
    pub member: Party,
    pub status: AccompanimentStatus,
    pub requested_at: DateTime<Utc>,
    /// When the member consented.
    pub consented_at: Option<DateTime<Utc>>,
    /// The version of the consent text the member agreed to.
    pub consent_wording_version: Option<String>,
    pub refused_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Who ended it: the member or the counsellor.
    pub revoked_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    /// The counsellor who took the consent in person, at the desk, when the
    /// account was opened with them; `null` when the member consented in the app.
    pub consent_recorded_by: Option<Uuid>,
}

/// `POST /assisted-accounts`: a counsellor opens an account with and for a
/// member who is next to them. The member read (or was read) the consent
/// text of `consent_wording_version` and agreed, in person.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"display_name": "Amina Kaddour", "phone": "06 12 34 56 78", "consent_wording_version": "2026-11"}))]
pub struct NewAssistedAccount {
    #[validate(custom(function = "rules::display_name"))]
    #[schema(min_length = 1, max_length = 80)]
    pub display_name: String,
    #[validate(custom(function = "rules::email"))]
    #[schema(format = "email")]
    pub email: Option<String>,
    #[validate(custom(function = "rules::phone"))]
    pub phone: Option<String>,
    #[validate(custom(function = "rules::locale"))]
    pub locale: Option<String>,
    /// The version of the consent text the member agreed to (the current one).
    #[validate(length(min = 1, max = 32))]
    #[schema(example = "2026-11")]
    pub consent_wording_version: String,
}

/// The new account, what to hand over to the member, and the accompaniment.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssistedAccount {
    pub user: Me,
    /// What the member types at login (also in `user.username`).
    #[schema(example = "amina.k42")]
    pub username: String,
    /// Shown once: give it to the member, who must change it at the first
    /// login; it stops working after 7 days.
    #[schema(example = "k7pm-3xqa-9trh")]
    pub temporary_password: String,
    pub accompaniment: AccompanimentView,
}

/// A temporary password a counsellor gives a member who forgot theirs.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemporaryPassword {
    /// Shown once; it must be changed at the next login.
    #[schema(example = "k7pm-3xqa-9trh")]
    pub temporary_password: String,
    pub expires_at: DateTime<Utc>,
}

/// A consent text and its version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentWording {
    #[schema(example = "2026-11")]
    pub version: &'static str,
    /// Plain French, shown to the member before they accept.
    pub text: &'static str,
    /// Whether this is the text a member consents to today.
    pub current: bool,
}

/// One accompaniment with the consent text: the one the member agreed to once
/// active, otherwise the one they would agree to now.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccompanimentDetail {
    #[serde(flatten)]
    pub accompaniment: AccompanimentView,
    pub consent: ConsentWording,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccompanimentsFilter {
    /// Only accompaniments in this status.
    pub status: Option<AccompanimentStatus>,
}
