//! Enchanté: people who want to build a skill meet peers or professionals who
//! offer it. Mentor profiles and weekly availability, match requests,
//! explainable suggestions, the match lifecycle with its sessions and
//! feedback, safety (reports and blocks), and optimal cohort matching for
//! counsellors.
//!
//! Pure logic lives in `scoring` (the match score and its reasons, the
//! availability overlap across time zones) and `assignment` (the optimal
//! cohort assignment); the other modules hold the rules that touch the
//! database.

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
