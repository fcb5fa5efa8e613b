//! Who may see or change what, decided in one place.
//!
//! Each rule hands back a proof value whose fields are private to this module:
//! a service function that needs the right takes the proof as a parameter, so
//! calling it without the check does not compile. A rule that is audited
//! checks and writes the audit row in one statement, so the two cannot
//! disagree.
//!
//! Owns the rules; calls only `entity`, `db` and `error` (never an area).

pub mod consent;
pub mod lessons;
pub mod mentoring;
pub mod organizations;
pub mod workshops;
