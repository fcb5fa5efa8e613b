//! HTTP routes of training offers: a centre's managers write them; the
//! catalogue of published offers is public.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use super::domain::OfferAction;
use super::dto::{
    NewTrainingOffer, NewTrainingSession, TrainingOfferPatch, TrainingOfferView, TrainingOffersFilter,
    TrainingSessionView,
};
use super::offers;
use crate::auth::AuthUser;
use crate::auth::extractor::MaybeAuthUser;
use crate::authz::training::offer_manager;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::pagination::{Page, PageParams};
use crate::state::AppState;

const OPTIONAL_TOKEN: &str = "A bearer token was sent but is invalid or expired (`invalid_token`); without one the catalogue is public";

/// Creates a draft offer of a training centre (its managers, admins).
#[utoipa::path(
    operation_id = "createTrainingOffer",
    tag = "training",
    request_body = NewTrainingOffer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The draft", body = TrainingOfferView,
            headers(("Location" = String, description = "The offer's page"))),
        (status = 400, description = "`malformed_body`, e.g. an unknown `modality` or `funding`", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "Not a manager of this organisation", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `organization_id` (`unknown`, `not_a_training_centre`), \
            `skills[i].skill_id` (`unknown_skill`), `certification_code`, `place_id` (`unknown_place`)...",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training-offers")]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: ValidJson<NewTrainingOffer>,
) -> Result<HttpResponse, ApiError> {
    let offer = offers::create(&state.db, &caller.user, body.0).await?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, offer.public_url.clone())).json(offer))
}

/// Published offers, newest first, with the filters of the catalogue.
#[utoipa::path(
    operation_id = "listTrainingOffers",
    tag = "training",
    params(TrainingOffersFilter, PageParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of published offers", body = Page<TrainingOfferView>),
        (status = 400, description = "`malformed_query`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = OPTIONAL_TOKEN, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid `limit`, `departement` or `q`", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/training-offers")]
pub async fn list(
    state: web::Data<AppState>,
    _caller: MaybeAuthUser,
    filter: web::Query<TrainingOffersFilter>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<TrainingOfferView>>, ApiError> {
    Ok(web::Json(offers::list(&state.db, &filter, page.parse()?).await?))
}

/// An offer's public page.
///
/// Published and archived offers for anyone, drafts for its centre's
/// managers only.
#[utoipa::path(
    operation_id = "getTrainingOffer",
    tag = "training",
    params(("id" = Uuid, Path, description = "Offer id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The offer", body = TrainingOfferView),
        (status = 401, description = OPTIONAL_TOKEN, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer, or a draft of someone else", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/training-offers/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    caller: MaybeAuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<TrainingOfferView>, ApiError> {
    let caller = caller.0.as_ref().map(|c| &c.user);
    Ok(web::Json(offers::detail(&state.db, caller, id.into_inner()).await?))
}

/// Edits an offer that is not archived (its centre's managers).
#[utoipa::path(
    operation_id = "updateTrainingOffer",
    tag = "training",
    params(("id" = Uuid, Path, description = "Offer id")),
    request_body = TrainingOfferPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The offer as it now is", body = TrainingOfferView),
        (status = 403, description = "Not a manager of its centre", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the offer is archived", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/training-offers/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<TrainingOfferPatch>,
) -> Result<web::Json<TrainingOfferView>, ApiError> {
    let (manager, offer) = offer_manager(&state.db, &caller.user, id.into_inner()).await?;
    Ok(web::Json(offers::update(&state.db, &manager, offer, body.0).await?))
}

async fn act(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    action: OfferAction,
) -> Result<TrainingOfferView, ApiError> {
    let (manager, offer) = offer_manager(&state.db, &caller.user, id).await?;
    offers::change_status(&state.db, &manager, offer, action).await
}

/// Publishes a draft: it joins the public catalogue.
#[utoipa::path(
    operation_id = "publishTrainingOffer",
    tag = "training",
    params(("id" = Uuid, Path, description = "Offer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Published", body = TrainingOfferView),
        (status = 403, description = "Not a manager of its centre", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: already published, or archived", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/training-offers/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<TrainingOfferView>, ApiError> {
    Ok(web::Json(act(&state, &caller, id.into_inner(), OfferAction::Publish).await?))
}

/// Archives an offer: it leaves the catalogue, its page stays readable.
#[utoipa::path(
    operation_id = "archiveTrainingOffer",
    tag = "training",
    params(("id" = Uuid, Path, description = "Offer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Archived", body = TrainingOfferView),
        (status = 403, description = "Not a manager of its centre", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: already archived", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/training-offers/{id}/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<TrainingOfferView>, ApiError> {
    Ok(web::Json(act(&state, &caller, id.into_inner(), OfferAction::Archive).await?))
}

/// Adds a dated session to an offer (its centre's managers).
#[utoipa::path(
    operation_id = "addTrainingSession",
    tag = "training",
    params(("id" = Uuid, Path, description = "Offer id")),
    request_body = NewTrainingSession,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The session", body = TrainingSessionView,
            headers(("Location" = String, description = "The offer's page, which lists its sessions"))),
        (status = 403, description = "Not a manager of its centre", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such offer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the offer is archived", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `starts_on` (`past`), `ends_on` (`before_start`), \
            `application_deadline` (`after_start`), `seats`, `place_id` (`unknown_place`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/training-offers/{id}/sessions")]
pub async fn add_session(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<NewTrainingSession>,
) -> Result<HttpResponse, ApiError> {
    let (manager, offer) = offer_manager(&state.db, &caller.user, id.into_inner()).await?;
    let session = offers::add_session(&state.db, &manager, offer, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, offers::public_path(session.offer_id)))
        .json(session))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(detail)
        .service(update)
        .service(publish)
        .service(archive)
        .service(add_session);
}
