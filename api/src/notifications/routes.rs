use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use super::service::{self, NotificationView};
use crate::auth::AuthUser;
use crate::error::{ApiError, Problem};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// The caller's notifications, newest first.
#[utoipa::path(
    operation_id = "listMyNotifications",
    tag = "notifications",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of notifications", body = Page<NotificationView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<NotificationView>>, ApiError> {
    Ok(web::Json(service::inbox(&state.db, caller.id(), page.parse()?).await?))
}

/// Marks a notification read.
#[utoipa::path(
    operation_id = "markNotificationRead",
    tag = "notifications",
    params(("id" = Uuid, Path, description = "Notification id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Marked read"),
        (status = 404, description = "No such notification of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/notifications/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service::mark_read(&state.db, caller.id(), id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(mark_read);
}
