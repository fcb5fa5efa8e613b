//! In-app notifications: a small service every area calls (`notify`), and the
//! caller's inbox.

pub mod notice;
pub mod routes;
pub mod service;
