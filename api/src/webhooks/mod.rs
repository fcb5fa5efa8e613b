//! Signed webhooks for partner organisations (issue 15), following the
//! Standard Webhooks specification.
//!
//! A change that partners should hear of calls `events::emit` in its own
//! transaction: the event and one delivery per endpoint allowed to receive it
//! are written there (an event about a member only reaches organisations the
//! member consents to at that moment; ending a consent drops what was still
//! queued for them). The dispatcher of every replica claims due deliveries
//! under a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), POSTs them signed
//! with HMAC-SHA256 and retries with exponential backoff and jitter.
//!
//! Owns: endpoints, events, deliveries, their tries, and the routes under
//! `/organizations/{id}/webhooks`. `events` is a leaf the other areas call;
//! the rest calls only `authz`, the database and the configuration.

pub mod address;
pub mod deliveries;
pub mod dispatcher;
pub mod dto;
pub mod endpoints;
pub mod events;
pub mod routes;
pub mod signature;
