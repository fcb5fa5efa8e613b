//! Authentication building blocks: password hashing (and, with the accounts
//! issue, tokens and the authenticated-user extractor).

pub mod password;
