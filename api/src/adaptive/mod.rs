//! NumériZen adaptive learning: the adaptive placement test over the DigComp
//! areas, and the recommendations across the three programmes (due reviews,
//! lessons, a mentor, a workshop), both reading the catalogue of published
//! lessons and skills that `AppState` caches.
//!
//! Sits above `lessons`: it may call `lessons` (exercise views and grading,
//! progress and mastery, spaced review, published summaries), `entity`, `db`
//! and the shared leaf modules; nothing below calls it. Its `routes` also
//! serve spaced review (`/me/reviews`, service in `lessons::review`), whose
//! request body `dto::ReviewAnswer` the OpenAPI examples name by this path.

pub mod catalogue;
pub mod dto;
pub mod placement;
pub mod routes;
pub mod seed;
pub mod service;
