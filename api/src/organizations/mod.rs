//! Partner organisations (Mission locale, France Travail, tiers-lieux...) and
//! the counsellors and facilitators who work for them.

pub mod dto;
pub mod routes;
pub mod service;
