//! HTTP routes of the journey and of the member's audit log.

use actix_web::{get, web};
use uuid::Uuid;

use super::dto::{AuditEntry, Journey};
use super::service;
use crate::auth::scope::ApiScope;
use crate::auth::{AuthUser, Caller};
use crate::authz::clients::scoped;
use crate::error::{ApiError, Problem};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// A member's journey across the three pillars.
///
/// A member's journey across the three pillars. Answers the member, or a
/// counsellor whose accompaniment the member has consented to and not
/// revoked, or an API client with `members:read` whose organisation's staff
/// holds such an accompaniment; each read by someone else is written to the
/// member's audit log.
#[utoipa::path(
    operation_id = "getMemberJourney",
    tag = "journey",
    params(("id" = Uuid, Path, description = "The member's user id")),
    security(("bearer" = []), ("oauth2" = ["members:read"])),
    responses(
        (status = 200, description = "The journey", body = Journey),
        (status = 403, description = "An API client's token without `members:read` (`insufficient_scope`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such member, or no active consent for you (admins included)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/members/{id}/journey")]
pub async fn journey(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Journey>, ApiError> {
    let member_id = id.into_inner();
    let journey = match caller {
        Caller::Person(person) => service::journey(&state.db, &person.user, member_id).await?,
        Caller::Client(client) => {
            service::client_journey(&state.db, &scoped(&client, ApiScope::MembersRead)?, member_id).await?
        }
    };
    Ok(web::Json(journey))
}

/// Who read your journey, and when (newest first).
///
/// Who read your journey, and when (newest first): the transparency the
/// consent text promises.
#[utoipa::path(
    operation_id = "listMyAuditLog",
    tag = "journey",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of reads", body = Page<AuditEntry>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/audit-log")]
pub async fn audit_log(
    state: web::Data<AppState>,
    caller: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<AuditEntry>>, ApiError> {
    Ok(web::Json(service::audit_log(&state.db, caller.id(), page.parse()?).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(journey).service(audit_log);
}
