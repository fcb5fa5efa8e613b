//! HTTP routes of the credentials: the member's, revocation, verification
//! and the issuer's public documents.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use uuid::Uuid;

use super::dto::{
    CredentialDetail, CredentialQuery, CredentialSummary, RevokeCredential, Verification, VerifyCredential,
};
use super::issuer::Urls;
use super::{keys, service, verify as verification};
use crate::auth::AuthUser;
use crate::auth::extractor::Author;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// The media type of a bare VC-JWT.
const VC_JWT: &str = "application/vc+jwt";

/// Whether the client asked for the bare VC-JWT rather than JSON.
fn wants_jwt(req: &HttpRequest) -> bool {
    req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| {
        accept.split(',').any(|range| range.split(';').next().map(str::trim) == Some(VC_JWT))
    })
}

fn jwt_response(jwt: String) -> HttpResponse {
    HttpResponse::Ok().content_type(VC_JWT).body(jwt)
}

/// Your credentials, newest first.
#[utoipa::path(
    operation_id = "listMyCredentials",
    tag = "credentials",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of your awards", body = Page<CredentialSummary>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/credentials")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<CredentialSummary>>, ApiError> {
    Ok(web::Json(service::list(&state.db, &state.settings.credentials, caller.id(), page.parse()?).await?))
}

/// One of your credentials, signed (VC-JWT).
///
/// One of your awards with its `OpenBadgeCredential` as a VC-JWT (RS256,
/// `typ: vc+jwt`, the key's `kid`). With `Accept: application/vc+jwt` the
/// answer is the bare JWT. `?with_email=true` adds your email, salted and
/// hashed, to the credential's subject.
#[utoipa::path(
    operation_id = "getMyCredential",
    tag = "credentials",
    params(("id" = Uuid, Path, description = "Credential (award) id"), CredentialQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The award and its credential",
            content((CredentialDetail = "application/json"), (String = "application/vc+jwt"))),
        (status = 404, description = "No such credential of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`with_email` on an account without email", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/me/credentials/{id}")]
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<CredentialQuery>,
) -> Result<HttpResponse, ApiError> {
    let with_email = query.with_email.unwrap_or(false);
    let detail =
        service::detail(&state.db, &state.settings.credentials, &caller.user, id.into_inner(), with_email)
            .await?;
    if wants_jwt(&req) {
        return Ok(jwt_response(detail.credential));
    }
    Ok(HttpResponse::Ok().json(detail))
}

/// Your badge image with its credential baked in (OB 3.0 SVG baking).
#[utoipa::path(
    operation_id = "getMyBakedBadge",
    tag = "credentials",
    params(("id" = Uuid, Path, description = "Credential (award) id"), CredentialQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The SVG with an `<openbadges:credential>` element holding the VC-JWT",
            body = String, content_type = "image/svg+xml"),
        (status = 404, description = "No such credential of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`with_email` on an account without email", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/me/credentials/{id}/badge.svg")]
pub async fn baked_badge(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<CredentialQuery>,
) -> Result<HttpResponse, ApiError> {
    let with_email = query.with_email.unwrap_or(false);
    let svg = service::baked_badge(
        &state.db,
        &state.settings.credentials,
        &caller.user,
        id.into_inner(),
        with_email,
    )
    .await?;
    Ok(HttpResponse::Ok().content_type("image/svg+xml").body(svg))
}

/// Revoke a credential (facilitators and admins).
///
/// Revokes an award: its bit in the status list is set, verifiers see it
/// revoked, and the member is told the reason.
#[utoipa::path(
    operation_id = "revokeCredential",
    tag = "credentials",
    params(("id" = Uuid, Path, description = "Credential (award) id")),
    request_body = RevokeCredential,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Revoked", body = CredentialSummary),
        (status = 403, description = "Not a facilitator or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such credential", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`credential_revoked`: already revoked", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`reason` missing or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/credentials/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Author,
    id: web::Path<Uuid>,
    body: ValidJson<RevokeCredential>,
) -> Result<web::Json<CredentialSummary>, ApiError> {
    let revoked =
        service::revoke(&state.db, &state.settings.credentials, caller.id(), id.into_inner(), &body.0.reason)
            .await?;
    Ok(web::Json(revoked))
}

/// Verify a credential (anyone).
///
/// Checks a VC-JWT against this issuer's published keys, its dates and
/// issuer, and its revocation status. A credential that fails is still a
/// 200, with `valid: false` and the reasons in `errors`.
#[utoipa::path(
    operation_id = "verifyCredential",
    tag = "credentials",
    request_body = VerifyCredential,
    responses(
        (status = 200, description = "What the verification found", body = Verification),
        (status = 422, description = "`credential` missing or too long", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/credentials/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    body: ValidJson<VerifyCredential>,
) -> Result<web::Json<Verification>, ApiError> {
    Ok(web::Json(
        verification::verify(&state.db, &state.settings.credentials, body.0.credential.trim()).await?,
    ))
}

/// The issuer's Open Badges profile.
#[utoipa::path(
    operation_id = "getIssuer",
    tag = "credentials",
    responses((status = 200, description = "The OB 3.0 `Profile` whose URL is the issuer id", body = Object))
)]
#[get("/issuer")]
pub async fn issuer(state: web::Data<AppState>) -> web::Json<serde_json::Value> {
    web::Json(Urls(&state.settings.credentials).profile())
}

