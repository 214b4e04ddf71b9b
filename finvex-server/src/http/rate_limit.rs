//! Keyed sliding-window rate limits: at most `limit` requests in any rolling
//! minute (estimated the standard way, from the current and previous fixed
//! windows), so "300 per minute" means 300 per minute, not a burst of 300
//! plus a steady refill. [`Limiter`] is the per-instance one (the embedded
//! default); several instances on one Postgres share their windows through
//! the store instead ([`SharedLimiter`]).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use finvex_core::store::SystemStore;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Keys tracked before idle ones are dropped; bounds memory under key floods.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    /// Index of the current fixed window since the limiter started.
    index: u64,
    current: u32,
    previous: u32,
}

/// Independent locks, so concurrent requests of different keys rarely wait.
const SHARDS: usize = 16;

pub struct Limiter {
    limit: u32,
    started: Instant,
    shards: Vec<Mutex<Shard>>,
}

/// One shard's windows, and the window index of its last sweep for idle
/// keys (a full shard sweeps at most once per window, not once per key).
#[derive(Default)]
struct Shard {
    windows: HashMap<String, Window>,
    swept_index: Option<u64>,
}

/// The bucket a client address is limited under: an IPv4 address, or an
/// IPv6 /64 (one subscriber's whole prefix: a /64 holds 2^64 addresses, so
/// bucketing per address would make the limit meaningless).
pub fn ip_bucket(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed {
        limit: u32,
        remaining: u32,
        reset_after_secs: u64,
    },
    Denied {
        limit: u32,
        retry_after_secs: u64,
    },
}

impl Limiter {
    pub fn per_minute(limit: u32) -> Limiter {
        Limiter {
            limit: limit.max(1),
            started: Instant::now(),
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }

    /// FNV-1a picks the shard: cheap, and stable for a key.
    fn shard(&self, key: &str) -> &Mutex<Shard> {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        &self.shards[(h % SHARDS as u64) as usize]
    }

    pub fn check(&self, key: &str) -> Verdict {
        self.check_at(key, self.started.elapsed())
    }

    /// The decision at `elapsed` since the limiter started (testable without sleeping).
    pub fn check_at(&self, key: &str, elapsed: Duration) -> Verdict {
        let window_ms = WINDOW.as_millis() as u64;
        let now_ms = elapsed.as_millis() as u64;
        let index = now_ms / window_ms;
        let into_window_ms = now_ms % window_ms;
        let mut shard = self
            .shard(key)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Look up before inserting: no allocation for a key already seen.
        if !shard.windows.contains_key(key) {
            if shard.windows.len() >= MAX_KEYS / SHARDS {
                make_room(&mut shard, index);
            }
            shard.windows.insert(
                key.to_string(),
                Window {
                    index,
                    current: 0,
                    previous: 0,
                },
            );
        }
        let windows = &mut shard.windows;
        let Some(entry) = windows.get_mut(key) else {
            return Verdict::Denied {
                limit: self.limit,
                retry_after_secs: 1,
            };
        };
        if entry.index != index {
            entry.previous = if entry.index + 1 == index {
                entry.current
            } else {
                0
            };
            entry.current = 0;
            entry.index = index;
        }
        let verdict = decide(
            self.limit,
            u64::from(entry.previous),
            u64::from(entry.current),
            into_window_ms,
        );
        if matches!(verdict, Verdict::Allowed { .. }) {
            entry.current += 1;
        }
        verdict
    }

    /// `Some(retry_after_secs)` when `key` has no request left in the
    /// rolling minute; counts nothing.
    pub fn exhausted(&self, key: &str) -> Option<u64> {
        let window_ms = WINDOW.as_millis() as u64;
        let now_ms = self.started.elapsed().as_millis() as u64;
        let (index, into_window_ms) = (now_ms / window_ms, now_ms % window_ms);
        let shard = self
            .shard(key)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let w = shard.windows.get(key)?;
        let (previous, current) = match index.checked_sub(w.index) {
            Some(0) => (w.previous, w.current),
            Some(1) => (w.current, 0),
            _ => (0, 0),
        };
        retry_after(decide(
            self.limit,
            u64::from(previous),
            u64::from(current),
            into_window_ms,
        ))
    }

    /// Forgets keys idle for a whole window, bounding memory.
    pub fn shrink(&self) {
        let index = self.started.elapsed().as_millis() as u64 / WINDOW.as_millis() as u64;
        for shard in &self.shards {
            let mut shard = shard
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            shard.windows.retain(|_, w| w.index + 1 >= index);
            shard.windows.shrink_to_fit();
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map_or(0, |s| s.windows.len()))
            .sum()
    }
}

/// The rolling-minute decision for a key that made `current` requests in
/// this fixed window and `previous` in the one before, `into_window_ms` into
/// this one: the previous window counts in proportion to how much of it is
/// still inside the last minute.
pub fn decide(limit: u32, previous: u64, current: u64, into_window_ms: u64) -> Verdict {
    let window_ms = WINDOW.as_millis() as u64;
    let into_window_ms = into_window_ms.min(window_ms - 1);
    let carried = previous * (window_ms - into_window_ms) / window_ms;
    let used = carried + current;
    let until_next_window_secs = (window_ms - into_window_ms).div_ceil(1000);
    if used >= u64::from(limit) {
        return Verdict::Denied {
            limit,
            retry_after_secs: until_next_window_secs.max(1),
        };
    }
    Verdict::Allowed {
        limit,
        remaining: u32::try_from(u64::from(limit) - used - 1).unwrap_or(0),
        reset_after_secs: until_next_window_secs,
    }
}

fn retry_after(verdict: Verdict) -> Option<u64> {
    match verdict {
        Verdict::Denied {
            retry_after_secs, ..
        } => Some(retry_after_secs),
        Verdict::Allowed { .. } => None,
    }
}

/// The limits a server enforces: per instance (the embedded SQLite default),
/// or shared by every instance on one database, so that N instances allow
/// the configured rate, not N times it.
pub enum Limits {
    Local(Limiter),
    Shared(SharedLimiter),
}

impl Limits {
    pub async fn check(&self, key: &str) -> Verdict {
        match self {
            Limits::Local(limiter) => limiter.check(key),
            Limits::Shared(shared) => shared.check(key).await,
        }
    }

