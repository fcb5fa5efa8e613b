//! Partners: organisations' API clients (OAuth 2.0 client credentials,
//! RFC 6749 §4.4) — creating, listing and revoking them, the token endpoint,
//! and the reads a client makes with its scopes (the members its
//! organisation accompanies with consent). The rules of what a client may
//! see are in `authz::clients`; the extractor of a client's token in
//! `auth::extractor`.
//!
//! Sits above accounts, organisations, accompaniments and journey; calls
//! down into them only.

pub mod clients;
pub mod dto;
pub mod oauth;
pub mod routes;
