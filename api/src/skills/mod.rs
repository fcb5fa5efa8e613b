//! The skills catalogue (DigComp 2.2, Impose-toi ! soft skills, custom ones) and
//! the skills each member wants to learn or offers to share.

pub mod dto;
pub mod routes;
pub mod service;
