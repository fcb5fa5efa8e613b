//! Account rules that touch the database: creation, login, profile edits and
//! administration.

use std::net::IpAddr;
use std::sync::LazyLock;

use chrono::Utc;
use entity::{Role, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::domain::{DisplayName, Email, Locale, Password, TimeZone};
use super::dto::{AdminUser, AdminUserUpdate, UpdateMe, UsersFilter};
use super::sessions::{self, TokenPair};
use super::throttle::{LoginScopes, LoginThrottle};
use crate::auth::password;
use crate::auth::token::TokenKeys;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchText, like_contains};

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account already uses this email address")]
    EmailTaken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<CreateUserError> for ApiError {
    fn from(error: CreateUserError) -> Self {
        match error {
            CreateUserError::EmailTaken => ApiError::Conflict {
                code: ErrorCode::EmailTaken,
                detail: "Un compte existe déjà avec cette adresse email.".into(),
            },
            CreateUserError::Other(error) => ApiError::Internal(error),
        }
    }
}

/// A new account, from already-parsed values.
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub display_name: DisplayName,
    pub role: Role,
    pub locale: Option<Locale>,
}

/// Creates an account.
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
    let password_hash = password::hash_limited(new.password.expose().to_owned()).await?;
    let now = Utc::now();
    let account = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.as_str().to_owned()),
        password_hash: Set(password_hash),
        display_name: Set(new.display_name.as_str().to_owned()),
        role: Set(new.role),
        locale: Set(new.locale.as_ref().map_or("fr", Locale::as_str).to_owned()),
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

/// A hash to verify against when the account does not exist, so that unknown
/// emails cost the same time as wrong passwords.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password::hash("tremplin dummy password").unwrap_or_default());

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized { code: ErrorCode::InvalidCredentials }
}

/// Checks the credentials under throttling and opens a session.
pub async fn login(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    throttle: &LoginThrottle,
    email: &str,
    secret: &str,
    client: Option<IpAddr>,
) -> Result<(user::Model, TokenPair), ApiError> {
    let email = email.trim().to_lowercase();
    let scopes = LoginScopes::new(&email, client);
    throttle.check(db, &scopes).await?;
    let account = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await?;
    let stored = account.as_ref().map_or_else(|| DUMMY_HASH.clone(), |a| a.password_hash.clone());
    let matches = password::verify_limited(secret.to_owned(), stored).await?;
    let account = match account {
        Some(account) if matches => account,
        _ => {
            throttle.record_failure(db, &scopes).await?;
            return Err(invalid_credentials());
        }
    };
    if account.disabled_at.is_some() || account.erased_at.is_some() {
        return Err(ApiError::Forbidden);
    }
    throttle.clear_account(db, &scopes).await?;
    let mut update = account.clone().into_active_model();
    if password::needs_rehash(&account.password_hash) {
        update.password_hash = Set(password::hash_limited(secret.to_owned()).await?);
    }
    update.last_active_at = Set(Utc::now());
    let account = update.update(db).await?;
    let tokens = sessions::open(db, keys, account.id).await?;
    Ok((account, tokens))
}

/// Applies a validated `PATCH /me`; fields absent from the body stay as they are.
pub async fn update_me(
    db: &impl ConnectionTrait,
    me: user::Model,
    changes: UpdateMe,
) -> Result<user::Model, ApiError> {
    let invalid = |field: &str, message: &str| ApiError::validation(field, "invalid", message);
    let mut update = me.into_active_model();
    if let Some(name) = changes.display_name {
        update.display_name =
            Set(DisplayName::parse(&name).map_err(|m| invalid("display_name", m))?.as_str().into());
    }
    if let Some(locale) = changes.locale {
        update.locale = Set(Locale::parse(&locale).map_err(|m| invalid("locale", m))?.as_str().into());
    }
    if let Some(zone) = changes.timezone {
        update.timezone = Set(TimeZone::parse(&zone).map_err(|m| invalid("timezone", m))?.name().into());
    }
    if let Some(goal) = changes.daily_goal_xp {
        update.daily_goal_xp = Set(goal);
    }
    if let Some(bio) = changes.bio {
        let bio = bio.trim();
        update.bio = Set((!bio.is_empty()).then(|| bio.to_owned()));
    }
    update.updated_at = Set(Utc::now());
    Ok(update.update(db).await?)
}

/// An account others may see: active and not erased.
pub async fn visible_user(db: &impl ConnectionTrait, id: Uuid) -> Result<user::Model, ApiError> {
    user::Entity::find_by_id(id)
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Admin listing, newest accounts first (ids are time-ordered UUIDv7).
pub async fn list_users(
    db: &impl ConnectionTrait,
    filter: &UsersFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<AdminUser>, ApiError> {
    let mut query = user::Entity::find().filter(user::Column::ErasedAt.is_null());
    if let Some(role) = filter.role {
        query = query.filter(user::Column::Role.eq(role));
    }
    if let Some(text) = SearchText::parse(filter.q.as_deref())? {
        let text = text.as_str().to_lowercase();
        query = query.filter(
            Condition::any()
                .add(Expr::col(user::Column::Email).like(like_contains(&text)))
                .add(Func::lower(Expr::col(user::Column::DisplayName)).like(like_contains(&text))),
        );
    }
    if let Some(after) = page.after {
        query = query.filter(user::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(user::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(AdminUser::from).collect(), page.limit, |u| u.id))
}

/// Changes a role or disables an account. Admins cannot change their own
/// account here, so the last admin cannot lock everyone out.
pub async fn admin_update_user(
    db: &impl ConnectionTrait,
    admin_id: Uuid,
    id: Uuid,
    changes: AdminUserUpdate,
) -> Result<AdminUser, ApiError> {
    let target = user::Entity::find_by_id(id)
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if target.id == admin_id {
        return Err(ApiError::Conflict {
            code: ErrorCode::CannotModifySelf,
            detail: "Un administrateur ne peut pas changer son propre rôle ni désactiver son compte.".into(),
        });
    }
    let now = Utc::now();
    let mut update = target.clone().into_active_model();
    if let Some(role) = changes.role {
        update.role = Set(role);
    }
    match changes.disabled {
        Some(true) if target.disabled_at.is_none() => {
            update.disabled_at = Set(Some(now));
            sessions::revoke_all(db, target.id).await?;
        }
        Some(false) => update.disabled_at = Set(None),
        _ => {}
    }
    update.updated_at = Set(now);
    Ok(update.update(db).await?.into())
}
