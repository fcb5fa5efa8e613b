use actix_web::{get, web};

use super::dto::{Impact, ImpactFilter};
use super::service::{self, Viewer};
use entity::Role;

use crate::auth::Caller;
use crate::auth::scope::ApiScope;
use crate::authz::clients::scoped;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Aggregated impact figures per pillar over a period.
///
/// Aggregated figures per pillar over a period: Impose-toi ! per programme and
/// module (enrolments, attendance, completion, RSES before/after), NumériZen
/// lessons, Enchanté matches and sessions, over whole calendar months. Every
/// figure computed from fewer than K people is withheld, and so is, for one
/// organisation, a figure that differs by 1..K−1 people from the same figure
/// for everyone, or that leaves out 1..K−1 of the organisation's members.
/// An API client with `impact:read` gets its own organisation's figures.
#[utoipa::path(
    operation_id = "getImpactFigures",
    tag = "impact",
    params(ImpactFilter),
    security(("bearer" = []), ("oauth2" = ["impact:read"])),
    responses(
        (status = 200, description = "The figures", body = Impact),
        (status = 403, description = "Not an admin nor a counsellor, or another organisation than yours, or an API \
            client's token without `impact:read` (`insufficient_scope`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `from` or `to` not a whole month `YYYY-MM`, `to` before `from`, `organization_id` unknown or required",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/impact")]
pub async fn impact(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<ImpactFilter>,
) -> Result<web::Json<Impact>, ApiError> {
    let k = state.settings.impact_min_group;
    let impact = match caller {
        Caller::Person(person) if !matches!(person.role(), Role::Admin | Role::Counsellor) => {
            return Err(ApiError::Forbidden);
        }
        Caller::Person(person) => {
            service::impact(&state.db, Viewer::Person(&person.user), &filter, k).await?
        }
        Caller::Client(client) => {
            let scoped = scoped(&client, ApiScope::ImpactRead)?;
            service::impact(&state.db, Viewer::Client(&scoped), &filter, k).await?
        }
    };
    Ok(web::Json(impact))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(impact);
}
