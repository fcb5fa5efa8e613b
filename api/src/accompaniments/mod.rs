//! Accompaniment: a counsellor asks to follow a member, and sees their
//! journey only once the member has consented — until either of them ends it.

pub mod assisted;
pub mod dto;
pub mod routes;
pub mod service;