    /// `Some(retry_after_secs)` when `key` has nothing left; counts nothing.
    pub async fn exhausted(&self, key: &str) -> Option<u64> {
        match self {
            Limits::Local(limiter) => limiter.exhausted(key),
            Limits::Shared(shared) => shared.exhausted(key).await,
        }
    }

    /// Upkeep: idle keys (local) or old windows (shared) go.
    pub async fn shrink(&self) {
        match self {
            Limits::Local(limiter) => limiter.shrink(),
            Limits::Shared(shared) => shared.purge().await,
        }
    }
}

/// Limits shared by every instance on one database, without a database
/// write per request: an instance takes its quota from the bucket's window
/// in `rate_limit_windows` a chunk at a time (a twentieth of the limit, at
/// least 1) with one atomic upsert, and spends the chunk locally. Grants
/// never add up to more than the limit across instances; quota taken but
/// unspent when the window ends counts as used (stricter, never looser).
/// When the database cannot answer, the instance falls back to its own
/// limiter rather than refusing or waving everything through.
pub struct SharedLimiter {
    limit: u32,
    /// Keeps the buckets of different limiters (per key, per IP, failures) apart.
    namespace: &'static str,
    store: Arc<dyn SystemStore>,
    quotas: Mutex<HashMap<String, Quota>>,
    /// One top-up at a time per key (keys hash onto these): concurrent
    /// requests that find the quota empty would each take a chunk, and a
    /// burst of them would take the whole window at once.
    topping_up: Vec<tokio::sync::Mutex<()>>,
    fallback: Limiter,
}

/// Locks keys hash onto for their top-ups.
const TOP_UP_LOCKS: usize = 64;

/// What this instance holds of one bucket's current window.
#[derive(Debug, Clone, Copy)]
struct Quota {
    window_index: i64,
    /// Requests this instance may still let through without asking again.
    left: u64,
    /// Refused (locally, without asking) until this unix millisecond.
    refused_until_ms: u64,
}

impl SharedLimiter {
    pub fn new(limit: u32, namespace: &'static str, store: Arc<dyn SystemStore>) -> SharedLimiter {
        SharedLimiter {
            limit: limit.max(1),
            namespace,
            store,
            quotas: Mutex::new(HashMap::new()),
            topping_up: (0..TOP_UP_LOCKS)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
            fallback: Limiter::per_minute(limit),
        }
    }

    fn now_ms() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    fn chunk(&self) -> u64 {
        (u64::from(self.limit) / 20).max(1)
    }

