use sea_orm::entity::prelude::*;

use crate::Role;

/// An account. `email` is stored normalised (trimmed, lowercase) and unique;
/// `password_hash` is an Argon2id PHC string, never the password.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
