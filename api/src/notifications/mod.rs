//! In-app notifications: what every area calls to tell someone
//! (`notice::send`, in the recipient's language), and the caller's inbox.

pub mod notice;
pub mod routes;
pub mod service;
