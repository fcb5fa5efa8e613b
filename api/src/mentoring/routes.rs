//! HTTP routes of Enchanté. Matches are visible to their two parties only;
//! requests to their owner and to a counsellor the owner consented to.
//! Anything else is a 404: a match route first gets the caller's
//! `authz::mentoring::MatchParty` proof, which the match services take.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use uuid::Uuid;

use super::dto::{
    AvailabilityInput, AvailabilityView, BlockView, CohortInput, CohortResult, FeedbackView, MatchDetail,
    MatchRequestView, MatchView, MatchesFilter, MentorCard, MentorProfileInput, MentorProfileView,
    MentorsFilter, NewBlock, NewFeedback, NewMatch, NewMatchRequest, NewReport, NewSession, ReasonBody,
    ReportReceipt, ReportView, SessionView, Suggestion, SuggestionsQuery,
};
use super::lifecycle::Action;
use super::{cohort, feedback, lifecycle, match_views, profiles, requests, safety, sessions};
use crate::auth::extractor::AdminOrCounsellor;
use crate::auth::{Admin, AuthUser};
use crate::authz::mentoring::{MatchParty, match_party};
use crate::error::{ApiError, Problem};
use crate::extract::{OptionalJson, ValidJson};
use crate::pagination::{MAX_LIMIT, Page, PageParams};
use crate::state::AppState;

fn ttl(state: &AppState) -> Result<chrono::Duration, ApiError> {
    chrono::Duration::from_std(state.settings.match_request_ttl).map_err(|e| ApiError::Internal(e.into()))
}

/// The caller's side of match `id`, the proof the match services take:
/// anyone but its parties gets 404.
async fn party(state: &AppState, caller: &AuthUser, id: Uuid) -> Result<MatchParty, ApiError> {
    match_party(&state.db, id, caller.id()).await?.ok_or(ApiError::NotFound)
}

fn created<T: serde::Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created().insert_header((header::LOCATION, location)).json(body)
}

/// Creates or replaces your mentor profile.
///
/// Creates or replaces your mentor profile. You mentor the skills you offer
/// (`PUT /me/skills/{skill_id}` with `kind: offer`).
#[utoipa::path(
    operation_id = "saveMyMentorProfile",
    tag = "mentoring",
    request_body = MentorProfileInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your mentor profile", body = MentorProfileView),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/mentor-profile")]
pub async fn put_mentor_profile(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<MentorProfileInput>,
) -> Result<web::Json<MentorProfileView>, ApiError> {
    Ok(web::Json(profiles::put_profile(&state.db, &caller.user, body.0).await?))
}

