//! Outgoing mail through a transactional outbox.
//!
//! A change that must tell someone by mail (a password reset, an address to
//! verify) writes the message into `outbound_messages` in its own
//! transaction, so a rolled-back change sends nothing and a committed one is
//! never forgotten. The sender task of every replica claims due messages under
//! a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), delivers them over SMTP
//! and retries with exponential backoff; a message keeps one `Message-ID`
//! across its tries. Without `TREMPLIN_SMTP_URL` nothing is sent and the
//! messages wait.
//!
//! Owns: the outbox table, the sender, the admin view of the outbox. Calls
//! only the database and the configuration.

pub mod dto;
pub mod outbox;
pub mod routes;
pub mod sender;
pub mod templates;
