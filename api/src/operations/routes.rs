use std::time::Duration;

use actix_web::http::header::{self, ContentType, EntityTag, IfNoneMatch};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::client_address::ClientAddress;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::openapi::ApiDocument;
use crate::metrics::HttpMetrics;
use crate::state::AppState;

/// How long readiness waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_secs(1);

#[derive(Serialize, ToSchema)]
pub struct HealthStatus {
    /// Always `ok` when the answer is 200.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: 200 while the process runs.
#[utoipa::path(
    operation_id = "checkLiveness",
    tag = "operations",
    responses((status = 200, description = "The process runs", body = HealthStatus))
)]
#[get("/health/live")]
pub async fn health_live() -> web::Json<HealthStatus> {
    web::Json(HealthStatus { status: "ok" })
}

/// Readiness: 200 when the database answers within one second, else 503.
#[utoipa::path(
    operation_id = "checkReadiness",
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = HealthStatus),
        (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health/ready")]
pub async fn health_ready(state: web::Data<AppState>) -> Result<web::Json<HealthStatus>, ApiError> {
    if db::is_ready(&state.db, READY_TIMEOUT).await {
        Ok(web::Json(HealthStatus { status: "ok" }))
    } else {
        Err(ApiError::Unavailable)
    }
}

/// Prometheus metrics.
///
/// Prometheus metrics: request counts and latency histograms per route and
/// status. Answered only to the networks of `TREMPLIN_METRICS_ALLOW` (the
/// client address, as forwarded by `TREMPLIN_TRUSTED_PROXIES`).
#[utoipa::path(
    operation_id = "getMetrics",
    tag = "operations",
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 403, description = "The client address is not allowed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    client: ClientAddress,
    state: web::Data<AppState>,
    metrics: web::Data<HttpMetrics>,
) -> Result<HttpResponse, ApiError> {
    let allowed =
        client.0.is_some_and(|client| state.settings.metrics_allow.iter().any(|net| net.contains(&client)));
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let body = metrics.render().map_err(anyhow::Error::from)?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body))
}

/// This OpenAPI 3.1 document (identical to `openapi/openapi.json` in the repository).
#[utoipa::path(
    operation_id = "getOpenApiDocument",
    tag = "operations",
    responses(
        (status = 200, description = "The OpenAPI document", body = Object,
            headers(("ETag" = String, description = "Changes when the document changes"))),
        (status = 304, description = "Unchanged since the `If-None-Match` ETag"),
    )
)]
#[get("/api/v1/openapi.json")]
pub async fn openapi_json(
    document: web::Data<ApiDocument>,
    if_none_match: Option<web::Header<IfNoneMatch>>,
) -> HttpResponse {
    let etag = EntityTag::new_strong(document.etag.clone());
    let unchanged = match if_none_match.map(web::Header::into_inner) {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(&etag)),
        None => false,
    };
    let mut response = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response.insert_header(header::ETag(etag));
    if unchanged {
        response.finish()
    } else {
        response.insert_header(ContentType::json()).body(document.json.clone())
    }
}

/// Swagger UI lives under `/docs/`; this sends browsers there.
#[utoipa::path(
    operation_id = "openDocs",
    tag = "operations",
    responses((status = 308, description = "Redirect to the Swagger UI page `/docs/`",
        headers(("Location" = String, description = "`/docs/`"))))
)]
#[get("/docs")]
pub async fn docs() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/docs/")).finish()
}

/// Registers the operations endpoints (collected into the OpenAPI document).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health_live).service(health_ready).service(metrics).service(openapi_json).service(docs);
}
