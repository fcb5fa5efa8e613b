//! HTTP routes of accompaniments: a counsellor asks, the member consents or
//! refuses, either of them ends it. Someone else's accompaniment is a 404.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use uuid::Uuid;

use super::dto::{
    AccompanimentDetail, AccompanimentView, AccompanimentsFilter, AssistedAccount, ConsentRequest,
    NewAccompaniment, NewAssistedAccount, TemporaryPassword,
};
use super::{assisted, service};
use crate::auth::{AuthUser, Counsellor};
use crate::error::{ApiError, Problem};
use crate::extract::{OptionalJson, ValidJson};
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

/// Asks to follow a member (counsellors). The member is notified and decides.
#[utoipa::path(
    operation_id = "requestAccompaniment",
    tag = "accompaniments",
    request_body = NewAccompaniment,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Asked; `status` is `pending` until the member answers", body = AccompanimentView,
            headers(("Location" = String, description = "The new accompaniment"))),
        (status = 403, description = "Not a counsellor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such active member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`accompaniment_exists`: a pending or active one already links you to this member",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accompaniments")]
pub async fn request(
    state: web::Data<AppState>,
    counsellor: Counsellor,
    body: ValidJson<NewAccompaniment>,
) -> Result<HttpResponse, ApiError> {
    let view = service::request(&state.db, &counsellor.user, body.0.member_id).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/accompaniments/{}", view.id)))
        .json(view))
}

/// Your accompaniments, newest first.
///
/// The caller's accompaniments, newest first: a member sees who follows or
/// asks to follow them, a counsellor whom they follow or asked to follow.
#[utoipa::path(
    operation_id = "listMyAccompaniments",
    tag = "accompaniments",
    params(AccompanimentsFilter, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accompaniments", body = Page<AccompanimentView>),
        (status = 422, description = "Invalid `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/accompaniments")]
pub async fn mine(
    state: web::Data<AppState>,
    caller: AuthUser,
    filter: web::Query<AccompanimentsFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<AccompanimentView>>, ApiError> {
    Ok(web::Json(service::mine(&state.db, caller.id(), &filter, page.parse()?).await?))
}

/// One accompaniment, with the consent text and its version (its two parties only).
#[utoipa::path(
    operation_id = "getAccompaniment",
    tag = "accompaniments",
    params(("id" = Uuid, Path, description = "Accompaniment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The accompaniment", body = AccompanimentDetail),
        (status = 404, description = "No such accompaniment of yours", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/accompaniments/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<AccompanimentDetail>, ApiError> {
    Ok(web::Json(service::detail(&state.db, caller.id(), id.into_inner()).await?))
}

/// Consents to an accompaniment.
///
/// The member consents: `pending` → `active`. Records when, and the version of
/// the consent text; the counsellor is notified.
#[utoipa::path(
    operation_id = "consentToAccompaniment",
    tag = "accompaniments",
    params(("id" = Uuid, Path, description = "Accompaniment id")),
    request_body(content = Option<ConsentRequest>,
        description = "Optional. Send the `consent.version` you showed, to refuse a consent to an outdated text."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Consented: `status` is `active`", body = AccompanimentDetail),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such accompaniment where you are the member", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition` (not pending) or `consent_wording_outdated`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`wording_version`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/accompaniments/{id}/consent")]
pub async fn consent(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: OptionalJson<ConsentRequest>,
) -> Result<web::Json<AccompanimentDetail>, ApiError> {
    let consented =
        service::consent(&state.db, &caller.user, id.into_inner(), body.0.wording_version.as_deref()).await?;
    Ok(web::Json(consented))
}

/// The member refuses a request: `pending` → `refused`; the counsellor is notified.
#[utoipa::path(
    operation_id = "refuseAccompaniment",
    tag = "accompaniments",
    params(("id" = Uuid, Path, description = "Accompaniment id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Refused", body = AccompanimentView),
        (status = 404, description = "No such accompaniment where you are the member", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition` (not pending)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/accompaniments/{id}/refuse")]
pub async fn refuse(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<AccompanimentView>, ApiError> {
    Ok(web::Json(service::refuse(&state.db, &caller.user, id.into_inner()).await?))
}

/// Ends an accompaniment.
///
/// Ends an accompaniment (the member or the counsellor): `revoked`, effective
/// from the next request. The other party is notified.
#[utoipa::path(
    operation_id = "revokeAccompaniment",
    tag = "accompaniments",
    params(("id" = Uuid, Path, description = "Accompaniment id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Ended: `status` is `revoked`"),
        (status = 404, description = "No such accompaniment of yours", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition` (already refused or revoked)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/accompaniments/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service::revoke(&state.db, &caller.user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Opens a member's account with them, at the desk (counsellors).
///
/// The account gets a username and a temporary password (valid 7 days) to
/// hand over; the member must choose their own password at the first login.
/// The member consents in person to being accompanied: the accompaniment is
/// `active` at once, with who took the consent, when, and the wording
/// version. A verification mail goes to the email, if one is given.
#[utoipa::path(
    operation_id = "openAssistedAccount",
    tag = "accompaniments",
    request_body = NewAssistedAccount,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Opened; give the username and the temporary password to the member",
            body = AssistedAccount, headers(("Location" = String, description = "The new accompaniment"))),
        (status = 403, description = "Not a counsellor", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`, `phone_taken` or `consent_wording_outdated`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assisted-accounts")]
pub async fn open_assisted_account(
    state: web::Data<AppState>,
    counsellor: Counsellor,
    body: ValidJson<NewAssistedAccount>,
) -> Result<HttpResponse, ApiError> {
    let opened = assisted::open_account(&state.db, &state.settings.mail, &counsellor.user, &body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/accompaniments/{}", opened.accompaniment.id)))
        .json(AssistedAccount {
            username: opened.user.username.clone(),
            user: opened.user.into(),
            temporary_password: opened.temporary_password,
            accompaniment: opened.accompaniment,
        }))
}

/// Gives a member a temporary password (their counsellor).
///
/// Gives a member who forgot their password a temporary one (a counsellor
/// with the member's active consent).
///
/// The member must change it at the next login; it stops working after 7
/// days. Every session of the member ends, the member is notified and their
/// audit log shows who did it and when.
#[utoipa::path(
    operation_id = "resetMemberPassword",
    tag = "accompaniments",
    params(("id" = Uuid, Path, description = "The member's user id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The temporary password, shown once", body = TemporaryPassword),
        (status = 403, description = "Not a counsellor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No active member who consented to your accompaniment", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/members/{id}/password-reset")]
pub async fn reset_member_password(
    state: web::Data<AppState>,
    counsellor: Counsellor,
    id: web::Path<Uuid>,
) -> Result<web::Json<TemporaryPassword>, ApiError> {
    let member_id = id.into_inner();
    let (temporary_password, expires_at) =
        assisted::reset_password(&state.db, &state.users, &counsellor.user, member_id).await?;
    Ok(web::Json(TemporaryPassword { temporary_password, expires_at }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(request)
        .service(mine)
        .service(detail)
        .service(consent)
        .service(refuse)
        .service(revoke)
        .service(open_assisted_account)
        .service(reset_member_password);
}