/// Your mentor profile.
#[utoipa::path(
    operation_id = "getMyMentorProfile",
    tag = "mentoring",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your mentor profile", body = MentorProfileView),
        (status = 404, description = "You have no mentor profile yet", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/me/mentor-profile")]
pub async fn get_mentor_profile(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<MentorProfileView>, ApiError> {
    Ok(web::Json(profiles::get_profile(&state.db, caller.id()).await?))
}

/// Mentors who accept requests, filtered by skill, modality and language.
///
/// Mentors who accept requests, filtered by skill, modality and language.
/// No contact details, no postcode.
#[utoipa::path(
    operation_id = "listMentors",
    tag = "mentoring",
    params(MentorsFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of mentors", body = Page<MentorCard>),
        (status = 422, description = "Invalid `limit` or `language`", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/mentors")]
pub async fn list_mentors(
    state: web::Data<AppState>,
    caller: AuthUser,
    filter: web::Query<MentorsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<MentorCard>>, ApiError> {
    Ok(web::Json(profiles::directory(&state.db, caller.id(), &filter, page.parse()?).await?))
}

/// Replaces your weekly availability.
///
/// Replaces your weekly availability (learners and mentors alike): it feeds
/// the availability factor of match scores, across time zones.
#[utoipa::path(
    operation_id = "replaceMyAvailability",
    tag = "mentoring",
    request_body = AvailabilityInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your availability", body = AvailabilityView),
        (status = 422, description = "`validation_failed` (e.g. `slots[2].end`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[put("/me/availability")]
pub async fn put_availability(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<AvailabilityInput>,
) -> Result<web::Json<AvailabilityView>, ApiError> {
    Ok(web::Json(profiles::put_availability(&state.db, &caller.user, body.0).await?))
}

/// Your weekly availability.
#[utoipa::path(
    operation_id = "getMyAvailability",
    tag = "mentoring",
    security(("bearer" = [])),
    responses((status = 200, description = "Your availability", body = AvailabilityView))
)]
#[get("/me/availability")]
pub async fn get_availability(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<web::Json<AvailabilityView>, ApiError> {
    Ok(web::Json(profiles::get_availability(&state.db, &caller.user).await?))
}

/// Asks for a mentor in one skill.
#[utoipa::path(
    operation_id = "createMatchRequest",
    tag = "mentoring",
    request_body = NewMatchRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created, `status: open`", body = MatchRequestView,
            headers(("Location" = String, description = "The new request"))),
        (status = 409, description = "`too_many_open_requests`: 5 requests already under way (`open`, or `matched` \
            with the match still accepted); a completed mentoring no longer counts", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`skill_id` unknown...)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/match-requests")]
pub async fn create_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<NewMatchRequest>,
) -> Result<HttpResponse, ApiError> {
    let view = requests::create(&state.db, &caller.user, body.0).await?;
    Ok(created(format!("/api/v1/match-requests/{}", view.id), &view))
}

/// Your requests, newest first.
#[utoipa::path(
    operation_id = "listMyMatchRequests",
    tag = "mentoring",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of your requests", body = Page<MatchRequestView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/match-requests")]
pub async fn my_requests(
    state: web::Data<AppState>,
    caller: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<MatchRequestView>>, ApiError> {
    Ok(web::Json(requests::mine(&state.db, caller.id(), page.parse()?).await?))
}

/// One match request.
///
/// One request: its owner, or a counsellor who accompanies the owner with
/// their consent (the read is written to the member's audit log).
#[utoipa::path(
    operation_id = "getMatchRequest",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Request id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The request", body = MatchRequestView),
        (status = 404, description = "No such request you may read", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/match-requests/{id}")]
pub async fn get_request(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<MatchRequestView>, ApiError> {
    Ok(web::Json(requests::detail(&state.db, &caller.user, id.into_inner()).await?))
}

/// Ranked mentor suggestions for a request, with explained scores.
///
/// Mentors for a request, best first, each with a score (0..100) and the
/// breakdown of its factors with a reason a counsellor can read. Mentors who
/// fail a hard filter (skill, accepting, capacity, language, modality, self,
/// blocked) are never listed. One page: `next_cursor` is always null.
#[utoipa::path(
    operation_id = "listMentorSuggestions",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Request id"), SuggestionsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ranked suggestions", body = Page<Suggestion>),
        (status = 404, description = "No such request you may read", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/match-requests/{id}/suggestions")]
pub async fn suggestions(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<SuggestionsQuery>,
) -> Result<web::Json<Page<Suggestion>>, ApiError> {
    let limit = match query.limit {
        None => crate::pagination::DEFAULT_LIMIT,
        Some(limit) if (1..=MAX_LIMIT as i64).contains(&limit) => limit as u64,
        Some(_) => {
            return Err(ApiError::validation("limit", "range", "field.page_limit"));
        }
    };
    let items = super::suggestions::for_request(&state.db, &caller.user, id.into_inner(), limit).await?;
    Ok(web::Json(Page { items, next_cursor: None }))
}

/// Asks a mentor for a match.
///
/// Asks a mentor (the request's owner): `requested`, the mentor is notified
/// and has `TREMPLIN_MATCH_REQUEST_TTL_DAYS` to answer.
#[utoipa::path(
    operation_id = "createMatch",
    tag = "mentoring",
    request_body = NewMatch,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Sent: `status: requested`", body = MatchView,
            headers(("Location" = String, description = "The new match"))),
        (status = 409, description = "`request_not_open`, or `match_exists` (one open match per request)",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `request_id` not yours, or `mentor_id` fails a hard \
            filter (`skill_not_offered`, `not_accepting`, `at_capacity`, `no_shared_language`, \
            `no_common_modality`, `self`, `unknown_mentor`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/matches")]
pub async fn create_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<NewMatch>,
) -> Result<HttpResponse, ApiError> {
    let view = lifecycle::create(&state.db, &caller.user, body.0, ttl(&state)?).await?;
    Ok(created(format!("/api/v1/matches/{}", view.id), &view))
}

/// Your matches as learner and as mentor, newest first.
#[utoipa::path(
    operation_id = "listMatches",
    tag = "mentoring",
    params(MatchesFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of matches", body = Page<MatchView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/matches")]
pub async fn list_matches(
    state: web::Data<AppState>,
    caller: AuthUser,
    filter: web::Query<MatchesFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<MatchView>>, ApiError> {
    Ok(web::Json(match_views::mine(&state.db, caller.id(), &filter, page.parse()?).await?))
}

/// One match with its history.
///
/// One match with its history. The other party's email appears only once
/// the match is accepted.
#[utoipa::path(
    operation_id = "getMatch",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The match", body = MatchDetail),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/matches/{id}")]
pub async fn get_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<MatchDetail>, ApiError> {
    let party = party(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(match_views::detail(&state.db, &party).await?))
}

async fn act(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    action: Action,
    body: ReasonBody,
) -> Result<web::Json<MatchView>, ApiError> {
    let party = party(state, caller, id).await?;
    Ok(web::Json(lifecycle::act(&state.db, &caller.user, &party, action, body.reason, ttl(state)?).await?))
}

/// The learner sends a proposal made by cohort matching: `proposed` → `requested`.
#[utoipa::path(
    operation_id = "confirmMatch",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Sent: `status: requested`", body = MatchView),
        (status = 403, description = "Only the learner sends it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/request")]
pub async fn confirm_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<MatchView>, ApiError> {
    act(&state, &caller, id.into_inner(), Action::Confirm, ReasonBody::default()).await
}

/// Accepts a match request (the mentor).
///
/// The mentor accepts: `requested` → `accepted`, if a seat is left. Both
/// parties then see each other's email.
#[utoipa::path(
    operation_id = "acceptMatch",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Accepted", body = MatchView),
        (status = 403, description = "Only the mentor accepts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition` (not requested, or expired) or `mentor_at_capacity`",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/accept")]
pub async fn accept_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<MatchView>, ApiError> {
    act(&state, &caller, id.into_inner(), Action::Accept, ReasonBody::default()).await
}

/// The mentor declines: `requested` → `declined`, with an optional reason.
#[utoipa::path(
    operation_id = "declineMatch",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    request_body(content = Option<ReasonBody>, description = "Optional."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Declined", body = MatchView),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the mentor declines", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`reason`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/decline")]
pub async fn decline_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: OptionalJson<ReasonBody>,
) -> Result<web::Json<MatchView>, ApiError> {
    act(&state, &caller, id.into_inner(), Action::Decline, body.0).await
}

/// The learner withdraws a proposal or an unanswered request: `withdrawn`.
#[utoipa::path(
    operation_id = "withdrawMatch",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    request_body(content = Option<ReasonBody>, description = "Optional."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = MatchView),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the learner withdraws", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`reason`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/withdraw")]
