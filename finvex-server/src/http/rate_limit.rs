//! Keyed sliding-window rate limits: at most `limit` requests in any rolling
//! minute (estimated the standard way, from the current and previous fixed
//! windows), so "300 per minute" means 300 per minute, not a burst of 300
//! plus a steady refill. State is per instance; with several instances each
//! enforces the limit on its own share of traffic.

use std::collections::HashMap;
use std::sync::Mutex;
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
    shards: Vec<Mutex<HashMap<String, Window>>>,
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
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// FNV-1a picks the shard: cheap, and stable for a key.
    fn shard(&self, key: &str) -> &Mutex<HashMap<String, Window>> {
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
        let mut windows = self
            .shard(key)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Look up before inserting: no allocation for a key already seen.
        if !windows.contains_key(key) {
            if windows.len() >= MAX_KEYS / SHARDS {
                windows.retain(|_, w| w.index + 1 >= index);
            }
            windows.insert(
                key.to_string(),
                Window {
                    index,
                    current: 0,
                    previous: 0,
                },
            );
        }
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
        // Requests of the previous window that still fall in the rolling minute.
        let carried = u64::from(entry.previous) * (window_ms - into_window_ms) / window_ms;
        let used = carried + u64::from(entry.current);
        let until_next_window_secs = (window_ms - into_window_ms).div_ceil(1000);
        if used >= u64::from(self.limit) {
            return Verdict::Denied {
                limit: self.limit,
                retry_after_secs: until_next_window_secs.max(1),
            };
        }
        entry.current += 1;
        let remaining = u64::from(self.limit) - used - 1;
        Verdict::Allowed {
            limit: self.limit,
            remaining: remaining as u32,
            reset_after_secs: until_next_window_secs,
        }
    }

    /// Forgets keys idle for a whole window, bounding memory.
    pub fn shrink(&self) {
        let index = self.started.elapsed().as_millis() as u64 / WINDOW.as_millis() as u64;
        for shard in &self.shards {
            let mut windows = shard
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            windows.retain(|_, w| w.index + 1 >= index);
            windows.shrink_to_fit();
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
}
