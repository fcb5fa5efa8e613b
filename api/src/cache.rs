//! A small in-process cache with a time to live, for data read on every
//! request. It never decides correctness: the replica that makes a change
//! drops its entry at once and, on PostgreSQL, tells the other replicas to
//! drop theirs ([`announce`], heard by `cache_listener`); entries also expire
//! after `ttl`, the safety net for a notice that was missed.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};
use uuid::Uuid;

pub struct TtlCache<K, V> {
    entries: Mutex<Entries<K, V>>,
    ttl: Duration,
    capacity: usize,
}

struct Entries<K, V> {
    map: HashMap<K, (Instant, V)>,
    /// Counts drops: a value loaded while an entry was dropped may be older
    /// than the change that dropped it, so it is not kept.
    drops: u64,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        TtlCache { entries: Mutex::new(Entries { map: HashMap::new(), drops: 0 }), ttl, capacity }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.lookup(key).ok()
    }

    /// The fresh cached value, or the drop count to hand to `keep` after loading.
    fn lookup(&self, key: &K) -> Result<V, Option<u64>> {
        let entries = self.entries.lock().map_err(|_| None)?;
        match entries.map.get(key).filter(|(stored, _)| stored.elapsed() < self.ttl) {
            Some((_, value)) => Ok(value.clone()),
            None => Err(Some(entries.drops)),
        }
    }

    /// Stores a value loaded when the drop count was `drops`, unless
    /// something was dropped since.
    fn keep(&self, key: K, value: V, drops: Option<u64>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if drops != Some(entries.drops) {
            return;
        }
        if entries.map.len() >= self.capacity {
            let ttl = self.ttl;
            entries.map.retain(|_, (stored, _)| stored.elapsed() < ttl);
            if entries.map.len() >= self.capacity {
                entries.map.clear();
            }
        }
        entries.map.insert(key, (Instant::now(), value));
    }

    /// The cached value, or the one `load` reads, kept for next time. Two
    /// requests that miss together both load: the cache never waits.
    pub async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<V, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        let drops = match self.lookup(&key) {
            Ok(value) => return Ok(value),
            Err(drops) => drops,
        };
        let value = load.await?;
        self.keep(key, value.clone(), drops);
        Ok(value)
    }

    /// Like `get_or_load` for a value that may not exist; an absence is not kept.
    pub async fn get_or_find<E, F>(&self, key: K, find: F) -> Result<Option<V>, E>
    where
        F: Future<Output = Result<Option<V>, E>>,
    {
        let drops = match self.lookup(&key) {
            Ok(value) => return Ok(Some(value)),
            Err(drops) => drops,
        };
        let found = find.await?;
        if let Some(value) = &found {
            self.keep(key, value.clone(), drops);
        }
        Ok(found)
    }

    pub fn remove(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.map.remove(key);
            entries.drops += 1;
        }
    }

    /// Drops every entry, e.g. after notices of other replicas may have been missed.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.map.clear();
            entries.drops += 1;
        }
    }
}

/// The PostgreSQL channel on which replicas tell each other what went stale.
pub const STALE_CHANNEL: &str = "tremplin_stale";

/// A committed change that makes cached copies stale on every replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// An account (`AppState::users`).
    User(Uuid),
    /// A lesson: its published copy and the catalogue.
    Lesson(Uuid),
    /// The catalogue of lessons and skills (a skill changed).
    Catalogue,
    /// Anything: a notice this version cannot read (from a newer replica
    /// during a rolling upgrade) drops everything.
    Everything,
}

impl Stale {
    fn payload(self) -> String {
        match self {
            Stale::User(id) => format!("user:{id}"),
            Stale::Lesson(id) => format!("lesson:{id}"),
            Stale::Catalogue => "catalogue".into(),
            Stale::Everything => "everything".into(),
        }
    }

