//! Who is calling. The `authenticate` middleware checks the bearer token and
//! loads the account once per request, before any handler argument is
//! extracted; the `AuthUser` and `Authorized<P>` extractors then answer at
//! once, so an unauthorised caller gets 401/403 before any body is judged.
//! Handlers state their access rule in their signature instead of checking
//! roles by hand.
//!
//! An organisation's API client (its token from `POST /oauth/token`) is a
//! `ClientCaller`, never an `AuthUser`: routes where a person acts answer it
//! 403 `person_required`; routes open to partners take a [`Caller`]. Its row
//! is read at every request, uncached, so a revoked client's tokens stop at
//! once.

use std::collections::BTreeSet;
use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, web};
use entity::{Role, api_client, user};
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::scope::{ApiScope, parse_scopes};
use super::token::ClientAccess;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The authenticated caller, loaded from the database at each request so that
/// a disabled or erased account, or a changed role, takes effect at once.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
    /// The session the access token belongs to (tokens issued before
    /// sessions were named carry none).
    pub session_id: Option<Uuid>,
}

impl AuthUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }
}

/// An organisation's API client, calling with a token of `POST /oauth/token`.
#[derive(Debug, Clone)]
pub struct ClientCaller {
    pub client: api_client::Model,
    /// The scopes the token grants (a subset of the client's).
    pub scopes: BTreeSet<ApiScope>,
}

impl ClientCaller {
    pub fn has(&self, scope: ApiScope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// What `authenticate` found, kept in the request extensions.
#[derive(Clone)]
enum Authentication {
    Valid(Box<AuthUser>),
    Client(Box<ClientCaller>),
    Invalid,
    /// A temporary password must be changed before anything else.
    PasswordChangeRequired,
    /// The database did not answer: 503, not 401.
    Unavailable,
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Authenticates API requests that carry a bearer token. Accounts are read
/// through a short cache (`AppState::users`): a change to an account drops
/// its entry on every replica (see `cache::announce`), `USER_CACHE_TTL` at worst.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let path = req.path();
    let is_api = path.starts_with("/api/v1/") && path != "/api/v1/openapi.json";
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let bearer = match (bearer_token(req.headers()), &state) {
        (Some(token), Some(state)) if is_api => {
            Some(state.tokens.verify_access(token).ok_or_else(|| state.tokens.verify_client(token)))
        }
        _ => None,
    };
    if let (Some(access), Some(state)) = (bearer, state) {
        let found = match access {
            Err(None) => Authentication::Invalid,
            Err(Some(client)) => api_client(&state, client).await,
            Ok(access) => match account(&state, access.user_id).await {
                Ok(Some(user)) if user.disabled_at.is_none() && user.erased_at.is_none() => {
                    crate::i18n::prefer_account_locale(&user.locale);
                    if user.password_change_required && !allowed_before_password_change(&req) {
                        Authentication::PasswordChangeRequired
                    } else {
                        Authentication::Valid(Box::new(AuthUser { user, session_id: access.session_id }))
                    }
                }
                Ok(_) => Authentication::Invalid,
                Err(error) => {
                    tracing::warn!(%error, "authentication could not read the account");
                    Authentication::Unavailable
                }
            },
        };
        req.extensions_mut().insert(found);
    }
    next.call(req).await
}

/// The client of a valid client token, if it still exists unrevoked.
async fn api_client(state: &AppState, access: ClientAccess) -> Authentication {
    match api_client::Entity::find_by_id(access.client_id).one(&state.db).await {
        Ok(Some(client)) if client.revoked_at.is_none() => {
            let held = parse_scopes(&client.scopes).unwrap_or_default();
            let scopes =
                parse_scopes(&access.scope).unwrap_or_default().intersection(&held).copied().collect();
            Authentication::Client(Box::new(ClientCaller { client, scopes }))
        }
        Ok(_) => Authentication::Invalid,
        Err(error) => {
            tracing::warn!(%error, "authentication could not read the API client");
            Authentication::Unavailable
        }
    }
}

/// While a temporary password is in use, only changing it (and signing out)
/// is allowed.
fn allowed_before_password_change(req: &ServiceRequest) -> bool {
    req.method() == actix_web::http::Method::POST
        && matches!(req.path(), "/api/v1/me/password" | "/api/v1/auth/logout" | "/api/v1/auth/logout-all")
}

async fn account(state: &AppState, id: Uuid) -> Result<Option<user::Model>, sea_orm::DbErr> {
    state.users.get_or_find(id, user::Entity::find_by_id(id).one(&state.db)).await
}

/// The caller's id when the request is authenticated (for middlewares).
pub fn authenticated_user_id(req: &ServiceRequest) -> Option<Uuid> {
    match req.extensions().get::<Authentication>() {
        Some(Authentication::Valid(caller)) => Some(caller.id()),
        _ => None,
    }
}

impl FromRequest for AuthUser {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let outcome = match req.extensions().get::<Authentication>() {
            Some(Authentication::Valid(caller)) => Ok(caller.as_ref().clone()),
            Some(Authentication::Client(_)) => Err(ApiError::denied(ErrorCode::PersonRequired, &[])),
            Some(other) => Err(refusal(other)),
            None => Err(ApiError::Unauthorized { code: ErrorCode::Unauthenticated }),
        };
        ready(outcome.map_err(Into::into))
    }
}

/// Why a request that is neither a person's nor a client's is refused.
fn refusal(found: &Authentication) -> ApiError {
    match found {
        Authentication::PasswordChangeRequired => ApiError::PasswordChangeRequired,
        Authentication::Unavailable => ApiError::Unavailable,
        _ => ApiError::Unauthorized { code: ErrorCode::InvalidToken },
    }
}

/// Who calls a route open to persons and to organisations' API clients.
#[derive(Debug, Clone)]
pub enum Caller {
    Person(AuthUser),
    Client(ClientCaller),
}

impl FromRequest for Caller {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let outcome = match req.extensions().get::<Authentication>() {
            Some(Authentication::Client(client)) => Ok(Caller::Client(client.as_ref().clone())),
            _ => AuthUser::from_request(req, payload).into_inner().map(Caller::Person),
        };
        ready(outcome)
    }
}

