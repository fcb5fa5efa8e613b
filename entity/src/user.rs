use sea_orm::entity::prelude::*;

use crate::Role;

/// An account. It signs in with its `username` (always there), its email or
/// its phone number (both optional). `email` is stored normalised (trimmed,
/// lowercase), `phone` in E.164; each of the three is unique. `password_hash`
/// is an Argon2id PHC string, never the password.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: Option<String>,
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    pub locale: String,
    pub timezone: String,
    /// A short public presentation, shown on the public profile.
    pub bio: Option<String>,
    pub daily_goal_xp: i32,
    pub disabled_at: Option<DateTimeUtc>,
    /// Set when the account was erased: identity and free text are gone.
    pub erased_at: Option<DateTimeUtc>,
    /// Last login or token refresh, for the retention policy.
    pub last_active_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Readable and unique, e.g. `amina.k42`; never given to another account.
    #[sea_orm(unique)]
    pub username: String,
    #[sea_orm(unique)]
    pub phone: Option<String>,
    /// When the current `email` was proven to reach the person; only a
    /// verified address receives password resets.
    pub email_verified_at: Option<DateTimeUtc>,
    /// Set while the password is a temporary one given by a counsellor: only
    /// changing it is allowed.
    pub password_change_required: bool,
    /// A temporary password stops working after this.
    pub temporary_password_expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
