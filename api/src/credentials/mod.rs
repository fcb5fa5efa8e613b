//! Faire savoir: achievements awarded to members, issued as verifiable Open
//! Badges 3.0 credentials (VC-JWT, RS256), with revocation through a W3C
//! Bitstring Status List, public verification and the issuer's keys.
//!
//! Owns the `awards` and `credential_keys` tables. Direction: the areas
//! whose events earn achievements (lessons, adaptive, workshops, mentoring)
//! call down into one narrow function, [`awards::award`], with their
//! `WriteTxn` and the fact they own (`Earned`), so the award commits with the
//! event or not at all; `awards` reads only skills, programme modules, the
//! message catalogue and notifications, never those areas. The rest of this
//! area (issuing, verification, routes) reads awards and is called by
//! `http::routes`, `journey` and `privacy` (export, erasure).
//!
//! Files: `achievements` (the achievements as data: keys, texts, images,
//! alignment), `awards` (awarding), `credential` (the OpenBadgeCredential
//! JSON), `keys` (signing keys and JWKS), `status_list` (the bitstring),
//! `issuer` (public URLs), `service` (the member's credentials, revocation,
//! baking, public documents), `verify`, `dto`, `routes`.

pub mod achievements;
pub mod awards;
pub mod credential;
pub mod dto;
pub mod issuer;
pub mod keys;
pub mod routes;
pub mod service;
pub mod status_list;
pub mod verify;
