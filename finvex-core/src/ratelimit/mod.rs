//! Rate-limit windows shared by every instance on one database: per bucket
//! (an API key, a client address) and fixed one-minute window, the quota
//! taken. The server takes quota in chunks and turns the current and
//! previous windows into a rolling-minute estimate; instance-wide, no tenant
//! (buckets name keys and addresses).

mod sql;

use async_trait::async_trait;

use crate::Error;

/// A bucket's count in the current window (what was just taken included)
/// and in the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowHits {
    pub current: i64,
    pub previous: i64,
}

#[async_trait]
pub trait RateLimitStore: Send + Sync {
    /// Adds `amount` to `bucket`'s count in window `window_index`,
    /// atomically across instances, and returns both windows' counts (the
    /// current one with `amount` included).
    async fn rate_window_take(
        &self,
        bucket: &str,
        window_index: i64,
        amount: i64,
    ) -> Result<WindowHits, Error>;
}

/// Upkeep across buckets.
#[async_trait]
pub trait RateLimitSystemStore: Send + Sync {
    /// Drops windows older than `before_index`, up to `batch` rows; returns how many went.
    async fn rate_windows_purge(&self, before_index: i64, batch: u32) -> Result<u64, Error>;
}
