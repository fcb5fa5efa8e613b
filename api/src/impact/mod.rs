//! Impact figures for funders and partners: aggregated, never about fewer
//! than K people (`TREMPLIN_IMPACT_MIN_GROUP`, default 5).

pub mod dto;
pub mod figures;
pub mod period;
pub mod routes;
pub mod service;
