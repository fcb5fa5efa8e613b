//! Account rules that touch the database: creation, login, profile edits and
//! administration.

use std::net::IpAddr;
use std::sync::LazyLock;

use chrono::Utc;
use entity::{Role, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use uuid::Uuid;

use super::domain::{DisplayName, Email, Locale, Login, Password, Phone, TimeZone};
use super::dto::{AdminUser, AdminUserUpdate, UpdateIdentifiers, UpdateMe, UsersFilter};
use super::sessions::{self, TokenPair};
use super::throttle::{self, LoginScopes, LoginThrottle};
use super::{recovery, usernames};
use crate::auth::password;
use crate::auth::token::TokenKeys;
use crate::cache::{Stale, TtlCache, announce};
use crate::config::MailSettings;
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchText, like_contains};

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account already uses this email address")]
    EmailTaken,
    #[error("an account already uses this phone number")]
    PhoneTaken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<CreateUserError> for ApiError {
    fn from(error: CreateUserError) -> Self {
        match error {
            CreateUserError::EmailTaken => ApiError::conflict(ErrorCode::EmailTaken),
            CreateUserError::PhoneTaken => ApiError::conflict(ErrorCode::PhoneTaken),
            CreateUserError::Other(error) => ApiError::Internal(error),
        }
    }
}

impl From<sea_orm::DbErr> for CreateUserError {
    fn from(error: sea_orm::DbErr) -> Self {
        CreateUserError::Other(error.into())
    }
}

impl From<ApiError> for CreateUserError {
    fn from(error: ApiError) -> Self {
        CreateUserError::Other(anyhow::anyhow!("{error}"))
    }
}

/// A new account, from already-parsed values. Email and phone are optional:
/// the account always gets a username to sign in with.
pub struct NewUser {
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub password: Password,
    pub display_name: DisplayName,
    pub role: Role,
    pub locale: Option<Locale>,
    /// The password was given by a counsellor: it works for 7 days and must
    /// be changed at the first login.
    pub temporary: bool,
}

impl NewUser {
    /// A member account from what a form sent; a bad field is a 422 naming it.
    pub fn member(
        display_name: &str,
        email: Option<&str>,
        phone: Option<&str>,
        locale: Option<&str>,
        password: Password,
    ) -> Result<Self, ApiError> {
        fn invalid(field: &'static str) -> impl Fn(&str) -> ApiError {
            move |message| ApiError::validation(field, "invalid", message)
        }
        Ok(NewUser {
            email: email.map(Email::parse).transpose().map_err(invalid("email"))?,
            phone: phone.map(Phone::parse).transpose().map_err(invalid("phone"))?,
            password,
            display_name: DisplayName::parse(display_name).map_err(invalid("display_name"))?,
            role: Role::Member,
            locale: locale.map(Locale::parse).transpose().map_err(invalid("locale"))?,
            temporary: false,
        })
    }
}

/// A new username is tried this many times when another account takes the
/// same one at the same moment.
const USERNAME_ATTEMPTS: usize = 5;

/// Creates an account (and the mail that asks to confirm its email).
pub async fn create_user(
    db: &DatabaseConnection,
    mail: &MailSettings,
    new: NewUser,
) -> Result<user::Model, CreateUserError> {
    // Hashed before any check, so that a taken email costs the same time as a new account.
    let password_hash = password::hash_limited(new.password.expose().to_owned()).await?;
    let txn = db::begin_write(db).await?;
    let account = insert_user(&txn, mail, &new, password_hash).await?;
    txn.commit().await?;
    Ok(account)
}

/// Creates an account inside the caller's write transaction, with its
/// verification mail.
pub async fn insert_user(
    txn: &DatabaseTransaction,
    mail: &MailSettings,
    new: &NewUser,
    password_hash: String,
) -> Result<user::Model, CreateUserError> {
    ensure_free(txn, new.email.as_ref().map(Email::as_str), new.phone.as_ref().map(Phone::as_str)).await?;
    let now = Utc::now();
    for _ in 0..USERNAME_ATTEMPTS {
        let username = usernames::available(txn, new.display_name.as_str()).await?;
        let account = user::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(new.email.as_ref().map(|e| e.as_str().to_owned())),
            password_hash: Set(password_hash.clone()),
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
            username: Set(username.clone()),
            phone: Set(new.phone.as_ref().map(|p| p.as_str().to_owned())),
            email_verified_at: Set(None),
            password_change_required: Set(new.temporary),
            temporary_password_expires_at: Set(new.temporary.then(|| now + recovery::TEMPORARY_PASSWORD_TTL)),
        };
        // A savepoint: a lost race for the username is retried, the rest kept.
        let attempt = txn.begin().await?;
        match account.insert(&attempt).await {
            Ok(account) => {
                attempt.commit().await?;
                recovery::send_verification(txn, mail, &account).await?;
                return Ok(account);
            }
            Err(err) => {
                attempt.rollback().await?;
                match taken(&err) {
                    Some(Taken::Username) => continue,
                    Some(Taken::Identifier(error)) => return Err(error),
                    None => return Err(CreateUserError::Other(err.into())),
                }
            }
        }
    }
    Err(CreateUserError::Other(anyhow::anyhow!("no free username after {USERNAME_ATTEMPTS} tries")))
}

