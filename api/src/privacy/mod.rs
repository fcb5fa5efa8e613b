//! Personal-data rights (RGPD): export everything held about a person
//! (`GET /me/export`), erase them while keeping aggregate statistics true
//! (`DELETE /me`), and the retention policy (`tremplin purge`).
//!
//! It sits above every area it exports from or erases in: it may call
//! accounts, mentoring, workshops and notifications (their erasure steps) and
//! read any table `PERSONAL_DATA` names; no area calls it, only the HTTP
//! routes and the binary.

pub mod catalogue;
pub mod dto;
pub mod erasure;
pub mod export;
pub mod routes;
