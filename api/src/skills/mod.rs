//! The skills catalogue (DigComp 2.2, Impose-toi ! soft skills, custom ones) and
//! the skills each member wants to learn or offers to share, and the public
//! profile that shows the latter (`profiles`).

pub mod dto;
pub mod offers;
pub mod profiles;
pub mod routes;
pub mod service;