    /// Runs `work` on this instance's quota for `key` in window `index` (a
    /// fresh one for a new window) under one lock, so concurrent requests
    /// of one key never spend the same unit twice.
    fn with_quota<T>(&self, key: &str, index: i64, work: impl FnOnce(&mut Quota) -> T) -> T {
        let mut quotas = self
            .quotas
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if quotas.len() >= MAX_KEYS && !quotas.contains_key(key) {
            quotas.retain(|_, q| q.window_index >= index);
            if quotas.len() >= MAX_KEYS {
                quotas.clear();
            }
        }
        let quota = quotas.entry(key.to_string()).or_insert(Quota {
            window_index: index,
            left: 0,
            refused_until_ms: 0,
        });
        if quota.window_index != index {
            *quota = Quota {
                window_index: index,
                left: 0,
                refused_until_ms: 0,
            };
        }
        work(quota)
    }

    /// Spends one unit this instance holds: `Ok(left)`, `Err(Some(ms))`
    /// while refused until then, `Err(None)` when the quota is empty.
    fn spend(quota: &mut Quota, now_ms: u64) -> Result<u64, Option<u64>> {
        if quota.refused_until_ms > now_ms {
            return Err(Some(quota.refused_until_ms));
        }
        if quota.left == 0 {
            return Err(None);
        }
        quota.left -= 1;
        Ok(quota.left)
    }

    pub async fn check(&self, key: &str) -> Verdict {
        let window_ms = WINDOW.as_millis() as u64;
        let now_ms = Self::now_ms();
        let (index, into_window_ms) = ((now_ms / window_ms) as i64, now_ms % window_ms);
        let until_next_window_secs = (window_ms - into_window_ms).div_ceil(1000).max(1);
        let allowed = |left: u64| Verdict::Allowed {
            limit: self.limit,
            remaining: u32::try_from(left).unwrap_or(u32::MAX),
            reset_after_secs: until_next_window_secs,
        };
        let denied = |retry_after_secs: u64| Verdict::Denied {
            limit: self.limit,
            retry_after_secs,
        };
        // What this instance's own quota answers, without the database.
        let held = || match self.with_quota(key, index, |q| Self::spend(q, now_ms)) {
            Ok(left) => Some(allowed(left)),
            Err(Some(until_ms)) => Some(denied((until_ms - now_ms).div_ceil(1000).max(1))),
            Err(None) => None,
        };
        if let Some(verdict) = held() {
            return verdict;
        }
        let shard = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            key.hash(&mut hasher);
            (hasher.finish() % TOP_UP_LOCKS as u64) as usize
        };
        let _topping_up = self.topping_up[shard].lock().await;
        // Another request may have topped the quota up while this one waited.
        if let Some(verdict) = held() {
            return verdict;
        }
        let chunk = self.chunk();
        let bucket = format!("{}:{key}", self.namespace);
        let hits = match self
            .store
            .rate_window_take(&bucket, index, i64::try_from(chunk).unwrap_or(i64::MAX))
            .await
        {
            Ok(hits) => hits,
            Err(e) => {
                tracing::warn!(error = %e, "shared rate limit unavailable; limiting per instance");
                return self.fallback.check(key);
            }
        };
        // What the rolling minute still allows: the previous window
        // counts in proportion to how much of it is inside the minute.
        let previous = u64::try_from(hits.previous).unwrap_or(0);
        let carried = previous * (window_ms - into_window_ms) / window_ms;
        let limit_now = u64::from(self.limit).saturating_sub(carried);
        let taken_before = u64::try_from(hits.current)
            .unwrap_or(0)
            .saturating_sub(chunk);
        let granted = limit_now.saturating_sub(taken_before).min(chunk);
        let refused_until_ms = now_ms + until_next_window_secs.min(5) * 1000;
        // The grant joins whatever another request of this key took meanwhile.
        let spent = self.with_quota(key, index, |q| {
            q.left += granted;
            if q.left == 0 {
                q.refused_until_ms = refused_until_ms;
            }
            Self::spend(q, now_ms)
        });
        match spent {
            Ok(left) => allowed(left),
            Err(_) => denied(until_next_window_secs),
        }
    }

    /// `Some(retry_after_secs)` while this instance has found the bucket
    /// spent (its last `check` was refused); counts nothing and asks no one.
    pub async fn exhausted(&self, key: &str) -> Option<u64> {
        let now_ms = Self::now_ms();
        let index = (now_ms / WINDOW.as_millis() as u64) as i64;
        let refused_until_ms = self.with_quota(key, index, |q| q.refused_until_ms);
        (refused_until_ms > now_ms)
            .then(|| (refused_until_ms - now_ms).div_ceil(1000).max(1))
            .or_else(|| self.fallback.exhausted(key))
    }

