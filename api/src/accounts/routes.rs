//! HTTP routes of accounts: authentication, the caller's own profile and
//! sign-in identifiers, and account administration.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use super::domain::{Login, Password};
use super::dto::{
    AdminUser, AdminUserUpdate, AuthResponse, ChangePasswordRequest, LoginRequest, Me, PasswordResetConfirm,
    PasswordResetRequest, RefreshRequest, RegisterRequest, UpdateIdentifiers, UpdateMe, UsersFilter,
    VerifyEmailRequest,
};
use super::recovery;
use super::service::{self, NewUser};
use super::sessions::{self, TokenPair};
use crate::auth::{Admin, AuthUser};
use crate::client_address::ClientAddress;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::validation(field, "invalid", message)
}

/// Creates a member account and signs it in.
#[utoipa::path(
    operation_id = "register",
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created; the role is always `member`", body = AuthResponse,
            headers(("Location" = String, description = "The new user's public profile"))),
        (status = 409, description = "`email_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address (`TREMPLIN_REGISTER_PER_HOUR`); see `Retry-After`",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: ValidJson<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let password = Password::parse(body.password).map_err(|m| invalid("password", m))?;
    let new = NewUser::member(
        &body.display_name,
        body.email.as_deref(),
        body.phone.as_deref(),
        body.locale.as_deref(),
        password,
    )?;
    let (user, tokens) = service::register(
        &state.db,
        &state.tokens,
        &state.settings.mail,
        new,
        client.0,
        state.settings.register_per_hour,
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)))
        .json(AuthResponse::new(user, tokens)))
}

/// Signs in. Unknown email and wrong password get the same answer.
#[utoipa::path(
    operation_id = "login",
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account is disabled", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = Problem,
            content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    client: ClientAddress,
    body: ValidJson<LoginRequest>,
) -> Result<web::Json<AuthResponse>, ApiError> {
    let body = body.0;
    let typed = body
        .login
        .or(body.email)
        .ok_or_else(|| ApiError::validation("login", "required", "field.login_required"))?;
    // Something that cannot name an account is answered like a wrong password.
    let Ok(login) = Login::parse(&typed) else {
        return Err(ApiError::Unauthorized { code: ErrorCode::InvalidCredentials });
    };
    let (user, tokens) =
        service::login(&state.db, &state.tokens, &state.throttle, &login, &body.password, client.0).await?;
    Ok(web::Json(AuthResponse::new(user, tokens)))
}

/// Exchanges a refresh token for a new pair; the presented token is spent.
#[utoipa::path(
    operation_id = "refreshSession",
    tag = "accounts",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new pair of tokens", body = TokenPair),
        (status = 401, description = "Unknown, expired, revoked or reused token (a reuse revokes the whole session)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ValidJson<RefreshRequest>,
) -> Result<web::Json<TokenPair>, ApiError> {
    Ok(web::Json(sessions::rotate(&state.db, &state.tokens, &body.0.refresh_token).await?))
}

/// Signs out: the session of this refresh token is revoked.
#[utoipa::path(
    operation_id = "logout",
    tag = "accounts",
    request_body = RefreshRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    sessions::revoke(&state.db, caller.id(), &body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's own profile.
#[utoipa::path(
    operation_id = "getMe",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your profile", body = Me),
    )
)]
#[get("/me")]
pub async fn me(caller: AuthUser) -> web::Json<Me> {
    web::Json(caller.user.into())
}

/// Edits the caller's profile. `role`, `email` and ids are not writable here.
#[utoipa::path(
    operation_id = "updateMe",
    tag = "accounts",
    request_body = UpdateMe,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated profile", body = Me),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<UpdateMe>,
) -> Result<web::Json<Me>, ApiError> {
    let updated = service::update_me(&state.db, &state.users, caller.user, body.0).await?;
    Ok(web::Json(updated.into()))
}

/// Accounts, newest first (admins).
#[utoipa::path(
    operation_id = "listUsers",
    tag = "admin",
    params(UsersFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accounts", body = Page<AdminUser>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit` or `q`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    filter: web::Query<UsersFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<AdminUser>>, ApiError> {
    Ok(web::Json(service::list_users(&state.db, &filter, page.parse()?).await?))
}

