//! Who is calling: the `AuthUser` extractor reads the bearer token, and
//! `Authorized<P>` adds a role policy. Handlers state their access rule in
//! their signature instead of checking roles by hand.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use entity::{Role, user};
use futures_util::future::LocalBoxFuture;
use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller, loaded from the database at each request so that
/// a disabled or erased account, or a changed role, takes effect at once.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
}

impl AuthUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

impl FromRequest for AuthUser {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state =
                state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("AppState is not registered")))?;
            let token = token.ok_or(ApiError::Unauthorized { code: "unauthenticated" })?;
            let user_id =
                state.tokens.verify_access(&token).ok_or(ApiError::Unauthorized { code: "invalid_token" })?;
            let user = user::Entity::find_by_id(user_id)
                .one(&state.db)
                .await
                .map_err(ApiError::from)?
                .filter(|user| user.disabled_at.is_none() && user.erased_at.is_none())
                .ok_or(ApiError::Unauthorized { code: "invalid_token" })?;
            Ok(AuthUser { user })
        })
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
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = AuthUser::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            if P::ALLOWED.contains(&caller.role()) {
                Ok(Authorized(caller, PhantomData))
            } else {
                Err(ApiError::Forbidden.into())
            }
        })
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

/// Admin-only routes.
pub type Admin = Authorized<AdminPolicy>;
/// Routes for counsellors of partner organisations.
pub type Counsellor = Authorized<CounsellorPolicy>;
