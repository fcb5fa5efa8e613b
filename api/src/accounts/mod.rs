//! Accounts: registration and sessions, the caller's profile, personal-data
//! rights, and account administration.

pub mod domain;
pub mod dto;
pub mod party;
pub mod recovery;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod throttle;
pub mod usernames;
