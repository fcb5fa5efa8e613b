//! Authentication: password hashing, access tokens, API-client scopes, and
//! the extractors that tell handlers who is calling and with which role or
//! scopes.

pub mod extractor;
pub mod password;
pub mod scope;
pub mod token;

pub use extractor::{Admin, AuthUser, Author, Authorized, Caller, ClientCaller, Counsellor};
