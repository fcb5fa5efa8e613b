//! `Idempotency-Key` for every authenticated POST (IETF draft
//! "The Idempotency-Key HTTP Header Field"): a retry with the same key and the
//! same request replays the first response and changes nothing; the same key
//! with another request → 422; while the first is still running → 409.
//!
//! Keys are scoped per user and stored in the database, so a retry that lands
//! on another replica is recognised too. Server errors (5xx) are not stored:
//! the retry runs again. A record left in progress by a crashed process is
//! taken over after `STALE_AFTER`.
//!
//! Records hold whole responses, so they are kept no longer than needed: a
//! record is replayed for [`RECORD_TTL`] only, and a task inside the service
//! deletes older ones every [`SWEEP_EVERY`]. The `/auth/*` routes are never
//! recorded: their answers are credentials (a replayed refresh would hand
//! out a spent refresh token again).
//!
//! Calls `auth` (whose key it is), `error`, `state` and `periodic`.

use std::time::Duration as StdDuration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use chrono::{Duration, Utc};
use entity::idempotency_record;
use futures_util::StreamExt;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::extractor::authenticated_user_id;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on a replayed response.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
const MAX_KEY_LEN: usize = 255;
const STALE_AFTER: Duration = Duration::seconds(60);
/// How long a response is replayed to retries of its key.
pub const RECORD_TTL: Duration = Duration::hours(24);
pub const SWEEP_EVERY: StdDuration = StdDuration::from_secs(10 * 60);
/// Requests under this path are never recorded (see the module doc).
const UNRECORDED_PREFIX: &str = "/api/v1/auth/";

enum Outcome {
    /// First time: run the request, then store its response.
    Proceed,
    Replay {
        status: u16,
        body: String,
    },
}

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req.headers().get(&IDEMPOTENCY_KEY).map(|v| v.to_str().map(str::to_owned));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let recorded = req.method() == Method::POST && !req.path().starts_with(UNRECORDED_PREFIX);
    let (Some(key), Some(state), true) = (key, state, recorded) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Anonymous requests are not deduplicated (nothing to scope the key to);
    // the handler answers 401 where a session is required.
    let Some(user_id) = authenticated_user_id(&req) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = match key {
        Ok(key) if !key.is_empty() && key.len() <= MAX_KEY_LEN => key,
        _ => {
            let error = ApiError::bad_request(ErrorCode::InvalidIdempotencyKey, &[]);
            return Ok(req.error_response(error));
        }
    };

    let limit = state.settings.max_body_bytes;
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(req.error_response(ApiError::PayloadTooLarge { limit }));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let fingerprint = fingerprint(req.method(), req.path(), &body);

    let outcome = match begin(&state.db, user_id, &key, &fingerprint).await {
        Ok(outcome) => outcome,
        Err(error) => return Ok(req.error_response(error)),
    };
    match outcome {
        Outcome::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let response = HttpResponse::build(status)
                .content_type(stored_content_type(status))
                .insert_header((IDEMPOTENT_REPLAYED, HeaderValue::from_static("true")))
                .body(body);
            Ok(req.into_response(response))
        }
        Outcome::Proceed => {
            req.set_payload(actix_web::dev::Payload::from(body));
            let response = next.call(req).await;
            let response = match response {
                Ok(response) => response.map_into_boxed_body(),
                Err(error) => {
                    forget(&state.db, user_id, &key).await?;
                    return Err(error);
                }
            };
            let status = response.status();
            if status.is_server_error() {
                forget(&state.db, user_id, &key).await?;
                return Ok(response);
            }
            let (request, response) = response.into_parts();
            let (head, body) = response.into_parts();
            let bytes = actix_web::body::to_bytes(body).await.map_err(|_| {
                ApiError::Internal(anyhow::anyhow!(
                    "the response body could not be read for the idempotency record"
                ))
            })?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            complete(&state.db, user_id, &key, status.as_u16(), &text).await?;
            Ok(ServiceResponse::new(request, head.set_body(BoxBody::new(bytes))))
        }
    }
}

fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b" ");
    hash.update(path.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    hex::encode(hash.finalize())
}

