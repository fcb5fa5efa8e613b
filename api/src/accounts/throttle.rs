//! Throttling, stored in the database so that it holds across replicas.
//! Login failures are counted per account (by a hash of the email, known or
//! not, so unknown emails behave like known ones) and per client address,
//! within a sliding window; registrations per client address and hour.
//!
//! Counting is atomic: an attempt is reserved (its row inserted) *before*
//! the password is checked, by one check-and-insert that holds a lock on its
//! scopes (PostgreSQL: transaction advisory locks keyed on the scopes;
//! SQLite: the write transaction is exclusive). N concurrent attempts thus
//! cannot all pass a check that none of them has counted yet. A right
//! password then withdraws its reservation; a wrong one leaves it as the
//! failure.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use entity::login_failure;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::begin_write;
use crate::error::ApiError;

/// An address may fail this many times more than one account: a family or a
/// Mission locale shares one public address.
const ADDRESS_FACTOR: u32 = 4;
/// Advisory-lock class of the throttling scopes (the second key is the scope's).
const LOCK_CLASS: i32 = 0x7468_726f; // "thro"
const REGISTRATION_WINDOW: Duration = Duration::hours(1);

pub struct LoginThrottle {
    pub max_failures: u32,
    pub window: Duration,
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
            address: address.map(|ip| format!("address:{}", address_key(ip))),
        }
    }

    /// The account's scope, to erase its failures with the account.
    pub fn account(&self) -> &str {
        &self.account
    }
}

/// An IPv4 address, or the /64 of an IPv6 one: a single host commonly holds a
/// whole /64, so counting its addresses one by one would limit nothing.
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            ipnet::Ipv6Net::new(v6, 64).map_or_else(|_| v6.to_string(), |net| net.trunc().to_string())
        }
    }
}

/// The rows of one counted attempt, one per scope.
#[must_use = "a right password withdraws its reservation"]
pub struct Reservation(Vec<Uuid>);

impl LoginThrottle {
    /// Counts a login attempt before its password is checked: 429 with the
    /// seconds to wait when either scope already failed too often.
    pub async fn reserve(
        &self,
        db: &DatabaseConnection,
        scopes: &LoginScopes,
    ) -> Result<Reservation, ApiError> {
        let mut limits = vec![(scopes.account.as_str(), self.max_failures)];
        if let Some(address) = &scopes.address {
            limits.push((address.as_str(), self.max_failures.saturating_mul(ADDRESS_FACTOR)));
        }
        reserve(db, &limits, self.window).await
    }

    /// The password was right: the attempt was no failure, and the account's
    /// earlier failures are forgotten (not the address's).
    pub async fn succeeded(
        &self,
        db: &impl ConnectionTrait,
        scopes: &LoginScopes,
        reservation: Reservation,
    ) -> Result<(), ApiError> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Id.is_in(reservation.0))
            .exec(db)
            .await?;
        forget_account(db, scopes.account()).await
    }
}

/// Counts a registration from `address`: 429 beyond `per_hour` in the last hour.
pub async fn reserve_registration(
    db: &DatabaseConnection,
    address: IpAddr,
    per_hour: u32,
) -> Result<(), ApiError> {
    let scope = format!("register:{}", address_key(address));
    reserve(db, &[(scope.as_str(), per_hour)], REGISTRATION_WINDOW).await.map(drop)
}

/// Inserts one row per scope when each has fewer than its limit inside the
/// window, all under the scopes' lock; else 429 and nothing is counted.
async fn reserve(
    db: &DatabaseConnection,
    limits: &[(&str, u32)],
    window: Duration,
) -> Result<Reservation, ApiError> {
    let txn = begin_write(db).await?;
    lock_scopes(&txn, limits.iter().map(|(scope, _)| *scope)).await?;
    let now = Utc::now();
    for (scope, limit) in limits {
        let recent = recent_attempts(&txn, scope, now - window).await?;
        let limit = *limit as usize;
        if recent.len() >= limit {
            txn.rollback().await?;
            // The oldest attempt that must leave the window to fall under the limit.
            let unlock_at = recent[recent.len() - limit] + window;
            let retry_after_secs = (unlock_at - now).num_seconds().max(1) as u64;
            return Err(ApiError::TooManyRequests { retry_after_secs });
        }
    }
    let mut rows = Vec::with_capacity(limits.len());
    for (scope, _) in limits {
        // Expired rows of this scope go as new ones come: the table stays small.
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Scope.eq(*scope))
            .filter(login_failure::Column::CreatedAt.lte(now - window))
            .exec(&txn)
            .await?;
        let id = Uuid::now_v7();
        login_failure::ActiveModel { id: Set(id), scope: Set((*scope).to_owned()), created_at: Set(now) }
            .insert(&txn)
            .await?;
        rows.push(id);
    }
    txn.commit().await?;
    Ok(Reservation(rows))
}

/// PostgreSQL: transaction advisory locks on the scopes, in key order so two
/// attempts never wait for each other crosswise. Two scopes may share a key:
/// they only wait. SQLite's write transaction is already exclusive.
async fn lock_scopes<'a>(
    txn: &impl ConnectionTrait,
    scopes: impl Iterator<Item = &'a str>,
) -> Result<(), ApiError> {
    let backend = txn.get_database_backend();
    if backend != DatabaseBackend::Postgres {
        return Ok(());
    }
    let mut keys: Vec<i32> = scopes
        .map(|scope| {
            let digest = Sha256::digest(scope.as_bytes());
            i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [LOCK_CLASS.into(), key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Attempt times of `scope` after `since`, oldest first.
async fn recent_attempts(
    db: &impl ConnectionTrait,
    scope: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, ApiError> {
    let rows = login_failure::Entity::find()
        .filter(login_failure::Column::Scope.eq(scope))
        .filter(login_failure::Column::CreatedAt.gt(since))
        .order_by_asc(login_failure::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| row.created_at).collect())
}

pub async fn forget_account(db: &impl ConnectionTrait, account_scope: &str) -> Result<(), ApiError> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Scope.eq(account_scope))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let key = |ip: &str| address_key(ip.parse().unwrap());
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }
}
