use actix_web::{get, web};

use super::dto::{Impact, ImpactFilter};
use super::service;
use crate::auth::extractor::AdminOrCounsellor;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Aggregated impact figures per pillar over a period.
///
/// Aggregated figures per pillar over a period: Impose-toi ! per programme and
/// module (enrolments, attendance, completion, RSES before/after), NumériZen
/// lessons, Enchanté matches and sessions. Every figure computed from fewer
/// than K people is withheld.
#[utoipa::path(
    operation_id = "getImpactFigures",
    tag = "impact",
    params(ImpactFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The figures", body = Impact),
        (status = 403, description = "Not an admin nor a counsellor, or another organisation than yours", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `organization_id` unknown or required, `to` before `from`",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/impact")]
pub async fn impact(
    state: web::Data<AppState>,
    caller: AdminOrCounsellor,
    filter: web::Query<ImpactFilter>,
) -> Result<web::Json<Impact>, ApiError> {
    let k = state.settings.impact_min_group;
    Ok(web::Json(service::impact(&state.db, &caller.user, &filter, k).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(impact);
}
