//! A small in-process cache with a time to live, for data read on every
//! request. It never decides correctness: entries expire after `ttl`, so
//! several replicas disagree for at most that long, and the replica that
//! makes a change drops its entry at once.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    entries: Mutex<HashMap<K, (Instant, V)>>,
    ttl: Duration,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        TtlCache { entries: Mutex::new(HashMap::new()), ttl, capacity }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(stored, _)| stored.elapsed() < self.ttl).map(|(_, value)| value.clone())
    }

    pub fn insert(&self, key: K, value: V) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity {
            let ttl = self.ttl;
            entries.retain(|_, (stored, _)| stored.elapsed() < ttl);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), value));
    }

    /// The cached value, or the one `load` reads, kept for next time. Two
    /// requests that miss together both load: the cache never waits.
    pub async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<V, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        let value = load.await?;
        self.insert(key, value.clone());
        Ok(value)
    }

    pub fn remove(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_are_removed_and_stay_bounded() {
        let cache = TtlCache::new(Duration::from_millis(30), 2);
        cache.insert(1, "a");
        assert_eq!(cache.get(&1), Some("a"));
        cache.remove(&1);
        assert_eq!(cache.get(&1), None);
        cache.insert(2, "b");
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&2), None, "expired");
        cache.insert(3, "c");
        cache.insert(4, "d");
        cache.insert(5, "e");
        assert!(cache.entries.lock().unwrap().len() <= 2);
        assert_eq!(cache.get(&5), Some("e"));
    }

    #[tokio::test]
    async fn a_loaded_value_is_kept_and_a_failed_load_is_not() {
        let cache = TtlCache::new(Duration::from_secs(60), 10);
        assert_eq!(cache.get_or_load(1, async { Err::<&str, _>("down") }).await, Err("down"));
        assert_eq!(cache.get(&1), None);
        assert_eq!(cache.get_or_load(1, async { Ok::<_, ()>("a") }).await, Ok("a"));
        assert_eq!(cache.get_or_load(1, async { Ok::<_, ()>("b") }).await, Ok("a"), "kept");
    }
}
