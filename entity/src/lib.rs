//! SeaORM entities: one module per table. The schema itself is owned by the
//! `migration` crate; these types only describe it to the ORM.

pub mod accompaniment;
pub mod audit_log;
pub mod login_failure;
pub mod notification;
pub mod organization;
pub mod organization_member;
pub mod refresh_token;
pub mod role;
pub mod skill;
pub mod user;

pub use role::Role;
