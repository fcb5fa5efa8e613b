//! Operations endpoints (not versioned): health, metrics, the OpenAPI document
//! and Swagger UI.

pub mod routes;
