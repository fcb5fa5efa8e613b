//! The journey: one summary of a member's path across the three pillars, for
//! the member and for the counsellors they consented to — every counsellor
//! read written to the audit log, which the member can read.

pub mod dto;
pub mod routes;
pub mod service;