/// 409 when another account already signs in with this email or phone.
async fn ensure_free(
    db: &impl ConnectionTrait,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<(), CreateUserError> {
    if let Some(email) = email
        && user::Entity::find().filter(user::Column::Email.eq(email)).count(db).await? > 0
    {
        return Err(CreateUserError::EmailTaken);
    }
    if let Some(phone) = phone
        && user::Entity::find().filter(user::Column::Phone.eq(phone)).count(db).await? > 0
    {
        return Err(CreateUserError::PhoneTaken);
    }
    Ok(())
}

/// Which unique index of `users` refused a row: the checks above are only a
/// first answer, the indexes decide when two accounts race for one value.
enum Taken {
    Username,
    Identifier(CreateUserError),
}

fn taken(err: &sea_orm::DbErr) -> Option<Taken> {
    let Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) = err.sql_err() else { return None };
    Some(if message.contains("username") {
        Taken::Username
    } else if message.contains("phone") {
        Taken::Identifier(CreateUserError::PhoneTaken)
    } else {
        Taken::Identifier(CreateUserError::EmailTaken)
    })
}

/// The account a login names, whatever its state.
pub async fn find_by_login(
    db: &impl ConnectionTrait,
    login: &Login,
) -> Result<Option<user::Model>, ApiError> {
    let column = match login {
        Login::Email(_) => user::Column::Email,
        Login::Phone(_) => user::Column::Phone,
        Login::Username(_) => user::Column::Username,
    };
    Ok(user::Entity::find().filter(column.eq(login.as_str())).one(db).await?)
}

/// A hash to verify against when the account does not exist, so that unknown
/// emails cost the same time as wrong passwords.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password::hash("tremplin dummy password").unwrap_or_default());

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized { code: ErrorCode::InvalidCredentials }
}

/// Registers a member from `client` (throttled per address) and opens a session.
pub async fn register(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    mail: &MailSettings,
    new: NewUser,
    client: Option<IpAddr>,
    per_hour: u32,
) -> Result<(user::Model, TokenPair), ApiError> {
    if let Some(address) = client {
        throttle::reserve_registration(db, address, per_hour).await?;
    }
    let user = create_user(db, mail, new).await?;
    let tokens = sessions::open(db, keys, user.id).await?;
    Ok((user, tokens))
}

/// One throttled password check: counted before it runs, so that concurrent
/// guesses cannot all pass the limit. Without an account the dummy hash is
/// verified, so unknown logins cost the same time as wrong passwords.
async fn throttled_verify(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    scopes: &LoginScopes,
    account: Option<user::Model>,
    secret: &str,
) -> Result<user::Model, ApiError> {
    let reservation = throttle.reserve(db, scopes).await?;
    let stored = account.as_ref().map_or_else(|| DUMMY_HASH.clone(), |a| a.password_hash.clone());
    let matches = password::verify_limited(secret.to_owned(), stored).await?;
    match account {
        Some(account) if matches => {
            throttle.succeeded(db, scopes, reservation).await?;
            Ok(account)
        }
        // The reservation stays: it is the failure.
        _ => Err(invalid_credentials()),
    }
}

/// Checks the credentials under throttling and opens a session. A
/// temporary password past its 7 days no longer opens anything.
pub async fn login(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    throttle: &LoginThrottle,
    login: &Login,
    secret: &str,
    client: Option<IpAddr>,
) -> Result<(user::Model, TokenPair), ApiError> {
    let scopes = LoginScopes::new(login.as_str(), client);
    let account = find_by_login(db, login).await?;
    let account = throttled_verify(db, throttle, &scopes, account, secret).await?;
    if account.disabled_at.is_some() || account.erased_at.is_some() {
        return Err(ApiError::Forbidden);
    }
    if account.password_change_required
        && account.temporary_password_expires_at.is_some_and(|expires_at| expires_at <= Utc::now())
    {
        return Err(ApiError::Unauthorized { code: ErrorCode::TemporaryPasswordExpired });
    }
    let mut update = account.clone().into_active_model();
    if password::needs_rehash(&account.password_hash) {
        update.password_hash = Set(password::hash_limited(secret.to_owned()).await?);
    }
    update.last_active_at = Set(Utc::now());
    let account = update.update(db).await?;
    let tokens = sessions::open(db, keys, account.id).await?;
    Ok((account, tokens))
}

