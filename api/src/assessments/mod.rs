//! Self-assessments: the Rosenberg Self-Esteem Scale (RSES) filled in before
//! and after a module or the Impose-toi ! programme.

pub mod dto;
pub mod routes;
pub mod rses;
pub mod service;
