use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};

use super::dto::{AssessmentView, NewAssessment};
use super::service;
use crate::auth::AuthUser;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Records a self-assessment (RSES) and returns its score.
///
/// Records your self-assessment (RSES) before or after a module or the
/// programme, and gives its score (10..40; items 2, 5, 6, 8, 9 reverse-scored).
#[utoipa::path(
    operation_id = "createAssessment",
    tag = "assessments",
    request_body = NewAssessment,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = AssessmentView,
            headers(("Location" = String, description = "`/api/v1/me/assessments`"))),
        (status = 422, description = "`validation_failed`: `answers` (10 needed), `answers[3]` (1..4), unknown `program_id` or `module_id`",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assessments")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<NewAssessment>,
) -> Result<HttpResponse, ApiError> {
    let assessment = service::create(&state.db, caller.id(), body.0).await?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, "/api/v1/me/assessments")).json(assessment))
}

/// Your self-assessments, newest first.
#[utoipa::path(
    operation_id = "listMyAssessments",
    tag = "assessments",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of assessments", body = Page<AssessmentView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/assessments")]
pub async fn mine(
    state: web::Data<AppState>,
    caller: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<AssessmentView>>, ApiError> {
    Ok(web::Json(service::mine(&state.db, caller.id(), page.parse()?).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create).service(mine);
}