/// `PATCH /me/identifiers`, after the current password: a new email is
/// unconfirmed until its mail is followed; an empty value removes one.
pub async fn update_identifiers(
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
    mail: &MailSettings,
    me: user::Model,
    changes: UpdateIdentifiers,
) -> Result<user::Model, ApiError> {
    if !password::verify_limited(changes.current_password.clone(), me.password_hash.clone()).await? {
        return Err(invalid_credentials());
    }
    let invalid = |field: &str, message: &str| ApiError::validation(field, "invalid", message);
    let email = changes
        .email
        .as_deref()
        .map(str::trim)
        .map(|email| {
            (!email.is_empty()).then(|| Email::parse(email).map(|e| e.as_str().to_owned())).transpose()
        })
        .transpose()
        .map_err(|m| invalid("email", m))?;
    let phone = changes
        .phone
        .as_deref()
        .map(str::trim)
        .map(|phone| {
            (!phone.is_empty()).then(|| Phone::parse(phone).map(|p| p.as_str().to_owned())).transpose()
        })
        .transpose()
        .map_err(|m| invalid("phone", m))?;
    let txn = db::begin_write(db).await?;
    let mut update = me.clone().into_active_model();
    let new_email = email.filter(|email| *email != me.email);
    let new_phone = phone.filter(|phone| *phone != me.phone);
    ensure_free(
        &txn,
        new_email.as_ref().and_then(Option::as_deref),
        new_phone.as_ref().and_then(Option::as_deref),
    )
    .await?;
    if let Some(email) = &new_email {
        update.email = Set(email.clone());
        update.email_verified_at = Set(None);
    }
    if let Some(phone) = new_phone {
        update.phone = Set(phone);
    }
    update.updated_at = Set(Utc::now());
    let updated = update.update(&txn).await.map_err(|err| match taken(&err) {
        Some(Taken::Identifier(error)) => error.into(),
        _ => ApiError::from(err),
    })?;
    if new_email.is_some_and(|email| email.is_some()) {
        recovery::send_verification(&txn, mail, &updated).await?;
    }
    announce(&txn, Stale::User(updated.id)).await?;
    txn.commit().await?;
    users.remove(&updated.id);
    Ok(updated)
}

/// The caller proves again who they are before an irreversible action
/// (erasure): their password, under the login throttle, so that a stolen
/// access token gives no free guesses.
pub async fn confirm_password(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    account: &user::Model,
    secret: &str,
    client: Option<IpAddr>,
) -> Result<(), ApiError> {
    let scopes = LoginScopes::new(&account.username, client);
    throttled_verify(db, throttle, &scopes, Some(account.clone()), secret).await.map(drop)
}

/// Applies a validated `PATCH /me`; fields absent from the body stay as they are.
pub async fn update_me(
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
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
    let txn = db.begin().await?;
    let updated = update.update(&txn).await?;
    announce(&txn, Stale::User(updated.id)).await?;
    txn.commit().await?;
    users.remove(&updated.id);
    Ok(updated)
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
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
    admin_id: Uuid,
    id: Uuid,
    changes: AdminUserUpdate,
) -> Result<AdminUser, ApiError> {
    let txn = db::begin_write(db).await?;
    let target = user::Entity::find_by_id(id)
        .filter(user::Column::ErasedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    if target.id == admin_id {
        return Err(ApiError::conflict(ErrorCode::CannotModifySelf));
    }
    let now = Utc::now();
    let mut update = target.clone().into_active_model();
    if let Some(role) = changes.role {
        update.role = Set(role);
    }
    match changes.disabled {
        Some(true) if target.disabled_at.is_none() => {
            update.disabled_at = Set(Some(now));
            sessions::revoke_all(&txn, target.id).await?;
        }
        Some(false) => update.disabled_at = Set(None),
        _ => {}
    }
    update.updated_at = Set(now);
    let updated = update.update(&txn).await?;
    announce(&txn, Stale::User(id)).await?;
    txn.commit().await?;
    users.remove(&id);
    Ok(updated.into())
}
