//! HTTP routes of Impose-toi !: the programme, sessions, enrolments,
//! attendance and calendars.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use uuid::Uuid;

use super::dto::{
    AttendanceMark, Attendee, CalendarFeed, CancelWorkshop, EnrolmentView, EnrolmentsFilter, MyEnrolment,
    NewEnrolment, NewWorkshop, ProgramView, WorkshopPatch, WorkshopView, WorkshopsFilter,
};
use super::{calendar, enrolments, ical, programme, roster, sessions};
use crate::auth::scope::ApiScope;
use crate::auth::{AuthUser, Author, ClientCaller};
use crate::authz::clients::scoped;
use crate::authz::workshops::running;
use crate::error::{ApiError, Problem};
use crate::extract::{OptionalJson, ValidJson};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

fn ics(body: String) -> HttpResponse {
    HttpResponse::Ok().content_type(ical::CONTENT_TYPE).body(body)
}

/// The programmes with their ordered modules and prerequisites.
#[utoipa::path(
    operation_id = "listPrograms",
    tag = "workshops",
    params(PageParams),
    responses(
        (status = 200, description = "A page of programmes", body = Page<ProgramView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/programs")]
pub async fn programs(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<ProgramView>>, ApiError> {
    Ok(web::Json(programme::programs(&state.db, page.parse()?).await?))
}

/// One programme with its ordered modules: each requires the previous one attended.
#[utoipa::path(
    operation_id = "getProgram",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Programme id")),
    responses(
        (status = 200, description = "The programme", body = ProgramView),
        (status = 404, description = "No such programme", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/programs/{id}")]
pub async fn program(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ProgramView>, ApiError> {
    Ok(web::Json(programme::program(&state.db, id.into_inner()).await?))
}

/// Workshop sessions in start order, with the seats left and the waiting list's length.
#[utoipa::path(
    operation_id = "listWorkshops",
    tag = "workshops",
    params(WorkshopsFilter, PageParams),
    responses(
        (status = 200, description = "A page of sessions", body = Page<WorkshopView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workshops")]
pub async fn list(
    state: web::Data<AppState>,
    filter: web::Query<WorkshopsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<WorkshopView>>, ApiError> {
    Ok(web::Json(sessions::list(&state.db, &filter, page.parse()?).await?))
}

/// One session.
#[utoipa::path(
    operation_id = "getWorkshop",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Workshop id")),
    responses(
        (status = 200, description = "The session", body = WorkshopView),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workshops/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<WorkshopView>, ApiError> {
    Ok(web::Json(sessions::detail(&state.db, id.into_inner()).await?))
}

/// Schedules a session of a module (facilitators, admins).
#[utoipa::path(
    operation_id = "createWorkshop",
    tag = "workshops",
    request_body = NewWorkshop,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Scheduled", body = WorkshopView,
            headers(("Location" = String, description = "The new session"))),
        (status = 403, description = "Not a facilitator or admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`module_id` unknown, `starts_at` in the past, `ends_at` before the start...)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workshops")]
pub async fn create(
    state: web::Data<AppState>,
    author: Author,
    body: ValidJson<NewWorkshop>,
) -> Result<HttpResponse, ApiError> {
    let workshop = sessions::create(&state.db, &author.user, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/workshops/{}", workshop.id)))
        .json(workshop))
}

/// Edits a workshop session.
///
/// Edits a session (its facilitator, admins). A new time or place is told to
/// everyone enrolled and raises the calendar `SEQUENCE`; more seats go to the
/// waiting list at once.
#[utoipa::path(
    operation_id = "updateWorkshop",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Workshop id")),
    request_body = WorkshopPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The session as it now is", body = WorkshopView),
        (status = 403, description = "Not its facilitator nor an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`workshop_cancelled`, `capacity_below_seats_taken`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/workshops/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    author: Author,
    id: web::Path<Uuid>,
    body: ValidJson<WorkshopPatch>,
) -> Result<web::Json<WorkshopView>, ApiError> {
    let runs = running(&state.db, &author.user, id.into_inner()).await?;
    Ok(web::Json(sessions::update(&state.db, runs, body.0).await?))
}

/// Cancels a workshop session.
///
/// Cancels a session before it starts (its facilitator, admins): everyone
/// enrolled or waiting is notified, calendars show it cancelled.
#[utoipa::path(
    operation_id = "cancelWorkshop",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Workshop id")),
    request_body(content = Option<CancelWorkshop>, description = "Optional: a reason told to everyone enrolled."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled", body = WorkshopView),
        (status = 403, description = "Not its facilitator nor an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`workshop_cancelled` (already), `workshop_started`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`reason`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workshops/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    author: Author,
    id: web::Path<Uuid>,
    body: OptionalJson<CancelWorkshop>,
) -> Result<web::Json<WorkshopView>, ApiError> {
    let runs = running(&state.db, &author.user, id.into_inner()).await?;
    Ok(web::Json(sessions::cancel(&state.db, runs, body.0.reason).await?))
}

/// Enrols a member in a workshop session.
///
/// Enrols you, or (counsellors only) a member you accompany with their active
/// consent: `confirmed` while seats are left, else `waitlisted` with a
/// position in arrival order. Never overbooks. Facilitators and admins enrol
/// only themselves.
#[utoipa::path(
    operation_id = "enrolInWorkshop",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Workshop id")),
    request_body(content = Option<NewEnrolment>, description = "Optional for self-enrolment."),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Enrolled (`confirmed`) or on the waiting list (`waitlisted`, with `waitlist_position`)",
            body = EnrolmentView, headers(("Location" = String, description = "The enrolment"))),
        (status = 403, description = "`member_id` of someone else sent by anyone but a counsellor (whoever the member is), \
            or `prerequisite_override_reason` sent by someone who may not waive it", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such session, or (counsellors) no member who consented to your accompaniment", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`already_enrolled`, `prerequisite_not_met`, `workshop_cancelled`, `enrolment_closed`",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workshops/{id}/enrolments")]
pub async fn enrol(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: OptionalJson<NewEnrolment>,
) -> Result<HttpResponse, ApiError> {
    let created = enrolments::enrol(&state.db, &caller.user, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/enrolments/{}", created.id)))
        .json(created))
}

/// Your enrolments, newest first, with their sessions.
#[utoipa::path(
    operation_id = "listMyEnrolments",
    tag = "workshops",
    params(EnrolmentsFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of enrolments", body = Page<MyEnrolment>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/enrolments")]
pub async fn my_enrolments(
    state: web::Data<AppState>,
    caller: AuthUser,
    filter: web::Query<EnrolmentsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<MyEnrolment>>, ApiError> {
    Ok(web::Json(enrolments::my_enrolments(&state.db, caller.id(), &filter, page.parse()?).await?))
}

/// One enrolment (the member, their counsellor, the facilitator, admins).
#[utoipa::path(
    operation_id = "getEnrolment",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Enrolment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The enrolment and its session", body = MyEnrolment),
        (status = 404, description = "No such enrolment you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/enrolments/{id}")]
pub async fn enrolment(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<MyEnrolment>, ApiError> {
    Ok(web::Json(enrolments::enrolment(&state.db, &caller.user, id.into_inner()).await?))
}

/// Cancels an enrolment.
///
/// Cancels an enrolment; a freed seat goes at once to the first on the waiting
/// list, who is notified. Members may cancel until the session's deadline;
/// their counsellor and the facilitator at any time.
#[utoipa::path(
    operation_id = "cancelEnrolment",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Enrolment id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Cancelled (or already)"),
        (status = 404, description = "No such enrolment you may cancel", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cancellation_deadline_passed`, `attendance_recorded`", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/enrolments/{id}")]
pub async fn cancel_enrolment(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    enrolments::cancel_enrolment(&state.db, &caller.user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The attendee list, waiting list included, in arrival order (its facilitator, admins).
#[utoipa::path(
    operation_id = "listWorkshopEnrolments",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Workshop id"), EnrolmentsFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of attendees", body = Page<Attendee>),
        (status = 403, description = "Not its facilitator nor an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workshops/{id}/enrolments")]
pub async fn attendees(
    state: web::Data<AppState>,
    caller: Author,
    id: web::Path<Uuid>,
    filter: web::Query<EnrolmentsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Attendee>>, ApiError> {
    let runs = running(&state.db, &caller.user, id.into_inner()).await?;
    Ok(web::Json(roster::attendees(&state.db, runs, &filter, page.parse()?).await?))
}

/// Records attendance at a session.
///
/// Records who came, once the session has started (its facilitator, admins).
/// A module is complete when attended; marks may be corrected.
#[utoipa::path(
    operation_id = "recordAttendance",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Workshop id")),
    request_body = Vec<AttendanceMark>,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The marked enrolments", body = Vec<Attendee>),
        (status = 403, description = "Not its facilitator nor an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`workshop_not_started`, `workshop_cancelled`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, e.g. `[2].enrolment_id` unknown, duplicate or not seated",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workshops/{id}/attendance")]
pub async fn attendance(
    state: web::Data<AppState>,
    caller: Author,
    id: web::Path<Uuid>,
    body: web::Json<Vec<AttendanceMark>>,
) -> Result<web::Json<Vec<Attendee>>, ApiError> {
    let runs = running(&state.db, &caller.user, id.into_inner()).await?;
    Ok(web::Json(roster::record_attendance(&state.db, runs, body.into_inner()).await?))
}

/// The session as an iCalendar (RFC 5545) file to add to a calendar.
#[utoipa::path(
    operation_id = "getWorkshopCalendar",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "Workshop id")),
    responses(
        (status = 200, description = "One VEVENT with a stable UID; `STATUS:CANCELLED` once cancelled",
            body = String, content_type = "text/calendar"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workshops/{id}/calendar.ics")]
pub async fn workshop_calendar(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(ics(calendar::workshop_ics(&state.db, id.into_inner()).await?))
}

/// `https://host` as the client reached us (honours `Forwarded` / `X-Forwarded-*`).
fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// Your personal calendar feed URL.
///
/// Your personal calendar feed URL (made on first request): the workshop
/// sessions you hold a seat in and your Enchanté meetings. Secret: whoever has
/// it sees them.
#[utoipa::path(
    operation_id = "getMyCalendarFeed",
    tag = "workshops",
    security(("bearer" = [])),
    responses((status = 200, description = "The feed", body = CalendarFeed))
)]
#[get("/me/calendar-feed")]
pub async fn calendar_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<CalendarFeed>, ApiError> {
    Ok(web::Json(calendar::feed(&state.db, &state.tokens, caller.id(), &base_url(&req)).await?))
}

/// Replaces your feed URL: the old one stops working at once.
#[utoipa::path(
    operation_id = "regenerateMyCalendarFeed",
    tag = "workshops",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new feed", body = CalendarFeed,
            headers(("Location" = String, description = "`/api/v1/me/calendar-feed`"))),
        (status = 409, description = "`calendar_feed_changed`: another replacement ran at the same time", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/me/calendar-feed")]
pub async fn regenerate_calendar_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let feed = calendar::regenerate(&state.db, &state.tokens, caller.id(), &base_url(&req)).await?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, "/api/v1/me/calendar-feed")).json(feed))
}

/// Revokes your feed URL; `GET /me/calendar-feed` then makes a new one.
#[utoipa::path(
    operation_id = "revokeMyCalendarFeed",
    tag = "workshops",
    security(("bearer" = [])),
    responses((status = 204, description = "Revoked"))
)]
#[delete("/me/calendar-feed")]
pub async fn revoke_calendar_feed(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    calendar::revoke(&state.db, caller.id()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A member's personal calendar feed (iCalendar).
///
/// A member's personal feed: the workshop sessions they hold a seat in and
/// their Enchanté match sessions, cancelled ones shown cancelled. The secret
/// in the path is the only credential.
#[utoipa::path(
    operation_id = "getPersonalCalendar",
    tag = "workshops",
    params(("token" = String, Path, description = "The secret of the feed URL")),
    responses(
        (status = 200, description = "RFC 5545 calendar", body = String, content_type = "text/calendar"),
        (status = 404, description = "Unknown or revoked feed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calendar/{token}.ics")]
pub async fn personal_calendar(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(ics(calendar::personal_ics(&state.db, &token.into_inner()).await?))
}

/// A consenting member's workshop enrolments, newest first.
///
/// For an API client with `workshops:read`: the enrolments of a member its
/// organisation accompanies with consent. Each read is written to the
/// member's audit log; without that consent, 404.
#[utoipa::path(
    operation_id = "listMemberEnrolments",
    tag = "workshops",
    params(("id" = Uuid, Path, description = "The member's user id"), EnrolmentsFilter, PageParams),
    security(("oauth2" = ["workshops:read"])),
    responses(
        (status = 200, description = "A page of enrolments", body = Page<MyEnrolment>),
        (status = 403, description = "A person's token (`forbidden`), or no `workshops:read` (`insufficient_scope`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member, or no active consent to the client's organisation", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/members/{id}/enrolments")]
pub async fn member_enrolments(
    state: web::Data<AppState>,
    caller: ClientCaller,
    id: web::Path<Uuid>,
    filter: web::Query<EnrolmentsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<MyEnrolment>>, ApiError> {
    let scoped = scoped(&caller, ApiScope::WorkshopsRead)?;
    let page = page.parse()?;
    Ok(web::Json(enrolments::member_enrolments(&state.db, &scoped, id.into_inner(), &filter, page).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(programs)
        .service(program)
        .service(list)
        .service(create)
        .service(detail)
        .service(update)
        .service(cancel)
        .service(enrol)
        .service(attendees)
        .service(attendance)
        .service(workshop_calendar)
        .service(my_enrolments)
        .service(member_enrolments)
        .service(enrolment)
        .service(cancel_enrolment)
        .service(calendar_feed)
        .service(regenerate_calendar_feed)
        .service(revoke_calendar_feed)
        .service(personal_calendar);
}