/// An achievement (OB 3.0 `Achievement`, in French).
#[utoipa::path(
    operation_id = "getAchievement",
    tag = "credentials",
    params(("key" = String, Path, description = "The achievement's key, e.g. `digcomp.1.1.level-2`")),
    responses(
        (status = 200, description = "The achievement credentials point to", body = Object),
        (status = 404, description = "No such achievement", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/achievements/{key}")]
pub async fn achievement(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<web::Json<serde_json::Value>, ApiError> {
    Ok(web::Json(service::public_achievement(&state.db, &state.settings.credentials, &key).await?))
}

/// An achievement's badge image.
#[utoipa::path(
    operation_id = "getAchievementImage",
    tag = "credentials",
    params(("key" = String, Path, description = "The achievement's key")),
    responses(
        (status = 200, description = "The badge image", body = String, content_type = "image/svg+xml"),
        (status = 404, description = "No such achievement", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/achievements/{key}/image.svg")]
pub async fn achievement_image(key: web::Path<String>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().content_type("image/svg+xml").body(service::achievement_image(&key)?))
}

/// A revocation status list (W3C Bitstring Status List).
///
/// The `BitstringStatusListCredential` credentials point to: a GZIP,
/// base64url (multibase `u`) bitstring of 131,072 entries, bit set =
/// revoked. With `Accept: application/vc+jwt`, the same credential signed.
#[utoipa::path(
    operation_id = "getStatusList",
    tag = "credentials",
    params(("id" = i32, Path, description = "List number, from 1")),
    responses(
        (status = 200, description = "The status list credential",
            content((Object = "application/json"), (String = "application/vc+jwt"))),
        (status = 404, description = "No such list", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/status-lists/{id}")]
pub async fn status_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let (credential, jwt) =
        service::status_list_credential(&state.db, &state.settings.credentials, id.into_inner()).await?;
    if wants_jwt(&req) {
        return Ok(jwt_response(jwt));
    }
    Ok(HttpResponse::Ok().json(credential))
}

/// The issuer's public keys (JWKS).
///
/// Every key that ever signed a credential (RS256), named by `kid`.
#[utoipa::path(
    operation_id = "getCredentialKeys",
    tag = "credentials",
    responses((status = 200, description = "A JSON Web Key Set", body = Object))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> Result<web::Json<jsonwebtoken::jwk::JwkSet>, ApiError> {
    Ok(web::Json(keys::published(&state.db).await?))
}

/// Routes under `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(baked_badge)
        .service(detail)
        .service(revoke)
        .service(verify)
        .service(issuer)
        .service(achievement_image)
        .service(achievement)
        .service(status_list);
}

/// Routes at the root: `/.well-known/` is not versioned (RFC 8615).
pub fn configure_root(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(jwks);
}
