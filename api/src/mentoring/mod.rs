//! Enchanté: people who want to build a skill meet peers or professionals who
//! offer it. Mentor profiles and weekly availability, match requests,
//! explainable suggestions, the match lifecycle with its sessions and
//! feedback, safety (reports and blocks), and optimal cohort matching for
//! counsellors.
//!
//! Pure logic lives in `scoring` (the match score and its reasons, the
//! availability overlap across time zones), `assignment` (the optimal cohort
//! assignment) and `domain` (parsed values). Shared reads live in leaves that
//! call no other mentoring module but those: `mentors` (a mentor's languages,
//! skills, availability, seats), `blocks` (who blocked whom, for many people)
//! and `catalogue` (skill references). Above them: `profiles`, `requests`,
//! `suggestions`, `lifecycle` (creating a match and every status change),
//! `match_views`, `sessions`, `feedback`, `safety` (blocking ends a match
//! through `lifecycle`), `cohort`, `expiry`, `journey`, `privacy`; `routes`
//! is HTTP only.
//!
//! Owns the mentoring tables. May call `authz` (who is a party to a match,
//! who may see whom, a counsellor's consent), `skills::offers` (the
//! suggestion index), `accounts` (names of parties, parsed values),
//! `notifications`, the `auth` extractors (routes), `periodic` (the expiry
//! sweep) and the shared `db`, `error`, `pagination`; never an area above
//! it. Changes of a match status and refreshes of the suggestion index
//! run in a `db::WriteTxn`.

pub mod assignment;
pub mod blocks;
pub mod catalogue;
pub mod cohort;
pub mod domain;
pub mod dto;
pub mod expiry;
pub mod feedback;
pub mod journey;
pub mod lifecycle;
pub mod match_views;
pub mod mentors;
pub mod privacy;
pub mod profiles;
pub mod requests;
pub mod routes;
pub mod safety;
pub mod scoring;
pub mod sessions;
pub mod suggestions;
