//! NumériZen lessons: authoring with versions, server-side grading, attempts,
//! XP, streaks and mastery.

pub mod attempts;
pub mod authoring;
pub mod dto;
pub mod editing;
pub mod exercises;
pub mod grading;
pub mod learning_days;
pub mod progress;
pub mod review;
pub mod routes;
mod rows;
pub mod scheduling;
pub mod seed;
pub mod streak;
pub mod views;
