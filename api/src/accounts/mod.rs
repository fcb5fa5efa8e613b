//! Accounts: the values that make one (parsed, never merely validated) and the
//! rules that create them.

pub mod domain;
pub mod service;
