use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use super::dto::{
    AnswerRequest, AnswerResult, AttemptView, CompletionResult, LessonDetail, LessonInput, LessonPatch,
    LessonSummary, LessonsFilter, Progress,
};
use super::progress as member_progress;
use super::{attempts, editing, views};
use crate::auth::extractor::MaybeAuthUser;
use crate::auth::{AuthUser, Author};
use crate::authz;
use crate::authz::lessons::LessonAuthor;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// The catalogue needs no account; a token that is sent must be valid.
const OPTIONAL_TOKEN: &str = "A bearer token was sent but is invalid or expired (`invalid_token`); without one the catalogue is public";

/// The caller as a lesson author: visitors without an account read what members read.
fn author_of(caller: &MaybeAuthUser) -> Option<LessonAuthor> {
    caller.0.as_ref().and_then(|caller| authz::lessons::author(&caller.user))
}

/// The proof for a route the `Author` extractor already let in.
fn proof(caller: &Author) -> Result<LessonAuthor, ApiError> {
    authz::lessons::author(&caller.user).ok_or(ApiError::Forbidden)
}

/// Published lessons in path order, for anyone, account or not (authors also see drafts).
#[utoipa::path(
    operation_id = "listLessons",
    tag = "lessons",
    params(LessonsFilter, PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of lessons", body = Page<LessonSummary>),
        (status = 401, description = OPTIONAL_TOKEN, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit` or `q`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/lessons")]
pub async fn list(
    state: web::Data<AppState>,
    caller: MaybeAuthUser,
    filter: web::Query<LessonsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<LessonSummary>>, ApiError> {
    Ok(web::Json(views::list(&state.db, &filter, author_of(&caller).as_ref(), page.parse()?).await?))
}

/// A published lesson with its exercises, without answers, for anyone (authors get the latest version as written).
#[utoipa::path(
    operation_id = "getLesson",
    tag = "lessons",
    params(("id" = Uuid, Path, description = "Lesson id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The lesson (members: `LessonDetail`; facilitators and admins: `AuthorLessonDetail`)",
            body = LessonDetail),
        (status = 401, description = OPTIONAL_TOKEN, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published lesson", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/lessons/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    caller: MaybeAuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if let Some(author) = author_of(&caller) {
        Ok(HttpResponse::Ok().json(views::author_detail(&state.db, &author, id).await?))
    } else {
        Ok(HttpResponse::Ok().json(views::member_detail(&state.db, &state.published_lessons, id).await?))
    }
}

/// Creates a draft lesson with its exercises (facilitators, admins).
#[utoipa::path(
    operation_id = "createLesson",
    tag = "lessons",
    request_body = LessonInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The draft", body = LessonSummary,
            headers(("Location" = String, description = "The new lesson"))),
        (status = 403, description = "Not a facilitator or admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` with field paths such as `exercises[2].choices`",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/lessons")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Author,
    body: ValidJson<LessonInput>,
) -> Result<HttpResponse, ApiError> {
    let lesson = editing::create(&state.db, &proof(&caller)?, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/lessons/{}", lesson.id)))
        .json(lesson))
}

/// Edits a lesson; a published one gets a new version, running attempts keep theirs.
#[utoipa::path(
    operation_id = "updateLesson",
    tag = "lessons",
    params(("id" = Uuid, Path, description = "Lesson id")),
    request_body = LessonPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The lesson as it now is", body = LessonSummary),
        (status = 403, description = "Not a facilitator or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/lessons/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Author,
    id: web::Path<Uuid>,
    body: ValidJson<LessonPatch>,
) -> Result<web::Json<LessonSummary>, ApiError> {
    let id = id.into_inner();
    let lesson = editing::update(&state.db, &state.lesson_caches(), &proof(&caller)?, id, body.0).await?;
    Ok(web::Json(lesson))
}

/// Publishes the latest version.
#[utoipa::path(
    operation_id = "publishLesson",
    tag = "lessons",
    params(("id" = Uuid, Path, description = "Lesson id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published", body = LessonSummary),
        (status = 403, description = "Not a facilitator or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lesson", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/lessons/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    caller: Author,
    id: web::Path<Uuid>,
) -> Result<web::Json<LessonSummary>, ApiError> {
    let id = id.into_inner();
    let lesson = editing::publish(&state.db, &state.lesson_caches(), &proof(&caller)?, id).await?;
    Ok(web::Json(lesson))
}

/// Starts an attempt on the published version of a lesson.
#[utoipa::path(
    operation_id = "startLessonAttempt",
    tag = "lessons",
    params(("id" = Uuid, Path, description = "Lesson id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Started", body = AttemptView),
        (status = 404, description = "No such published lesson", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/lessons/{id}/attempts")]
pub async fn start_attempt(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let attempt = attempts::start_attempt(&state.db, caller.id(), id.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/attempts/{}", attempt.id)))
        .json(attempt))
}

/// Grades one answer. Wrong answers cost nothing and may be retried.
#[utoipa::path(
    operation_id = "answerAttemptExercise",
    tag = "lessons",
    params(("id" = Uuid, Path, description = "Attempt id")),
    request_body = AnswerRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Graded", body = AnswerResult),
        (status = 404, description = "No such attempt of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`attempt_completed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The answer does not fit the exercise", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/attempts/{id}/answers")]
pub async fn answer(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<AnswerRequest>,
) -> Result<web::Json<AnswerResult>, ApiError> {
    let body = body.into_inner();
    Ok(web::Json(
        attempts::answer(&state.db, caller.id(), id.into_inner(), body.exercise_id, &body.answer).await?,
    ))
}

/// Completes an attempt once every exercise is answered: score, XP, streak, mastery and what comes next.
#[utoipa::path(
    operation_id = "completeAttempt",
    tag = "lessons",
    params(("id" = Uuid, Path, description = "Attempt id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Completed", body = CompletionResult),
        (status = 404, description = "No such attempt of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`attempt_completed`: already completed; `attempt_incomplete`: some exercises are not answered yet (`missing_exercise_ids`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/attempts/{id}/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<CompletionResult>, ApiError> {
    Ok(web::Json(attempts::complete(&state.db, &caller.user, id.into_inner()).await?))
}

/// XP, streak, today's XP against the daily goal, mastery per skill.
#[utoipa::path(
    operation_id = "getMyProgress",
    tag = "lessons",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your progress", body = Progress),
    )
)]
#[get("/me/progress")]
pub async fn progress(state: web::Data<AppState>, caller: AuthUser) -> Result<web::Json<Progress>, ApiError> {
    Ok(web::Json(member_progress::progress(&state.db, &caller.user).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(detail)
        .service(create)
        .service(update)
        .service(publish)
        .service(start_attempt)
        .service(answer)
        .service(complete)
        .service(progress);
}