    pub fn parse(payload: &str) -> Stale {
        let id = |text: &str| Uuid::parse_str(text).ok();
        match payload.split_once(':') {
            Some(("user", text)) => id(text).map_or(Stale::Everything, Stale::User),
            Some(("lesson", text)) => id(text).map_or(Stale::Everything, Stale::Lesson),
            None if payload == "catalogue" => Stale::Catalogue,
            _ => Stale::Everything,
        }
    }
}

/// Tells the other replicas, on PostgreSQL, that `stale` must be dropped.
/// Call it inside the transaction of the change: PostgreSQL delivers the
/// notice at commit, so a rolled-back change tells nobody and no replica
/// hears of a change before it can read it. On SQLite (one process) the
/// caller's own drop after commit is all there is.
pub async fn announce(db: &impl ConnectionTrait, stale: Stale) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [STALE_CHANNEL.into(), stale.payload().into()],
    ))
    .await
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_are_removed_and_stay_bounded() {
        let cache = TtlCache::new(Duration::from_millis(30), 2);
        cache.keep(1, "a", Some(0));
        assert_eq!(cache.get(&1), Some("a"));
        cache.remove(&1);
        assert_eq!(cache.get(&1), None);
        cache.keep(2, "b", Some(1));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&2), None, "expired");
        cache.keep(3, "c", Some(1));
        cache.keep(4, "d", Some(1));
        cache.keep(5, "e", Some(1));
        assert!(cache.entries.lock().unwrap().map.len() <= 2);
        assert_eq!(cache.get(&5), Some("e"));
        cache.clear();
        assert_eq!(cache.get(&5), None, "cleared");
    }

    #[tokio::test]
    async fn a_loaded_value_is_kept_and_a_failed_load_is_not() {
        let cache = TtlCache::new(Duration::from_secs(60), 10);
        assert_eq!(cache.get_or_load(1, async { Err::<&str, _>("down") }).await, Err("down"));
        assert_eq!(cache.get(&1), None);
        assert_eq!(cache.get_or_load(1, async { Ok::<_, ()>("a") }).await, Ok("a"));
        assert_eq!(cache.get_or_load(1, async { Ok::<_, ()>("b") }).await, Ok("a"), "kept");
        assert_eq!(cache.get_or_find(2, async { Ok::<_, ()>(None) }).await, Ok(None));
        assert_eq!(cache.get_or_find(2, async { Ok::<_, ()>(Some("x")) }).await, Ok(Some("x")));
        assert_eq!(cache.get(&2), Some("x"), "a found value is kept");
    }

    /// A value read before a change but stored after the change dropped the
    /// entry would be served stale until it expires: it is not stored.
    #[tokio::test]
    async fn a_value_loaded_while_the_entry_was_dropped_is_not_kept() {
        let cache = TtlCache::new(Duration::from_secs(60), 10);
        let loaded = cache
            .get_or_load(1, async {
                cache.remove(&1);
                Ok::<_, ()>("read before the change")
            })
            .await;
        assert_eq!(loaded, Ok("read before the change"), "the caller still gets it");
        assert_eq!(cache.get(&1), None, "but it is not kept");
        let found = cache
            .get_or_find(1, async {
                cache.clear();
                Ok::<_, ()>(Some("read before the change"))
            })
            .await;
        assert_eq!(found, Ok(Some("read before the change")));
        assert_eq!(cache.get(&1), None);
    }

    #[test]
    fn notices_read_back_and_unknown_ones_drop_everything() {
        let id = Uuid::now_v7();
        for stale in [Stale::User(id), Stale::Lesson(id), Stale::Catalogue, Stale::Everything] {
            assert_eq!(Stale::parse(&stale.payload()), stale);
        }
        for unknown in ["", "user:", "user:42", "lesson:x", "workshop:1", "catalogue:1"] {
            assert_eq!(Stale::parse(unknown), Stale::Everything, "{unknown:?}");
        }
    }
}
