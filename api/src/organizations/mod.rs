//! Partner organisations (Mission locale, France Travail, tiers-lieux...) and
//! the counsellors and facilitators who work for them; the public directory
//! of places (`directory`), whose address values are parsed in `place`.

pub mod directory;
pub mod dto;
pub mod place;
pub mod routes;
pub mod service;
