//! NumériZen lessons: authoring with versions, server-side grading, attempts,
//! XP, streaks and mastery.

pub mod authoring;
pub mod dto;
pub mod grading;
pub mod routes;
pub mod seed;
pub mod service;
pub mod streak;
