//! Accounts: registration and sessions, the caller's profile and sign-in
//! identifiers, getting back into an account, and account administration.
//!
//! The bottom of the domain areas: others call accounts (parties, users, the
//! login throttle); accounts calls none of them, only auth, mail (its outbox
//! and templates) and the shared modules (db, cache, error...). Personal-data
//! rights, which reach into every area, live above it in `privacy`; the
//! public profile, which shows skills, in `skills::profiles`.
//!
//! A service function that changes a user row drops this replica's cached
//! copy (`AppState::users`) once the change is committed, so authentication
//! sees a disabled account, a new role or a new password at once; handlers
//! never touch the cache.

pub mod domain;
pub mod dto;
pub mod party;
pub mod recovery;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod throttle;
pub mod usernames;
