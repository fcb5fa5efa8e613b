//! Account rules that touch the database.

use chrono::Utc;
use entity::{Role, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::domain::{DisplayName, Email, Password};
use crate::auth::password;

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account already uses this email address")]
    EmailTaken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A new account, from already-parsed values.
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub display_name: DisplayName,
    pub role: Role,
}

/// Creates an account; the password is hashed off the async executor.
pub async fn create_user(db: &impl ConnectionTrait, new: NewUser) -> Result<user::Model, CreateUserError> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(new.email.as_str()))
        .one(db)
        .await
        .map_err(anyhow::Error::from)?
        .is_some();
    if taken {
        return Err(CreateUserError::EmailTaken);
    }
    let secret = new.password.expose().to_owned();
    let password_hash =
        tokio::task::spawn_blocking(move || password::hash(&secret)).await.map_err(anyhow::Error::from)??;
    let now = Utc::now();
    let account = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.as_str().to_owned()),
        password_hash: Set(password_hash),
        display_name: Set(new.display_name.as_str().to_owned()),
        role: Set(new.role),
        locale: Set("fr".into()),
        timezone: Set("Europe/Paris".into()),
        bio: Set(None),
        daily_goal_xp: Set(20),
        disabled_at: Set(None),
        erased_at: Set(None),
        last_active_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // The unique index still decides when two creations race past the check above.
    account.insert(db).await.map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => CreateUserError::EmailTaken,
        _ => CreateUserError::Other(err.into()),
    })
}
