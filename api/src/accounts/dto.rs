//! Request and response bodies of the accounts routes.

use chrono::{DateTime, Utc};
use entity::{Role, user};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::domain::rules;
use super::sessions::TokenPair;

/// A new account. Email and phone are both optional: everyone gets a
/// username to sign in with (in the answer's `user.username`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RegisterRequest {
    #[validate(custom(function = "rules::email"))]
    #[schema(example = "awa.diallo@example.org", format = "email")]
    pub email: Option<String>,
    /// A mobile or landline number; French national forms are accepted
    /// (`06 12 34 56 78`) and stored in E.164 (`+33612345678`).
    #[validate(custom(function = "rules::phone"))]
    #[schema(example = "06 12 34 56 78")]
    pub phone: Option<String>,
    /// 10 to 128 characters, any Unicode.
    #[validate(custom(function = "rules::password"))]
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
    #[validate(custom(function = "rules::display_name"))]
    #[schema(example = "Awa", min_length = 1, max_length = 80)]
    pub display_name: String,
    #[validate(custom(function = "rules::locale"))]
    #[schema(example = "fr")]
    pub locale: Option<String>,
}

/// Signing in with an email, a phone number or a username in `login`
/// (`email` is still accepted in its place).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"login": "amina.k42", "password": "correct horse battery"}))]
pub struct LoginRequest {
    #[validate(length(max = 320))]
    pub login: Option<String>,
    /// Older clients: the same as `login`.
    #[validate(length(max = 320))]
    #[schema(deprecated)]
    pub email: Option<String>,
    /// Longer inputs cannot be valid passwords; the bound keeps hashing cheap.
    #[validate(length(max = 1024))]
    pub password: String,
}

/// `POST /me/password`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"current_password": "k7pm-3xqa-9trh", "new_password": "mon jardin fleuri en mai"}))]
pub struct ChangePasswordRequest {
    #[validate(length(max = 1024))]
    pub current_password: String,
    /// 10 to 128 characters, any Unicode; not the current one.
    #[validate(custom(function = "rules::password"))]
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
}

/// `POST /auth/password-reset`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"login": "amina@example.org"}))]
pub struct PasswordResetRequest {
    /// The email, phone number or username of the account.
    #[validate(length(max = 320))]
    pub login: String,
}

/// `POST /auth/password-reset/confirm`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"token": "tH1s-1s-th3-t0k3n-fr0m-th3-ma1l", "new_password": "mon jardin fleuri en mai"}))]
pub struct PasswordResetConfirm {
    /// The `token` of the link in the mail.
    #[validate(length(min = 1, max = 128))]
    pub token: String,
    #[validate(custom(function = "rules::password"))]
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
}

/// `POST /auth/verify-email`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"token": "tH1s-1s-th3-t0k3n-fr0m-th3-ma1l"}))]
pub struct VerifyEmailRequest {
    /// The `token` of the link in the mail.
    #[validate(length(min = 1, max = 128))]
    pub token: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 512))]
    pub refresh_token: String,
}

/// The caller's own profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    /// What to type at login when there is no email or phone, e.g. `amina.k42`.
    pub username: String,
    #[schema(format = "email")]
    pub email: Option<String>,
    /// Whether `email` was confirmed (only a confirmed address receives password resets).
    pub email_verified: bool,
    /// E.164, e.g. `+33612345678`.
    pub phone: Option<String>,
    pub display_name: String,
    pub role: Role,
    pub locale: String,
    pub timezone: String,
    pub bio: Option<String>,
    pub daily_goal_xp: i32,
    pub created_at: DateTime<Utc>,
}

impl From<user::Model> for Me {
    fn from(user: user::Model) -> Self {
        Me {
            id: user.id,
            username: user.username,
            email: user.email,
            email_verified: user.email_verified_at.is_some(),
            phone: user.phone,
            display_name: user.display_name,
            role: user.role,
            locale: user.locale,
            timezone: user.timezone,
            bio: user.bio,
            daily_goal_xp: user.daily_goal_xp,
            created_at: user.created_at,
        }
    }
}

/// Registration and login answer: who you are and your tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthResponse {
    pub user: Me,
    /// `true` after signing in with a temporary password: until
    /// `POST /me/password` succeeds, every other route answers 403
    /// `password_change_required`.
    pub password_change_required: bool,
    #[serde(flatten)]
    pub tokens: TokenPair,
}

impl AuthResponse {
    pub fn new(user: user::Model, tokens: TokenPair) -> Self {
        AuthResponse { password_change_required: user.password_change_required, user: user.into(), tokens }
    }
}

/// `PATCH /me/identifiers`: the email and the phone an account signs in and
/// is found with. The current password is needed, since the email is where
/// password resets go. An absent field stays; an empty string removes it (the
/// username always works).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"current_password": "mon jardin fleuri en mai", "email": "amina@example.org"}))]
pub struct UpdateIdentifiers {
    #[validate(length(max = 1024))]
    pub current_password: String,
    /// A new email is unconfirmed until the link of its mail is followed.
    #[schema(format = "email")]
    #[validate(length(max = 254))]
    pub email: Option<String>,
    #[validate(length(max = 32))]
    pub phone: Option<String>,
}

/// `PATCH /me`: only these fields; anything else in the body (`role`, `email`,
/// `id`...) is ignored.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct UpdateMe {
    #[validate(custom(function = "rules::display_name"))]
    pub display_name: Option<String>,
    #[validate(custom(function = "rules::locale"))]
    pub locale: Option<String>,
    #[validate(custom(function = "rules::timezone"))]
    #[schema(example = "Europe/Paris")]
    pub timezone: Option<String>,
    /// XP per day the learner aims for.
    #[validate(range(min = 1, max = 1000))]
    pub daily_goal_xp: Option<i32>,
    /// A short public presentation; an empty string removes it.
    #[validate(length(max = 500))]
    pub bio: Option<String>,
}

/// An account as admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUser {
    pub id: Uuid,
    pub username: String,
    #[schema(format = "email")]
    pub email: Option<String>,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub last_active_at: DateTime<Utc>,
}

impl From<user::Model> for AdminUser {
    fn from(user: user::Model) -> Self {
        AdminUser {
            id: user.id,
            username: user.username,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            disabled: user.disabled_at.is_some(),
            created_at: user.created_at,
            last_active_at: user.last_active_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersFilter {
    pub role: Option<Role>,
    /// Part of the email or display name, case-insensitive.
    /// At most 100 characters and 8 words (422 otherwise).
    #[param(max_length = 100)]
    pub q: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AdminUserUpdate {
    pub role: Option<Role>,
    /// `true` disables the account: no login, no refresh, and its access tokens stop working at once.
    pub disabled: Option<bool>,
}
