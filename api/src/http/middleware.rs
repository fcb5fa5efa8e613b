//! The outermost middleware: one request context per request.
//!
//! It accepts or generates the `X-Request-Id` (and makes it visible to error
//! responses, see `request_id`), turns any stray non-problem error of the
//! framework into problem+json, echoes the id, records the metrics and writes
//! one structured log line. Calls `error`, `request_id`, `i18n` and `metrics`.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::error::{OwnErrorFormat, PROBLEM_JSON, problem_for_status};
use crate::i18n::{self, Lang};
use crate::metrics::HttpMetrics;
use crate::request_id::{self, REQUEST_ID_HEADER};

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let request_id = request_id::for_request(req.headers());
    let asked = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = asked.map_or(Lang::Fr, Lang::negotiate);
    let inner = request_id::sync_scope(request_id.clone(), || i18n::sync_scope(lang, || next.call(req)));
    let (outcome, lang) = request_id::scope(
        request_id.clone(),
        i18n::scope(lang, async move { inner.await.map(|r| ensure_problem_body(r.map_into_boxed_body())) }),
    )
    .await;
    // Handlers and extractors turn their errors into responses; an `Err` here
    // comes from the framework itself, which renders it after this middleware.
    let mut response = match outcome {
        Ok(response) => response,
        Err(error) => {
            tracing::warn!(target: "tremplin::http", request_id = %request_id, %error, "request failed outside a handler");
            return Err(error);
        }
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    let route = response.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let method = response.request().method().as_str().to_owned();
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if let Some(metrics) = response.request().app_data::<web::Data<HttpMetrics>>() {
        metrics.observe(&method, &route, status, elapsed);
    }
    tracing::info!(
        target: "tremplin::http",
        request_id = %request_id,
        method = %method,
        route = %route,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    Ok(response)
}

/// Error responses written by the framework or a third-party middleware (CORS,
/// Swagger UI assets) come as plain text; the API promises problem+json.
fn ensure_problem_body(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    let own_format = response.response().extensions().contains::<OwnErrorFormat>();
    if !status.is_client_error() && !status.is_server_error() || is_problem || own_format {
        return response;
    }
    let (request, original) = response.into_parts();
    let mut replacement = problem_for_status(status);
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replacement.headers_mut().insert(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(request, replacement)
}
