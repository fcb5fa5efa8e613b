//! Login throttling, stored in the database so that it holds across replicas.
//! Failures are counted per account (by a hash of the email, known or not, so
//! unknown emails behave like known ones) and per client address, within a
//! sliding window.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use entity::login_failure;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;

/// An address may fail this many times more than one account: a family or a
/// Mission locale shares one public address.
const ADDRESS_FACTOR: u32 = 4;

pub struct LoginThrottle {
    pub max_failures: u32,
    pub window: chrono::Duration,
}

/// The scopes a login attempt counts against.
pub struct LoginScopes {
    account: String,
    address: Option<String>,
}

impl LoginScopes {
    pub fn new(normalised_email: &str, address: Option<IpAddr>) -> Self {
        LoginScopes {
            account: format!("account:{}", hex::encode(Sha256::digest(normalised_email.as_bytes()))),
            address: address.map(|ip| format!("address:{ip}")),
        }
    }

    /// The account's scope, to erase its failures with the account.
    pub fn account(&self) -> &str {
        &self.account
    }
}

impl LoginThrottle {
    /// 429 with the seconds to wait when either scope failed too often.
    pub async fn check(&self, db: &impl ConnectionTrait, scopes: &LoginScopes) -> Result<(), ApiError> {
        let now = Utc::now();
        let mut limits = vec![(scopes.account.as_str(), self.max_failures)];
        if let Some(address) = &scopes.address {
            limits.push((address.as_str(), self.max_failures.saturating_mul(ADDRESS_FACTOR)));
        }
        for (scope, limit) in limits {
            let recent = self.recent_failures(db, scope, now).await?;
            if recent.len() >= limit as usize {
                // The oldest failure that must expire to fall under the limit.
                let unlock_at = recent[recent.len() - limit as usize] + self.window;
                let retry_after_secs = (unlock_at - now).num_seconds().max(1) as u64;
                return Err(ApiError::TooManyRequests { retry_after_secs });
            }
        }
        Ok(())
    }

    /// Failure times of `scope` inside the window, oldest first.
    async fn recent_failures(
        &self,
        db: &impl ConnectionTrait,
        scope: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, ApiError> {
        let rows = login_failure::Entity::find()
            .filter(login_failure::Column::Scope.eq(scope))
            .filter(login_failure::Column::CreatedAt.gt(now - self.window))
            .order_by_asc(login_failure::Column::CreatedAt)
            .all(db)
            .await?;
        Ok(rows.into_iter().map(|row| row.created_at).collect())
    }

    pub async fn record_failure(
        &self,
        db: &impl ConnectionTrait,
        scopes: &LoginScopes,
    ) -> Result<(), ApiError> {
        let now = Utc::now();
        for scope in std::iter::once(&scopes.account).chain(scopes.address.as_ref()) {
            // Expired rows of this scope go as new ones come: the table stays small.
            login_failure::Entity::delete_many()
                .filter(login_failure::Column::Scope.eq(scope.as_str()))
                .filter(login_failure::Column::CreatedAt.lte(now - self.window))
                .exec(db)
                .await?;
            login_failure::ActiveModel {
                id: Set(Uuid::now_v7()),
                scope: Set(scope.clone()),
                created_at: Set(now),
            }
            .insert(db)
            .await?;
        }
        Ok(())
    }

    /// A successful login forgets the account's failures (not the address's).
    pub async fn clear_account(
        &self,
        db: &impl ConnectionTrait,
        scopes: &LoginScopes,
    ) -> Result<(), ApiError> {
        forget_account(db, scopes.account()).await
    }
}

pub async fn forget_account(db: &impl ConnectionTrait, account_scope: &str) -> Result<(), ApiError> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Scope.eq(account_scope))
        .exec(db)
        .await?;
    Ok(())
}
