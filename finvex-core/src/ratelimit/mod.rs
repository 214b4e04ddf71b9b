//! Rate-limit windows shared by every instance on one database: per bucket
//! (an API key, a client address) and fixed one-minute window, a hit count.
//! The server turns the current and previous windows into a rolling-minute
//! estimate; instance-wide, no tenant (buckets name keys and addresses).

mod sql;

use async_trait::async_trait;

use crate::Error;

/// Hits of a bucket in the current window (this hit included) and the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowHits {
    pub current: i64,
    pub previous: i64,
}

#[async_trait]
pub trait RateLimitStore: Send + Sync {
    /// Counts one hit of `bucket` in window `window_index`, atomically
    /// across instances, and returns both windows' counts.
    async fn rate_window_hit(&self, bucket: &str, window_index: i64) -> Result<WindowHits, Error>;
    /// Both windows' counts without counting a hit.
    async fn rate_window_peek(&self, bucket: &str, window_index: i64) -> Result<WindowHits, Error>;
    /// Drops windows older than `before_index`, up to `batch` rows; returns how many went.
    async fn rate_windows_purge(&self, before_index: i64, batch: u32) -> Result<u64, Error>;
}
