//! The HTTP edge: what every request goes through around the handlers, and
//! what the service says about its routes.
//!
//! - `middleware` (request context: id, language, stray errors as problems,
//!   metrics, the log line), `etag`, `idempotency`: the middleware stack;
//! - `fallback`: 404 or 405 for a request no handler takes, from the route table;
//! - `routes`: every documented route, the one list the server and the
//!   document are built from; it sits at the top and calls into every area;
//! - `openapi`: the OpenAPI assembly, built from `routes`.
//!
//! Below the top, these modules may call `error`, `request_id`, `schema`,
//! `i18n`, `metrics`, `state`, `periodic` and `auth`; areas never call into `http`
//! (they use `error`, `extract` and `schema`), except `operations`, which
//! serves the assembled document.

pub mod etag;
pub mod fallback;
pub mod idempotency;
pub mod middleware;
pub mod openapi;
pub mod routes;
