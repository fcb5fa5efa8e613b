//! One integration-test binary (faster to link than one per file); each module
//! covers one area through real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod accompaniments;
mod accounts;
mod accounts_storage;
mod adaptive;
mod assessments;
mod authorization;
mod credentials;
mod errors;
mod idempotency;
mod impact;
mod journey;
mod languages;
mod lessons;
mod mail;
mod mentoring;
mod notifications;
mod openapi_document;
mod operations;
mod organizations;
mod partners_clients;
mod privacy;
mod reference_data;
mod replicas;
mod skills;
mod training;
mod webhooks;
mod workshops;
