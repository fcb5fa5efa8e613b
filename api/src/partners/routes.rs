//! HTTP routes of partners: an organisation's API clients (admins and the
//! organisation's managers), the OAuth 2.0 token endpoint, and the reads an
//! API client makes of the members its organisation accompanies.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, delete, get, post, web};
use uuid::Uuid;

use super::dto::{
    AccompaniedMember, ApiClientView, CreatedApiClient, NewApiClient, OAuthError, TokenForm, TokenGrant,
};
use super::oauth::{self, TokenError, TokenRequest};
use super::{clients, dto::OAuthErrorCode};
use crate::auth::scope::ApiScope;
use crate::auth::{AuthUser, ClientCaller};
use crate::authz::clients::scoped;
use crate::authz::organizations::manager;
use crate::client_address::ClientAddress;
use crate::error::{ApiError, OwnErrorFormat, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Creates an API client for an organisation.
///
/// Creates an API client (OAuth 2.0 client credentials) for the organisation.
/// The `client_secret` is in this answer only: only its hash is kept.
#[utoipa::path(
    operation_id = "createApiClient",
    tag = "partners",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = NewApiClient,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created, with its secret (shown once)", body = CreatedApiClient,
            headers(("Location" = String, description = "The organisation's list of clients"))),
        (status = 400, description = "`malformed_body`, e.g. an unknown scope", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "Not an admin nor a manager of this organisation, or an API client's token (`person_required`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`name`, `scopes`: none, or one twice)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/api-clients")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<NewApiClient>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    let created = clients::create(&state.db, manager, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/organizations/{id}/api-clients")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(created))
}

/// The organisation's API clients, newest first (never their secrets).
#[utoipa::path(
    operation_id = "listApiClients",
    tag = "partners",
    params(("id" = Uuid, Path, description = "Organisation id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of clients, revoked ones included", body = Page<ApiClientView>),
        (status = 403, description = "Not an admin nor a manager of this organisation", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/api-clients")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<ApiClientView>>, ApiError> {
    let page = page.parse()?;
    let manager = manager(&state.db, &caller.user, id.into_inner()).await?;
    Ok(web::Json(clients::list(&state.db, manager, page).await?))
}

/// Revokes an API client: its tokens stop working at once.
#[utoipa::path(
    operation_id = "revokeApiClient",
    tag = "partners",
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("client_id" = Uuid, Path, description = "The client's id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked (also when it already was)"),
        (status = 403, description = "Not an admin nor a manager of this organisation", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or no such client of it", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{id}/api-clients/{client_id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, client_id) = path.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    clients::revoke(&state.db, manager, client_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Issues an API client's access token (OAuth 2.0 client credentials).
///
/// RFC 6749 §4.4. Authenticate the client by HTTP Basic (id and secret
/// form-urlencoded, §2.3.1) or by `client_id` and `client_secret` in the
/// form, not both. Errors are RFC 6749 §5.2 JSON, not problem+json, except
/// 429 (failed authentications are throttled as logins) and 503.
#[utoipa::path(
    operation_id = "issueClientToken",
    tag = "partners",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The token (`Cache-Control: no-store`)", body = TokenGrant),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type` or `invalid_scope`", body = OAuthError),
        (status = 401, description = "`invalid_client`: unknown or revoked client, wrong secret, or none \
            (`WWW-Authenticate: Basic`)", body = OAuthError),
        (status = 429, description = "Too many failed authentications of this client or from this address", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/oauth/token")]
pub async fn token(
    state: web::Data<AppState>,
    request: HttpRequest,
    address: ClientAddress,
    body: web::Bytes,
) -> HttpResponse {
    let header = |name| request.headers().get(name).and_then(|value: &HeaderValue| value.to_str().ok());
    let token_request = TokenRequest {
        content_type: header(header::CONTENT_TYPE),
        authorization: header(header::AUTHORIZATION),
        body: &body,
        address: address.0,
    };
    match oauth::token(&state.db, &state.tokens, &state.throttle, token_request).await {
        Ok(grant) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(grant),
        Err(TokenError::OAuth { code, description, basic }) => {
            let mut answer = if code == OAuthErrorCode::InvalidClient {
                HttpResponse::Unauthorized()
            } else {
                HttpResponse::BadRequest()
            };
            if basic {
                answer
                    .insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"tremplin\", charset=\"UTF-8\""));
            }
            let mut answer = answer
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(OAuthError { error: code, error_description: Some(description) });
            answer.extensions_mut().insert(OwnErrorFormat);
            answer
        }
        Err(TokenError::Api(error)) => error.error_response(),
    }
}

/// The members the client's organisation accompanies with their consent.
///
/// For an API client with `members:read`, of its own organisation: the
/// members with an active accompaniment by someone of it, oldest
/// accompaniment first (a member accompanied by two of its counsellors is
/// listed twice). Their journeys are at `GET /members/{id}/journey`.
#[utoipa::path(
    operation_id = "listAccompaniedMembers",
    tag = "partners",
    params(("id" = Uuid, Path, description = "The client's organisation"), PageParams),
    security(("oauth2" = ["members:read"])),
    responses(
        (status = 200, description = "A page of members", body = Page<AccompaniedMember>),
        (status = 403, description = "A person's token (`forbidden`), or no `members:read` (`insufficient_scope`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not the client's organisation", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/accompanied-members")]
pub async fn accompanied_members(
    state: web::Data<AppState>,
    caller: ClientCaller,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<AccompaniedMember>>, ApiError> {
    let scoped = scoped(&caller, ApiScope::MembersRead)?;
    if scoped.organization_id() != id.into_inner() {
        return Err(ApiError::NotFound);
    }
    Ok(web::Json(clients::accompanied_members(&state.db, &scoped, page.parse()?).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create).service(list).service(revoke).service(token).service(accompanied_members);
}
