//! HTTP routes of organisations: admins create them and attach staff; the
//! directory is public; admins edit a place's details.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use super::dto::{
    AttachMember, NewOrganization, Organization, OrganizationDetail, OrganizationMember, OrganizationName,
    OrganizationPatch, OrganizationsFilter,
};
use super::{directory, service};
use crate::auth::Admin;
use crate::auth::extractor::MaybeAuthUser;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Creates a partner organisation (admins).
#[utoipa::path(
    operation_id = "createOrganization",
    tag = "organizations",
    request_body = NewOrganization,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Organization,
            headers(("Location" = String, description = "The new organisation"))),
        (status = 400, description = "`malformed_body`, e.g. an unknown `kind`", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`name`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/organizations")]
pub async fn create(
    state: web::Data<AppState>,
    _admin: Admin,
    body: ValidJson<NewOrganization>,
) -> Result<HttpResponse, ApiError> {
    let name = OrganizationName::parse(&body.0.name)
        .map_err(|message| ApiError::validation("name", "length", message))?;
    let org = service::create(&state.db, name, body.0.kind).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/organizations/{}", org.id)))
        .json(org))
}

const OPTIONAL_TOKEN: &str = "A bearer token was sent but is invalid or expired (`invalid_token`); without one the directory is public";

/// The public directory of places, newest first.
#[utoipa::path(
    operation_id = "listOrganizations",
    tag = "organizations",
    params(OrganizationsFilter, PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of organisations", body = Page<Organization>),
        (status = 400, description = "`malformed_query`, e.g. an unknown `kind` or `service`", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = OPTIONAL_TOKEN, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`, `departement` or `q`", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/organizations")]
pub async fn list(
    state: web::Data<AppState>,
    _caller: MaybeAuthUser,
    filter: web::Query<OrganizationsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    Ok(web::Json(directory::list(&state.db, &filter, page.parse()?).await?))
}

/// One place of the directory with its opening hours.
///
/// Signed-in callers also see the names of its counsellors and facilitators
/// (never their contact); the public does not.
#[utoipa::path(
    operation_id = "getOrganization",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The place", body = OrganizationDetail),
        (status = 401, description = OPTIONAL_TOKEN, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    caller: MaybeAuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<OrganizationDetail>, ApiError> {
    let id = id.into_inner();
    let mut place = directory::detail(&state.db, id).await?;
    if caller.0.is_some() {
        place.members = Some(service::members(&state.db, id).await?);
    }
    Ok(web::Json(place))
}

/// Edits a place: address, contact, opening hours, services, description.
#[utoipa::path(
    operation_id = "updateOrganization",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = OrganizationPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The place as it now is", body = OrganizationDetail),
        (status = 400, description = "`malformed_body`, e.g. an unknown service", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "Neither an admin nor a manager of this organisation", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `address.postcode`, `address.insee_code`, `phone`, \
            `email`, `website` (`url`), `opening_hours.timezone`, `opening_hours.slots[i].start|end`, `services`...",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organizations/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<Uuid>,
    body: ValidJson<OrganizationPatch>,
) -> Result<web::Json<OrganizationDetail>, ApiError> {
    let id = id.into_inner();
    let mut place = directory::update(&state.db, id, body.0).await?;
    let _ = admin;
    place.members = Some(service::members(&state.db, id).await?);
    Ok(web::Json(place))
}

/// Attaches a counsellor or facilitator to an organisation (admins).
#[utoipa::path(
    operation_id = "attachOrganizationMember",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = AttachMember,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Attached", body = OrganizationMember,
            headers(("Location" = String, description = "The organisation, which lists its members"))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_member`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `user_id`: `unknown_user` (no such active account) \
            or `role` (not a counsellor or facilitator)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/members")]
pub async fn attach_member(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<Uuid>,
    body: ValidJson<AttachMember>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let member = service::attach(&state.db, id, body.0.user_id).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/organizations/{id}")))
        .json(member))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create).service(list).service(detail).service(update).service(attach_member);
}
