//! Tremplin: the HTTP API of NumériZen, Enchanté and Impose-toi !, as a library
//! that the `tremplin` binary and the integration tests share.
//!
//! Top down: `startup` builds the server from `http` (route registration, the
//! middleware stack, the OpenAPI assembly); the domain areas below it use the
//! shared leaves (`error`, `extract`, `schema`, `request_id`, `pagination`,
//! `i18n`, `db`...) and never call back into `http` (`operations` only reads
//! the served document).

pub mod accompaniments;
pub mod accounts;
pub mod adaptive;
pub mod assessments;
pub mod auth;
pub mod authz;
pub mod cache;
pub mod cache_listener;
pub mod client_address;
pub mod config;
pub mod credentials;
pub mod db;
pub mod error;
pub mod extract;
pub mod http;
pub mod i18n;
pub mod impact;
pub mod journey;
pub mod lessons;
pub mod mail;
pub mod mentoring;
pub mod metrics;
pub mod notifications;
pub mod operations;
pub mod organizations;
pub mod pagination;
pub mod partners;
pub mod periodic;
pub mod privacy;
pub mod request_id;
pub mod schema;
pub mod search;
pub mod skills;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod training;
pub mod webhooks;
pub mod weekly;
pub mod workshops;
