//! NumériZen lessons: authoring with versions, server-side grading, attempts,
//! XP, streaks and mastery.

pub mod authoring;
pub mod dto;
pub mod grading;
pub mod review;
pub mod routes;
pub mod scheduling;
pub mod seed;
pub mod service;
pub mod streak;