/// Successful answers are JSON; stored errors are problems.
fn stored_content_type(status: StatusCode) -> &'static str {
    if status.is_success() { "application/json" } else { crate::error::PROBLEM_JSON }
}

async fn begin(
    db: &DatabaseConnection,
    user_id: Uuid,
    key: &str,
    request_hash: &str,
) -> Result<Outcome, ApiError> {
    let now = Utc::now();
    let claimed = idempotency_record::Entity::insert(idempotency_record::ActiveModel {
        user_id: Set(user_id),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        response_status: Set(None),
        response_body: Set(None),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([idempotency_record::Column::UserId, idempotency_record::Column::Key])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if claimed == 1 {
        return Ok(Outcome::Proceed);
    }
    let record = idempotency_record::Entity::find_by_id((user_id, key.to_owned()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("idempotency record vanished")))?;
    if record.created_at <= now - RECORD_TTL {
        // Expired (the sweep has not come by yet): the key starts afresh.
        return take_over(db, &record, request_hash, now).await;
    }
    if record.request_hash != request_hash {
        return Err(ApiError::validation("Idempotency-Key", "reused", "field.idempotency_key_reused"));
    }
    match (record.response_status, &record.response_body) {
        (Some(status), Some(body)) => Ok(Outcome::Replay { status: status as u16, body: body.clone() }),
        // Abandoned by a crashed process.
        _ if record.created_at < now - STALE_AFTER => take_over(db, &record, request_hash, now).await,
        _ => Err(in_progress()),
    }
}

/// Restarts `record` for a new run of `request_hash`, once: of two
/// concurrent takers, the other finds the record in progress.
async fn take_over(
    db: &DatabaseConnection,
    record: &idempotency_record::Model,
    request_hash: &str,
    now: chrono::DateTime<Utc>,
) -> Result<Outcome, ApiError> {
    let taken = idempotency_record::Entity::update_many()
        .col_expr(idempotency_record::Column::RequestHash, Expr::value(request_hash))
        .col_expr(idempotency_record::Column::ResponseStatus, Expr::value(Option::<i16>::None))
        .col_expr(idempotency_record::Column::ResponseBody, Expr::value(Option::<String>::None))
        .col_expr(idempotency_record::Column::CreatedAt, Expr::value(now))
        .filter(idempotency_record::Column::UserId.eq(record.user_id))
        .filter(idempotency_record::Column::Key.eq(record.key.as_str()))
        .filter(idempotency_record::Column::CreatedAt.eq(record.created_at))
        .exec(db)
        .await?
        .rows_affected;
    if taken == 1 { Ok(Outcome::Proceed) } else { Err(in_progress()) }
}

/// Deletes the records older than [`RECORD_TTL`] at `now`; returns how many.
pub async fn sweep_expired(db: &DatabaseConnection, now: chrono::DateTime<Utc>) -> Result<u64, ApiError> {
    let deleted = idempotency_record::Entity::delete_many()
        .filter(idempotency_record::Column::CreatedAt.lte(now - RECORD_TTL))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// The periodic sweep, started with the service (every replica may run it).
pub async fn run_periodically(db: DatabaseConnection) {
    crate::periodic::every("idempotency sweep", StdDuration::ZERO, SWEEP_EVERY, || async {
        sweep_expired(&db, Utc::now()).await.map(|deleted| deleted as usize)
    })
    .await
}

fn in_progress() -> ApiError {
    ApiError::conflict(ErrorCode::IdempotencyInProgress)
}

async fn complete(
    db: &DatabaseConnection,
    user_id: Uuid,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), ApiError> {
    idempotency_record::Entity::update_many()
        .col_expr(idempotency_record::Column::ResponseStatus, Expr::value(status as i16))
        .col_expr(idempotency_record::Column::ResponseBody, Expr::value(body))
        .filter(idempotency_record::Column::UserId.eq(user_id))
        .filter(idempotency_record::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

async fn forget(db: &DatabaseConnection, user_id: Uuid, key: &str) -> Result<(), ApiError> {
    idempotency_record::Entity::delete_by_id((user_id, key.to_owned())).exec(db).await?;
    Ok(())
}
