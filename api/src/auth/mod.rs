//! Authentication: password hashing, access tokens, and the extractors that
//! tell handlers who is calling and with which role.

pub mod extractor;
pub mod password;
pub mod token;

pub use extractor::{Admin, AuthUser, Author, Authorized, Counsellor};
