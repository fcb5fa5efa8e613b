//! Argon2id password hashing with the OWASP parameters (m = 19 MiB, t = 2,
//! p = 1), stored as a PHC string so that older parameters can be detected and
//! upgraded at the next successful login.

use std::sync::{LazyLock, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn current_params() -> Result<Params, argon2::Error> {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
}

/// Argon2's 19 MiB of working memory, kept for the next hash instead of
/// freed: with the allocator's per-thread arenas, freeing it let the process
/// grow by 19 MiB per thread that ever hashed (over 1 GiB in a login burst).
/// With `HASHING`, at most one buffer per permit exists.
static WORKING_MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn with_working_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    let mut buffer = WORKING_MEMORY.lock().ok().and_then(|mut pool| pool.pop()).unwrap_or_default();
    buffer.resize(blocks, Block::default());
    let result = work(&mut buffer);
    // Only buffers of today's size are kept (an old hash may use other parameters).
    if blocks == MEMORY_KIB as usize
        && let Ok(mut pool) = WORKING_MEMORY.lock()
    {
        pool.push(buffer);
    }
    result
}

/// Computes the Argon2 output of `password` with `argon2`'s parameters.
fn derive(
    argon2: &Argon2<'_>,
    password: &str,
    salt: &[u8],
    len: usize,
) -> Result<Output, argon2::password_hash::Error> {
    let blocks = argon2.params().block_count();
    Output::init_with(len, |out| {
        with_working_memory(blocks, |memory| {
            argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, memory)
        })
        .map_err(|_| argon2::password_hash::Error::Crypto)
    })
}

/// Hashes a password into a PHC string. CPU-heavy: call it off the async
/// executor (`hash_limited`).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let params = current_params().map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let output =
        derive(&argon2, password, salt_bytes, 32).map_err(|e| anyhow::anyhow!("argon2 hashing: {e}"))?;
    let phc = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// True when `password` matches the PHC string `stored` (whatever its parameters).
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed))
    else {
        return false;
    };
    let version = parsed.version.and_then(|v| Version::try_from(v).ok()).unwrap_or_default();
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, version, params);
    // `Output` compares in constant time.
    derive(&argon2, password, salt_bytes, expected.len()).is_ok_and(|computed| computed == expected)
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
    let current = current_params().ok();
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
    fn hashes_made_by_the_reference_implementation_verify() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, current_params().unwrap())
            .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify("correct horse battery", &reference));
        assert!(!verify("correct horse batter", &reference));
        let ours = hash("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default().verify_password(b"correct horse battery", &parsed).is_ok(),
            "readable by others"
        );
    }

    #[test]
    fn older_parameters_need_a_rehash() {
        use argon2::PasswordHasher;
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8, 1, 1, None).unwrap())
            .hash_password(b"password123", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify("password123", &weak));
        assert!(needs_rehash(&weak));
        assert!(needs_rehash("not a phc string"));
    }
}
