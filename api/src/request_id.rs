//! The request id: the client's `X-Request-Id` when it is safe to log, else a
//! generated one, held in a task-local while the request is served so that
//! problem answers and log lines quote it. A leaf: it depends on nothing in the
//! crate, so `error` and the request middleware can both use it.

use actix_web::http::header::{HeaderMap, HeaderName};
use uuid::Uuid;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_REQUEST_ID_LEN: usize = 128;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served, when called while serving one.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The id of a new request: the client's, or a fresh UUID v7.
pub fn for_request(headers: &HeaderMap) -> String {
    incoming_request_id(headers).unwrap_or_else(|| Uuid::now_v7().to_string())
}

/// A client's id is kept when it is short and printable, so it can be logged safely.
fn incoming_request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(&REQUEST_ID_HEADER)?.to_str().ok()?;
    let valid = !value.is_empty()
        && value.len() <= MAX_REQUEST_ID_LEN
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    valid.then(|| value.to_owned())
}

/// Runs `future` as the request `id`.
pub async fn scope<F: std::future::Future>(id: String, future: F) -> F::Output {
    REQUEST_ID.scope(id, future).await
}

/// `scope` for the synchronous part of starting a request.
pub fn sync_scope<R>(id: String, f: impl FnOnce() -> R) -> R {
    REQUEST_ID.sync_scope(id, f)
}