    /// Drops windows that no longer count, in bounded batches.
    async fn purge(&self) {
        const BATCH: u32 = 10_000;
        const MAX_BATCHES: usize = 100;
        let index = (Self::now_ms() / WINDOW.as_millis() as u64) as i64;
        for _ in 0..MAX_BATCHES {
            match self.store.rate_windows_purge(index - 1, BATCH).await {
                Ok(n) if n == u64::from(BATCH) => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "could not purge old rate-limit windows");
                    break;
                }
            }
        }
        self.quotas
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .retain(|_, q| q.window_index >= index);
        self.fallback.shrink();
    }
}

/// Frees room in a full shard: idle keys first (one sweep per window), then,
/// if every key is active (a flood of distinct keys), an eighth of them: a
/// bounded, amortised O(1) cost per new key, never a scan per request.
fn make_room(shard: &mut Shard, index: u64) {
    if shard.swept_index != Some(index) {
        shard.swept_index = Some(index);
        shard.windows.retain(|_, w| w.index + 1 >= index);
    }
    let cap = MAX_KEYS / SHARDS;
    if shard.windows.len() >= cap {
        let evict: Vec<String> = shard.windows.keys().take(cap / 8).cloned().collect();
        for key in evict {
            shard.windows.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn the_301st_request_in_a_minute_is_denied_however_slow_the_first_300() {
        let limiter = Limiter::per_minute(300);
        for i in 0..300u64 {
            // Spread over 50 seconds: no refill within the minute.
            match limiter.check_at("key", Duration::from_millis(i * 166)) {
                Verdict::Allowed { remaining, .. } => assert_eq!(u64::from(remaining), 299 - i),
                denied => panic!("request {i} denied: {denied:?}"),
            }
        }
        assert!(matches!(
            limiter.check_at("key", at(55)),
            Verdict::Denied {
                retry_after_secs: 5,
                limit: 300
            }
        ));
        assert!(
            matches!(
                limiter.check_at("other key", at(55)),
                Verdict::Allowed { .. }
            ),
            "keys are independent"
        );
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_distinct_keys() {
        let limiter = Limiter::per_minute(10);
        for i in 0..(MAX_KEYS * 3) {
            limiter.check_at(&format!("flood-{i}"), at(1));
        }
        assert!(limiter.tracked() <= MAX_KEYS, "{}", limiter.tracked());
    }

    #[test]
    fn ipv6_clients_are_limited_per_64_prefix() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ip_bucket(a), ip_bucket(b));
        assert_ne!(ip_bucket(a), ip_bucket(other));
        assert_eq!(ip_bucket("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1");
        let limiter = Limiter::per_minute(3);
        let mut allowed = 0;
        for host in 1..=10u16 {
            let ip: IpAddr = format!("2001:db8:1:2::{host:x}").parse().unwrap();
            if matches!(
                limiter.check_at(&ip_bucket(ip), at(1)),
                Verdict::Allowed { .. }
            ) {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 3, "ten addresses of one /64 share one limit");
    }

    #[test]
    fn the_previous_window_counts_in_proportion() {
        let limiter = Limiter::per_minute(100);
        for _ in 0..100 {
            assert!(matches!(
                limiter.check_at("k", at(30)),
                Verdict::Allowed { .. }
            ));
        }
        // 15 s into the next window, 75 % of the previous 100 still count.
        let mut allowed = 0;
        while matches!(limiter.check_at("k", at(75)), Verdict::Allowed { .. }) {
            allowed += 1;
        }
        assert_eq!(allowed, 25);
        // Two windows later the slate is clean.
        assert!(matches!(
            limiter.check_at("k", at(180)),
            Verdict::Allowed { remaining: 99, .. }
        ));
    }

    /// A burst of one key's requests that find the instance's quota empty
    /// at once takes one chunk, not one each: the burst is let through, and
    /// the window is not spent by a stampede of top-ups.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_of_one_key_tops_up_once_and_is_let_through() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn SystemStore> = Arc::new(
            finvex_core::store::SqlStore::open(&format!(
                "sqlite://{}",
                dir.path().join("limits.db").display()
            ))
            .await
            .unwrap(),
        );
        let limiter = Arc::new(SharedLimiter::new(1_000, "burst", store));
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move {
                let mut refused = 0;
                for _ in 0..10 {
                    if matches!(limiter.check("one key").await, Verdict::Denied { .. }) {
                        refused += 1;
                    }
                }
                refused
            }));
        }
        let mut refused = 0;
        for task in tasks {
            refused += task.await.unwrap();
        }
        assert_eq!(refused, 0, "640 requests under a limit of 1,000");
        // 640 requests take 13 chunks of 50 at most, never the whole limit.
        let left = limiter.with_quota(
            "one key",
            (SharedLimiter::now_ms() / WINDOW.as_millis() as u64) as i64,
            |q| q.left,
        );
        assert!(left < 50 * 2, "{left} units held");
    }
}
