//! HTTP routes of organisations: admins create them and attach staff; the
//! directory is public; admins and the organisation's managers edit a
//! place's details.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use entity::organization_member::MembershipRole;
use uuid::Uuid;

use super::dto::{
    AttachMember, ChangeMembership, NewOrganization, Organization, OrganizationDetail, OrganizationMember,
    OrganizationName, OrganizationPatch, OrganizationsFilter,
};
use super::{directory, service};
use crate::auth::extractor::MaybeAuthUser;
use crate::auth::{Admin, AuthUser};
use crate::authz::organizations::manager;
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

/// Edits a place: address, contact, opening hours, services, description (admins, its managers).
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
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<OrganizationPatch>,
) -> Result<web::Json<OrganizationDetail>, ApiError> {
    let id = id.into_inner();
    let proof = manager(&state.db, &caller.user, id).await?;
    let mut place = directory::update(&state.db, &proof, body.0).await?;
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
    let role = body.0.role.unwrap_or(MembershipRole::Member);
    let member = service::attach(&state.db, id, body.0.user_id, role).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/organizations/{id}")))
        .json(member))
}

/// Sets an attached person's role in the organisation: manager or member (admins).
#[utoipa::path(
    operation_id = "changeOrganizationMemberRole",
    tag = "organizations",
    params(
        ("id" = Uuid, Path, description = "Organisation id"),
        ("user_id" = Uuid, Path, description = "The attached person's account id"),
    ),
    request_body = ChangeMembership,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The membership with its new role", body = OrganizationMember),
        (status = 400, description = "`malformed_body`, e.g. an unknown `role`", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or that person is not attached to it", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/organizations/{id}/members/{user_id}")]
pub async fn change_member_role(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<ChangeMembership>,
) -> Result<web::Json<OrganizationMember>, ApiError> {
    let (id, user_id) = path.into_inner();
    Ok(web::Json(service::change_role(&state.db, id, user_id, body.0.role).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(detail)
        .service(update)
        .service(attach_member)
        .service(change_member_role);
}
