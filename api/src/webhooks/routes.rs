//! HTTP routes of an organisation's webhooks, for admins and the
//! organisation's managers (`authz::organizations::manager`).

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use uuid::Uuid;

use super::dto::{CreatedWebhook, DeliveryView, NewWebhook, RotatedSecret, WebhookChanges, WebhookView};
use super::{deliveries, endpoints};
use crate::auth::AuthUser;
use crate::authz::organizations::manager;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Registers an endpoint for the organisation's events; the signing secret is shown this once.
#[utoipa::path(
    operation_id = "createWebhook",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = NewWebhook,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered; keep the secret, it is not shown again", body = CreatedWebhook,
            headers(("Location" = String, description = "The new endpoint"))),
        (status = 400, description = "`malformed_body`, e.g. an unknown event", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `url` (not https, private address, malformed), \
            `events` (empty), `description` (too long)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    let manager = manager(&state.db, &caller.user, id.into_inner()).await?;
    let created =
        endpoints::create(&state.db, manager, &body.0, state.settings.webhooks.allow_private).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organizations/{}/webhooks/{}", manager.organization_id(), created.id),
        ))
        .json(created))
}

/// The organisation's endpoints, newest first (never their secrets).
#[utoipa::path(
    operation_id = "listWebhooks",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Organisation id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of endpoints", body = Page<WebhookView>),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<WebhookView>>, ApiError> {
    let manager = manager(&state.db, &caller.user, id.into_inner()).await?;
    Ok(web::Json(endpoints::list(&state.db, manager, page.parse()?).await?))
}

/// One endpoint.
#[utoipa::path(
    operation_id = "getWebhook",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Organisation id"), ("wid" = Uuid, Path, description = "Endpoint id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The endpoint", body = WebhookView),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or endpoint", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/webhooks/{wid}")]
pub async fn detail(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<WebhookView>, ApiError> {
    let (id, wid) = path.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    Ok(web::Json(endpoints::find(&state.db, manager, wid).await?.into()))
}

/// Pauses or resumes an endpoint, or changes its URL, events or description.
#[utoipa::path(
    operation_id = "updateWebhook",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Organisation id"), ("wid" = Uuid, Path, description = "Endpoint id")),
    request_body = WebhookChanges,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The endpoint as changed", body = WebhookView),
        (status = 400, description = "`malformed_body`, e.g. an unknown event", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or endpoint", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `url`, `events` or `description`", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/organizations/{id}/webhooks/{wid}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<WebhookChanges>,
) -> Result<web::Json<WebhookView>, ApiError> {
    let (id, wid) = path.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    let allow_private = state.settings.webhooks.allow_private;
    Ok(web::Json(endpoints::update(&state.db, manager, wid, &body.0, allow_private).await?))
}

/// Deletes an endpoint, its queued deliveries and their history.
#[utoipa::path(
    operation_id = "deleteWebhook",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Organisation id"), ("wid" = Uuid, Path, description = "Endpoint id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or endpoint", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/organizations/{id}/webhooks/{wid}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, wid) = path.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    endpoints::delete(&state.db, manager, wid).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotates the signing secret: the new one is shown once, the old one still signs for 24 h.
///
/// Deliveries then carry both signatures, space-separated, in `webhook-signature`.
#[utoipa::path(
    operation_id = "rotateWebhookSecret",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Organisation id"), ("wid" = Uuid, Path, description = "Endpoint id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new secret", body = RotatedSecret),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or endpoint", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/webhooks/{wid}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<RotatedSecret>, ApiError> {
    let (id, wid) = path.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    Ok(web::Json(endpoints::rotate_secret(&state.db, manager, wid).await?))
}

/// The endpoint's deliveries, newest first, each with its tries (status code, latency, next retry).
#[utoipa::path(
    operation_id = "listWebhookDeliveries",
    tag = "webhooks",
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("wid" = Uuid, Path, description = "Endpoint id"),
        PageParams,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<DeliveryView>),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or endpoint", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/webhooks/{wid}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<DeliveryView>>, ApiError> {
    let (id, wid) = path.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    Ok(web::Json(deliveries::list(&state.db, manager, wid, page.parse()?).await?))
}

/// Sends a delivery again now, with the same `webhook-id` and a fresh budget of tries.
#[utoipa::path(
    operation_id = "redeliverWebhook",
    tag = "webhooks",
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("wid" = Uuid, Path, description = "Endpoint id"),
        ("did" = Uuid, Path, description = "Delivery id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Queued; `GET …/deliveries` shows how it goes"),
        (status = 403, description = "May not manage this organisation's webhooks", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, endpoint or delivery", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`webhook_delivery_dropped`: the member no longer consents to the organisation",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/webhooks/{wid}/deliveries/{did}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, wid, did) = path.into_inner();
    let manager = manager(&state.db, &caller.user, id).await?;
    let txn = db::begin_write(&state.db).await?;
    deliveries::redeliver(&txn, manager, wid, did).await?;
    txn.commit().await?;
    Ok(HttpResponse::Accepted().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(detail)
        .service(update)
        .service(remove)
        .service(rotate_secret)
        .service(list_deliveries)
        .service(redeliver);
}
