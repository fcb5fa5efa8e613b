use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use uuid::Uuid;

use super::dto::{
    CreateSkill, DeclareSkill, IntentFilter, MemberSkillView, PublicProfile, SkillDetail, SkillView,
    SkillsFilter, UpdateSkill,
};
use super::{profiles, service};
use crate::accounts;
use crate::auth::{Admin, AuthUser};
use crate::cache::Stale;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// The skills catalogue, in code order.
#[utoipa::path(
    operation_id = "listSkills",
    tag = "skills",
    params(SkillsFilter, PageParams),
    responses(
        (status = 200, description = "A page of skills", body = Page<SkillView>),
        (status = 422, description = "Invalid `limit` or `q`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/skills")]
pub async fn list(
    state: web::Data<AppState>,
    filter: web::Query<SkillsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<SkillView>>, ApiError> {
    Ok(web::Json(service::list(&state.db, &filter, page.parse()?).await?))
}

/// One skill with its children.
#[utoipa::path(
    operation_id = "getSkill",
    tag = "skills",
    params(("id" = Uuid, Path, description = "Skill id")),
    responses(
        (status = 200, description = "The skill", body = SkillDetail),
        (status = 404, description = "No such skill", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/skills/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<SkillDetail>, ApiError> {
    Ok(web::Json(service::detail(&state.db, id.into_inner()).await?))
}

/// Adds a skill to the catalogue (admins).
#[utoipa::path(
    operation_id = "createSkill",
    tag = "skills",
    request_body = CreateSkill,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = SkillView,
            headers(("Location" = String, description = "The new skill"))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`skill_code_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/skills")]
pub async fn create(
    state: web::Data<AppState>,
    _admin: Admin,
    body: ValidJson<CreateSkill>,
) -> Result<HttpResponse, ApiError> {
    let skill = service::create(&state.db, body.0).await?;
    state.forget(Stale::Catalogue);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/skills/{}", skill.id)))
        .json(skill))
}

/// Edits a skill (admins); its code never changes.
#[utoipa::path(
    operation_id = "updateSkill",
    tag = "skills",
    params(("id" = Uuid, Path, description = "Skill id")),
    request_body = UpdateSkill,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = SkillView),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such skill", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/skills/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    _admin: Admin,
    id: web::Path<Uuid>,
    body: ValidJson<UpdateSkill>,
) -> Result<web::Json<SkillView>, ApiError> {
    let skill = service::update(&state.db, id.into_inner(), body.0).await?;
    state.forget(Stale::Catalogue);
    Ok(web::Json(skill))
}

/// The skills you want to learn and those you offer, in catalogue order (all of them: one page).
#[utoipa::path(
    operation_id = "listMySkills",
    tag = "skills",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your skills", body = Page<MemberSkillView>),
    )
)]
#[get("/me/skills")]
pub async fn my_skills(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Page<MemberSkillView>>, ApiError> {
    let items = service::member_skills(&state.db, caller.id()).await?;
    Ok(web::Json(Page { items, next_cursor: None }))
}

/// Declares a skill you want to learn or offer, or changes its level.
#[utoipa::path(
    operation_id = "declareMySkill",
    tag = "skills",
    params(("skill_id" = Uuid, Path, description = "Skill id")),
    request_body = DeclareSkill,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Declared", body = MemberSkillView),
        (status = 404, description = "No such skill", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Level outside 1..level_max", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/skills/{skill_id}")]
pub async fn declare(
    state: web::Data<AppState>,
    caller: AuthUser,
    skill_id: web::Path<Uuid>,
    body: ValidJson<DeclareSkill>,
) -> Result<web::Json<MemberSkillView>, ApiError> {
    Ok(web::Json(service::declare(&state.db, caller.id(), skill_id.into_inner(), body.0).await?))
}

/// Removes a declared skill (`?kind=want|offer`, both when absent).
#[utoipa::path(
    operation_id = "withdrawMySkill",
    tag = "skills",
    params(("skill_id" = Uuid, Path, description = "Skill id"), IntentFilter),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "You had not declared it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/skills/{skill_id}")]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: AuthUser,
    skill_id: web::Path<Uuid>,
    filter: web::Query<IntentFilter>,
) -> Result<HttpResponse, ApiError> {
    service::withdraw(&state.db, caller.id(), skill_id.into_inner(), filter.kind).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A public profile: never the email.
#[utoipa::path(
    operation_id = "getUserProfile",
    tag = "accounts",
    params(("id" = Uuid, Path, description = "User id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The public profile", body = PublicProfile),
        (status = 404, description = "No such visible user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn public_profile(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<PublicProfile>, ApiError> {
    let user = accounts::service::visible_user(&state.db, id.into_inner()).await?;
    // A blocked pair (either way) does not see each other.
    crate::authz::mentoring::visible(&state.db, caller.id(), user.id).await?.ok_or(ApiError::NotFound)?;
    Ok(web::Json(profiles::public_profile(&state.db, user).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(detail)
        .service(create)
        .service(update)
        .service(my_skills)
        .service(declare)
        .service(withdraw)
        .service(public_profile);
}
