//! NumériZen adaptive learning: spaced reviews (FSRS), the adaptive placement
//! test, and recommendations across the three programmes.

pub mod catalogue;
pub mod dto;
pub mod placement;
pub mod routes;
pub mod seed;
pub mod service;
