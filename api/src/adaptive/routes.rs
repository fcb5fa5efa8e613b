//! HTTP of the placement test, the recommendations and spaced review (whose
//! service is `lessons::review`): each handler reads the request and calls
//! one service function.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::dto::{PlacementAnswerRequest, PlacementStarted, PlacementStep, Recommendations, ReviewAnswer};
use super::service;
use crate::auth::AuthUser;
use crate::error::{ApiError, Problem};
use crate::lessons::dto::{DueReview, ReviewResult};
use crate::lessons::review as spaced_review;
use crate::pagination::{Page, PageParams, PageRequest};
use crate::state::AppState;

/// Exercises due for spaced review, soonest first.
#[utoipa::path(
    operation_id = "listDueReviews",
    tag = "lessons",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of due reviews", body = Page<DueReview>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/reviews")]
pub async fn due(
    state: web::Data<AppState>,
    caller: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<DueReview>>, ApiError> {
    let page: PageRequest<(DateTime<Utc>, Uuid)> = page.parse()?;
    Ok(web::Json(spaced_review::due_reviews(&state.db, caller.id(), page).await?))
}

/// Answers a due review: graded, then rescheduled; a review counts for the streak.
#[utoipa::path(
    operation_id = "submitReview",
    tag = "lessons",
    request_body = ReviewAnswer,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Graded and rescheduled", body = ReviewResult),
        (status = 404, description = "No review of yours for this exercise", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`review_not_due`: not due yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The answer does not fit the exercise", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/reviews")]
pub async fn review(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<ReviewAnswer>,
) -> Result<web::Json<ReviewResult>, ApiError> {
    Ok(web::Json(spaced_review::review(&state.db, &caller.user, body.exercise_id, &body.answer).await?))
}

/// Starts an adaptive placement test over the five DigComp areas.
#[utoipa::path(
    operation_id = "startPlacementTest",
    tag = "lessons",
    security(("bearer" = [])),
    responses((status = 201, description = "Started, with its first exercise", body = PlacementStarted,
        headers(("Location" = String, description = "The test")))),
)]
#[post("/placement-tests")]
pub async fn start_placement(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
    let started = service::start_placement(&state.db, &*state.catalogue().await?, caller.id()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/placement-tests/{}", started.id)))
        .json(started))
}

/// Answers the current exercise of a placement test: the next one, or the result.
#[utoipa::path(
    operation_id = "answerPlacementTest",
    tag = "lessons",
    params(("id" = Uuid, Path, description = "Placement test id")),
    request_body = PlacementAnswerRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`next_exercise`, or `result` when the test is over", body = PlacementStep),
        (status = 404, description = "No such test of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`placement_completed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not the current exercise, or an answer that does not fit it",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/placement-tests/{id}/answers")]
pub async fn answer_placement(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<PlacementAnswerRequest>,
) -> Result<web::Json<PlacementStep>, ApiError> {
    let body = body.into_inner();
    let step = service::answer_placement(
        &state.db,
        &*state.catalogue().await?,
        caller.id(),
        id.into_inner(),
        body.exercise_id,
        &body.answer,
    )
    .await?;
    Ok(web::Json(step))
}

/// What to do next, each with its reason.
///
/// What to do next, each with its reason: due reviews, lessons, and — when the
/// placement or progress says so — a mentor request or a workshop.
#[utoipa::path(
    operation_id = "getMyRecommendations",
    tag = "lessons",
    security(("bearer" = [])),
    responses((status = 200, description = "Recommendations", body = Recommendations)),
)]
#[get("/me/recommendations")]
pub async fn recommendations(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<Recommendations>, ApiError> {
    Ok(web::Json(service::recommendations(&state.db, &*state.catalogue().await?, &caller.user).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(due)
        .service(review)
        .service(start_placement)
        .service(answer_placement)
        .service(recommendations);
}