/// Changes a role or disables an account (admins; not their own).
#[utoipa::path(
    operation_id = "updateUser",
    tag = "admin",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = AdminUserUpdate,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated account", body = AdminUser),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cannot_modify_self`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<Uuid>,
    body: ValidJson<AdminUserUpdate>,
) -> Result<web::Json<AdminUser>, ApiError> {
    let user =
        service::admin_update_user(&state.db, &state.users, admin.id(), id.into_inner(), body.0).await?;
    Ok(web::Json(user))
}

/// Changes the email or phone number you sign in with.
///
/// Changes the email or the phone number the caller signs in with (the
/// current password first). A new email gets a confirmation mail and cannot
/// receive password resets until it is confirmed.
#[utoipa::path(
    operation_id = "updateMyIdentifiers",
    tag = "accounts",
    request_body = UpdateIdentifiers,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your profile, changed", body = Me),
        (status = 401, description = "`invalid_credentials`: the current password is wrong", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`email_taken` or `phone_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me/identifiers")]
pub async fn update_identifiers(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<UpdateIdentifiers>,
) -> Result<web::Json<Me>, ApiError> {
    let updated =
        service::update_identifiers(&state.db, &state.users, &state.settings.mail, caller.user, body.0)
            .await?;
    Ok(web::Json(updated.into()))
}

/// Changes your password.
///
/// Changes the caller's password (the current one first). Every other session
/// ends; this one goes on. A temporary password is changed this way too.
#[utoipa::path(
    operation_id = "changeMyPassword",
    tag = "accounts",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "`invalid_credentials`: the current password is wrong", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (too short, or the same as the current one)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let new_password = Password::parse(body.new_password).map_err(|m| invalid("new_password", m))?;
    recovery::change_password(
        &state.db,
        &state.users,
        &caller.user,
        caller.session_id,
        &body.current_password,
        new_password,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Signs out everywhere.
///
/// Signs out everywhere: every session of the caller ends (refresh tokens
/// stop working; access tokens expire within 15 minutes).
#[utoipa::path(
    operation_id = "logoutEverywhere",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out everywhere"),
    )
)]
#[post("/auth/logout-all")]
pub async fn logout_all(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
    sessions::revoke_all(&state.db, caller.id()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Asks for a password reset mail.
///
/// Asks for a password reset mail. The answer is 202 whatever `login` is, so
/// that nobody learns whether an account exists.
///
/// When `login` names an account with a confirmed email, a mail with a link
/// valid 30 minutes (single use) is sent; at most 3 per hour. Accounts without
/// an email get back in with their counsellor (`POST /members/{id}/password-reset`).
#[utoipa::path(
    operation_id = "requestPasswordReset",
    tag = "accounts",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted (whether or not a mail is sent)"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    body: ValidJson<PasswordResetRequest>,
) -> HttpResponse {
    // Answered before the account is even looked up: the time taken tells
    // nothing either. Something that cannot name an account sends nothing.
    if let Ok(named) = Login::parse(&body.0.login) {
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(error) = recovery::request_reset(&state.db, &state.settings.mail, &named).await {
                tracing::warn!(%error, "a password reset request failed");
            }
        });
    }
    HttpResponse::Accepted().finish()
}

/// Sets a new password with the token of a reset mail; every session ends.
#[utoipa::path(
    operation_id = "confirmPasswordReset",
    tag = "accounts",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The new password is set; sign in with it"),
        (status = 400, description = "`invalid_reset_token`: unknown, used or expired", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: ValidJson<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let new_password = Password::parse(body.new_password).map_err(|m| invalid("new_password", m))?;
    recovery::confirm_reset(&state.db, &state.users, &body.token, new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Confirms an email address with the token of its verification mail.
#[utoipa::path(
    operation_id = "verifyEmail",
    tag = "accounts",
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "Confirmed"),
        (status = 400, description = "`invalid_verification_token`: unknown, used, expired, or for an address the account no longer has",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: ValidJson<VerifyEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    recovery::verify_email(&state.db, &state.users, &body.0.token).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(me)
        .service(update_me)
        .service(list_users)
        .service(update_user)
        .service(update_identifiers)
        .service(change_password)
        .service(logout_all)
        .service(request_password_reset)
        .service(confirm_password_reset)
        .service(verify_email);
}
