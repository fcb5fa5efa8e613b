//! HTTP routes of organisations: admins create them and attach staff; anyone
//! signed in may read the directory.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use entity::organization_member::MembershipRole;
use uuid::Uuid;

use super::dto::{
    AttachMember, ChangeMembership, NewOrganization, Organization, OrganizationDetail, OrganizationMember,
    OrganizationName, OrganizationsFilter,
};
use super::service;
use crate::auth::{Admin, AuthUser};
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

/// The directory of partner organisations, newest first.
#[utoipa::path(
    operation_id = "listOrganizations",
    tag = "organizations",
    params(OrganizationsFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of organisations", body = Page<Organization>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations")]
pub async fn list(
    state: web::Data<AppState>,
    _caller: AuthUser,
    filter: web::Query<OrganizationsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Organization>>, ApiError> {
    Ok(web::Json(service::list(&state.db, &filter, page.parse()?).await?))
}

/// One organisation with its counsellors and facilitators (no emails).
#[utoipa::path(
    operation_id = "getOrganization",
    tag = "organizations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisation and its members", body = OrganizationDetail),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    _caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<OrganizationDetail>, ApiError> {
    Ok(web::Json(service::detail(&state.db, id.into_inner()).await?))
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
    cfg.service(create).service(list).service(detail).service(attach_member).service(change_member_role);
}
