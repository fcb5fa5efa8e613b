//! NumériZen lessons: authoring with immutable versions, the published path
//! members follow, attempts graded on the server, XP, streaks, mastery, and
//! the spaced review (FSRS) of every exercise answered.
//!
//! Sits above `accounts` and `skills`, below `adaptive`: it may call `entity`,
//! `db`, `authz` and the shared leaf modules (`cache`, `error`, `pagination`,
//! `search`; `auth` and `state` in `routes`), never `adaptive`, which calls it.
//! Inside, the pure files (`authoring`, `grading`, `scheduling`, `streak`) do
//! no I/O; `rows`, `exercises` and `learning_days` are the shared leaves;
//! `views`, `editing`, `review`, `progress` and `attempts` build on them, each
//! calling only those before it in this list.

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
