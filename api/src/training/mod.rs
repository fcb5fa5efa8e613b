//! ACCESS FORMATION: training offers of training centres, linked to the
//! skills catalogue and to places of the directory.
//!
//! `domain` holds the pure rules (certification codes, the offer lifecycle);
//! `offers` the services; `routes` is HTTP only. May call `authz::training`,
//! `organizations` (places), `accounts` (parsed values) and the shared
//! `db`, `error`, `pagination`, `search`.

pub mod domain;
pub mod dto;
pub mod offers;
pub mod routes;