pub async fn withdraw_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: OptionalJson<ReasonBody>,
) -> Result<web::Json<MatchView>, ApiError> {
    act(&state, &caller, id.into_inner(), Action::Withdraw, body.0).await
}

/// Either party ends an accepted match: `cancelled`, with an optional reason.
#[utoipa::path(
    operation_id = "cancelMatch",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    request_body(content = Option<ReasonBody>, description = "Optional."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled", body = MatchView),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`reason`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/cancel")]
pub async fn cancel_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: OptionalJson<ReasonBody>,
) -> Result<web::Json<MatchView>, ApiError> {
    act(&state, &caller, id.into_inner(), Action::Cancel, body.0).await
}

/// Either party marks an accepted match done: `completed`; feedback opens.
#[utoipa::path(
    operation_id = "completeMatch",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Completed", body = MatchView),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/complete")]
pub async fn complete_match(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<MatchView>, ApiError> {
    act(&state, &caller, id.into_inner(), Action::Complete, ReasonBody::default()).await
}

/// Plans a session of an accepted match; the other party is notified.
#[utoipa::path(
    operation_id = "addMatchSession",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    request_body = NewSession,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Planned", body = SessionView,
            headers(("Location" = String, description = "The match's sessions"))),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`match_not_active`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/sessions")]
pub async fn add_session(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<NewSession>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let party = party(&state, &caller, id).await?;
    let view = sessions::add_session(&state.db, &caller.user, &party, body.0).await?;
    Ok(created(format!("/api/v1/matches/{id}/sessions"), &view))
}

/// The sessions of a match, in time order.
#[utoipa::path(
    operation_id = "listMatchSessions",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of sessions", body = Page<SessionView>),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/matches/{id}/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<SessionView>>, ApiError> {
    let page = page.parse()?;
    let party = party(&state, &caller, id.into_inner()).await?;
    Ok(web::Json(sessions::sessions(&state.db, &party, page).await?))
}

/// Gives feedback on a completed match.
///
/// Your feedback on a completed match, once. A learner's rating feeds the
/// mentor's (Bayesian) rating in suggestions.
#[utoipa::path(
    operation_id = "giveMatchFeedback",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Match id")),
    request_body = NewFeedback,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = FeedbackView,
            headers(("Location" = String, description = "The match"))),
        (status = 404, description = "No such match of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`match_not_completed` or `feedback_exists`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/matches/{id}/feedback")]
