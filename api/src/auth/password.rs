//! Argon2id password hashing with the OWASP parameters (m = 19 MiB, t = 2,
//! p = 1), stored as a PHC string so that older parameters can be detected and
//! upgraded at the next successful login.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use std::sync::LazyLock;

use tokio::sync::Semaphore;

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn hasher() -> Result<Argon2<'static>, argon2::Error> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string. CPU-heavy: call it off the async
/// executor (`spawn_blocking`).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = hasher()
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2 hashing: {e}"))?;
    Ok(hash.to_string())
}

/// True when `password` matches the PHC string `stored` (whatever its parameters).
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// At most one hash per core at a time: each needs 19 MiB and a core for tens
/// of milliseconds, so a burst of logins queues instead of growing the memory
/// of the process by 19 MiB per waiting request.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

async fn limited<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = HASHING.acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
}

/// [`hash`] off the async executor, under the hashing limit.
pub async fn hash_limited(password: String) -> anyhow::Result<String> {
    limited(move || hash(&password)).await?
}

/// [`verify`] off the async executor, under the hashing limit.
pub async fn verify_limited(password: String, stored: String) -> anyhow::Result<bool> {
    limited(move || verify(&password, &stored)).await
}

/// True when `stored` was made with other parameters than today's.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let current = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).ok();
    parsed.algorithm.as_str() != "argon2id"
        || Params::try_from(&parsed).ok().map(|p| (p.m_cost(), p.t_cost(), p.p_cost()))
            != current.map(|p| (p.m_cost(), p.t_cost(), p.p_cost()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_carry_the_owasp_parameters() {
        let stored = hash("un mot de passe très sûr ✓").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("un mot de passe très sûr ✓", &stored));
        assert!(!verify("un mot de passe très sûr", &stored));
        assert!(!needs_rehash(&stored));
    }

    #[test]
    fn older_parameters_need_a_rehash() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8, 1, 1, None).unwrap())
            .hash_password(b"password123", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify("password123", &weak));
        assert!(needs_rehash(&weak));
        assert!(needs_rehash("not a phc string"));
    }
}
