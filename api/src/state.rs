//! Shared, read-only application state handed to handlers. Nothing here may
//! hold data that would differ between replicas: state lives in the database.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::accounts::throttle::LoginThrottle;
use crate::auth::token::TokenKeys;
use crate::config::Settings;

pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub tokens: TokenKeys,
    pub throttle: LoginThrottle,
}