pub async fn give_feedback(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<NewFeedback>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let party = party(&state, &caller, id).await?;
    let view = feedback::feedback(&state.db, &caller.user, &party, body.0).await?;
    Ok(created(format!("/api/v1/matches/{id}"), &view))
}

/// Reports someone's behaviour to the admins. The person reported is not told.
#[utoipa::path(
    operation_id = "createReport",
    tag = "safety",
    request_body = NewReport,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored for the admins", body = ReportReceipt,
            headers(("Location" = String, description = "The admins' list of reports"))),
        (status = 422, description = "`validation_failed` (`reported_user_id`, `match_id`, `reason`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/reports")]
pub async fn create_report(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<NewReport>,
) -> Result<HttpResponse, ApiError> {
    let receipt = safety::report(&state.db, &caller.user, body.0).await?;
    Ok(created("/api/v1/reports".to_owned(), &receipt))
}

/// Every report, newest first (admins).
#[utoipa::path(
    operation_id = "listReports",
    tag = "safety",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of reports", body = Page<ReportView>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    _admin: Admin,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<ReportView>>, ApiError> {
    Ok(web::Json(safety::reports(&state.db, page.parse()?).await?))
}

/// Blocks a member.
///
/// Blocks someone: never suggested to each other, no requests either way, no
/// profile visible either way; what was open between you ends.
#[utoipa::path(
    operation_id = "blockMember",
    tag = "safety",
    request_body = NewBlock,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Blocked", body = BlockView,
            headers(("Location" = String, description = "Your blocks"))),
        (status = 409, description = "`already_blocked`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`user_id`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/blocks")]
pub async fn create_block(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<NewBlock>,
) -> Result<HttpResponse, ApiError> {
    let view = safety::block(&state.db, &caller.user, body.0.user_id).await?;
    Ok(created("/api/v1/me/blocks".to_owned(), &view))
}

/// Unblocks someone you blocked.
#[utoipa::path(
    operation_id = "unblockMember",
    tag = "safety",
    params(("user_id" = Uuid, Path, description = "The person you blocked")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Unblocked"),
        (status = 404, description = "You had not blocked them", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/blocks/{user_id}")]
pub async fn delete_block(
    state: web::Data<AppState>,
    caller: AuthUser,
    user_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    safety::unblock(&state.db, caller.id(), user_id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The people you blocked, newest first.
#[utoipa::path(
    operation_id = "listMyBlocks",
    tag = "safety",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of blocks", body = Page<BlockView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/blocks")]
pub async fn my_blocks(
    state: web::Data<AppState>,
    caller: AuthUser,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<BlockView>>, ApiError> {
    Ok(web::Json(safety::my_blocks(&state.db, caller.id(), page.parse()?).await?))
}

/// Assigns an organisation's open requests to mentors (maximum total score).
///
/// The assignment of open requests to mentors of maximum total score under
/// each mentor's remaining capacity (counsellors of the organisation, for
/// members they accompany; admins). `commit: true` creates the matches as
/// `proposed` in one transaction, and notifies the learners.
#[utoipa::path(
    operation_id = "runCohortMatching",
    tag = "mentoring",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = CohortInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The optimal assignment", body = CohortResult),
        (status = 403, description = "Not a counsellor of this organisation, nor an admin", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`match_exists`: a request got a match meanwhile", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`request_ids[i]`: `unknown_request`, `request_not_open`, \
            `match_pending`; `mentor_ids[i]`: `unknown_mentor`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/cohort-matching")]
pub async fn cohort_matching(
    state: web::Data<AppState>,
    caller: AdminOrCounsellor,
    id: web::Path<Uuid>,
    body: ValidJson<CohortInput>,
) -> Result<web::Json<CohortResult>, ApiError> {
    Ok(web::Json(cohort::run(&state.db, &caller.user, id.into_inner(), body.0).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(put_mentor_profile)
        .service(get_mentor_profile)
        .service(list_mentors)
        .service(put_availability)
        .service(get_availability)
        .service(create_request)
        .service(my_requests)
        .service(get_request)
        .service(suggestions)
        .service(create_match)
        .service(list_matches)
        .service(get_match)
        .service(confirm_match)
        .service(accept_match)
        .service(decline_match)
        .service(withdraw_match)
        .service(cancel_match)
        .service(complete_match)
        .service(add_session)
        .service(list_sessions)
        .service(give_feedback)
        .service(create_report)
        .service(list_reports)
        .service(create_block)
        .service(delete_block)
        .service(my_blocks)
        .service(cohort_matching);
}