impl FromRequest for ClientCaller {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    /// Routes for API clients only: a person's token gets 403.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let outcome = match req.extensions().get::<Authentication>() {
            Some(Authentication::Client(client)) => Ok(client.as_ref().clone()),
            Some(Authentication::Valid(_)) => Err(ApiError::Forbidden),
            Some(other) => Err(refusal(other)),
            None => Err(ApiError::Unauthorized { code: ErrorCode::Unauthenticated }),
        };
        ready(outcome.map_err(Into::into))
    }
}

/// The caller of a route also open to visitors without an account: `None`
/// when no bearer token was sent. A token that is sent is checked as on every
/// other route (401 `invalid_token`), so a forged or stale session is told so
/// instead of silently getting the anonymous view.
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequest for MaybeAuthUser {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // An API client reads public routes as a visitor does.
        let sent_a_token = req
            .extensions()
            .get::<Authentication>()
            .is_some_and(|found| !matches!(found, Authentication::Client(_)));
        if !sent_a_token {
            return ready(Ok(MaybeAuthUser(None)));
        }
        ready(AuthUser::from_request(req, payload).into_inner().map(|caller| MaybeAuthUser(Some(caller))))
    }
}

/// Which roles may call a route.
pub trait RolePolicy {
    const ALLOWED: &'static [Role];
}

/// An authenticated caller whose role satisfies `P`; anyone else gets 403.
pub struct Authorized<P: RolePolicy>(pub AuthUser, PhantomData<P>);

impl<P: RolePolicy> std::ops::Deref for Authorized<P> {
    type Target = AuthUser;
    fn deref(&self) -> &AuthUser {
        &self.0
    }
}

impl<P: RolePolicy + 'static> FromRequest for Authorized<P> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let outcome = AuthUser::from_request(req, payload).into_inner().and_then(|caller| {
            if P::ALLOWED.contains(&caller.role()) {
                Ok(Authorized(caller, PhantomData))
            } else {
                Err(ApiError::Forbidden.into())
            }
        });
        ready(outcome)
    }
}

pub struct AdminPolicy;
impl RolePolicy for AdminPolicy {
    const ALLOWED: &'static [Role] = &[Role::Admin];
}

pub struct CounsellorPolicy;
impl RolePolicy for CounsellorPolicy {
    const ALLOWED: &'static [Role] = &[Role::Counsellor];
}

pub struct AuthorPolicy;
impl RolePolicy for AuthorPolicy {
    const ALLOWED: &'static [Role] = &[Role::Facilitator, Role::Admin];
}

/// Admin-only routes.
pub type Admin = Authorized<AdminPolicy>;
/// Routes for those who write lessons (facilitators and admins).
pub type Author = Authorized<AuthorPolicy>;
/// Routes for counsellors of partner organisations.
pub type Counsellor = Authorized<CounsellorPolicy>;

pub struct AdminOrCounsellorPolicy;
impl RolePolicy for AdminOrCounsellorPolicy {
    const ALLOWED: &'static [Role] = &[Role::Admin, Role::Counsellor];
}

/// Routes for admins and counsellors (impact figures: counsellors see their
/// own organisation's).
pub type AdminOrCounsellor = Authorized<AdminOrCounsellorPolicy>;
