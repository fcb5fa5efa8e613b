//! SeaORM entities: one module per table. The schema itself is owned by the
//! `migration` crate; these types only describe it to the ORM.

pub mod role;
pub mod skill;
pub mod user;

pub use role::Role;
