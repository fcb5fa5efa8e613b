//! Impose-toi !: the programme and its modules, workshop sessions, enrolment
//! that never overbooks, waiting lists, attendance and calendars.
//!
//! Owns the `programs`, `program_modules`, `workshops`, `enrolments` and
//! `calendar_feeds` tables. `routes` is HTTP only and calls one service
//! function per request (`programme`, `sessions`, `enrolments`, `roster`,
//! `calendar`); the rules of seats are `allocation` (pure) and `seats` (the
//! lock, promotion and release), shared by enrolment, session edits and
//! `erasure`; `views` builds what the API shows; `common` is the leaf every
//! file uses. Who runs a session and who may enrol whom are decided in
//! `crate::authz` (the `Runs` and `Consent` proofs).
//!
//! May call: `entity`, `crate::authz`, `crate::db`, `crate::error`,
//! `crate::pagination`, `crate::notifications` (notices in the same
//! transaction), `crate::accounts::party` (names), `crate::auth` (tokens of
//! the calendar feed) and, for the personal feed only, the `mentoring`
//! tables through `entity`. Called from outside by the journey area
//! (`journey`) and the account erasure (`erasure`).

mod allocation;
pub mod calendar;
mod common;
pub mod dto;
mod enrolments;
pub mod erasure;
pub mod ical;
pub mod journey;
mod programme;
mod roster;
pub mod routes;
mod seats;
mod sessions;
mod views;
