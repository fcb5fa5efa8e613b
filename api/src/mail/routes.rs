//! The outbox as admins see it.

use actix_web::{get, web};

use super::dto::{OutboundMessageView, OutboxFilter};
use super::outbox;
use crate::auth::extractor::Admin;
use crate::error::{ApiError, Problem};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Outgoing mails, newest first (admins): to follow deliveries and failures.
#[utoipa::path(
    operation_id = "listOutboundMessages",
    tag = "admin",
    params(OutboxFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of outgoing mails, without their bodies", body = Page<OutboundMessageView>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/outbound-messages")]
pub async fn list_outbound_messages(
    state: web::Data<AppState>,
    _admin: Admin,
    filter: web::Query<OutboxFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<OutboundMessageView>>, ApiError> {
    Ok(web::Json(outbox::list(&state.db, filter.status, page.parse()?).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_outbound_messages);
}
