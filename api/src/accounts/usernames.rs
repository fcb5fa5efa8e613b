//! Usernames: readable (`amina.k42`), unique, and never given twice — an
//! erased account's username is retired (only its SHA-256 is kept).

use entity::{retired_username, user};
use password_hash::rand_core::{OsRng, RngCore};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// Random numbers tried per width before a wider one: 2 digits, then 3...
const TRIES_PER_WIDTH: usize = 8;

pub fn retired_hash(username: &str) -> String {
    hex::encode(Sha256::digest(username.as_bytes()))
}

async fn is_free(db: &impl ConnectionTrait, candidate: &str) -> Result<bool, DbErr> {
    let used = user::Entity::find().filter(user::Column::Username.eq(candidate)).count(db).await? > 0;
    let retired = retired_username::Entity::find_by_id(retired_hash(candidate)).one(db).await?.is_some();
    Ok(!used && !retired)
}

/// A free username for `display_name`: its stem and a random number of two
/// digits (three, four... when those are taken). The unique index decides if
/// two accounts race for the same one (the caller tries again).
pub async fn available(db: &impl ConnectionTrait, display_name: &str) -> Result<String, DbErr> {
    let stem = migration::usernames::stem(display_name);
    for width in 2u32.. {
        let low = 10u64.pow(width - 1);
        for _ in 0..TRIES_PER_WIDTH {
            let candidate = format!("{stem}{}", low + OsRng.next_u64() % (low * 9));
            if is_free(db, &candidate).await? {
                return Ok(candidate);
            }
        }
        if width >= 12 {
            break;
        }
    }
    Err(DbErr::Custom(format!("no free username for the stem {stem}")))
}
