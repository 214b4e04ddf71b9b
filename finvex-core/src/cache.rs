//! A small bounded cache with a time-to-live, for hot read paths (API key
//! verification, the merchant behind a key). Entries are at most `ttl` old,
//! so a change made by another server instance is seen within `ttl`; the
//! instance that makes a change invalidates its own entry at once.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use crate::clock::Timestamp;

pub struct TtlCache<K, V> {
    entries: Mutex<HashMap<K, (V, Timestamp)>>,
    ttl_ms: i64,
    max_entries: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl_ms: i64, max_entries: usize) -> Self {
        TtlCache {
            entries: Mutex::new(HashMap::new()),
            ttl_ms,
            max_entries: max_entries.max(1),
        }
    }

    pub fn get(&self, key: &K, now: Timestamp) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let (value, stored_at) = entries.get(key)?;
        (now.unix_millis() - stored_at.unix_millis() < self.ttl_ms).then(|| value.clone())
    }

    pub fn insert(&self, key: K, value: V, now: Timestamp) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.max_entries {
            let ttl_ms = self.ttl_ms;
            entries.retain(|_, (_, at)| now.unix_millis() - at.unix_millis() < ttl_ms);
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        entries.insert(key, (value, now));
    }

    pub fn remove(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }

    /// Keeps only the entries `keep` accepts.
    pub fn retain(&self, mut keep: impl FnMut(&K, &V) -> bool) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|k, (v, _)| keep(k, v));
        }
    }

    /// Entries held, fresh or not (for metrics and tests).
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_the_ttl() {
        let cache = TtlCache::new(1_000, 10);
        cache.insert("a", 1, Timestamp(0));
        assert_eq!(cache.get(&"a", Timestamp(999)), Some(1));
        assert_eq!(cache.get(&"a", Timestamp(1_000)), None);
        cache.remove(&"a");
        assert_eq!(cache.get(&"a", Timestamp(0)), None);
    }

    #[test]
    fn size_is_bounded() {
        let cache = TtlCache::new(1_000_000, 3);
        for i in 0..10 {
            cache.insert(i, i, Timestamp(0));
        }
        assert!(cache.entries.lock().unwrap().len() <= 3);
        assert_eq!(cache.get(&9, Timestamp(0)), Some(9));
    }
}
