use async_trait::async_trait;

use super::{RateLimitStore, WindowHits};
use crate::store::sql::{Executor, SqlValue};
use crate::store::SqlStore;
use crate::Error;

#[async_trait]
impl RateLimitStore for SqlStore {
    async fn rate_window_hit(&self, bucket: &str, window_index: i64) -> Result<WindowHits, Error> {
        // One statement: the upsert is atomic on both engines, so instances
        // counting the same bucket at once never lose a hit.
        let row = self
            .db
            .query_one(
                "INSERT INTO rate_limit_windows (bucket, window_index, hits) VALUES ($1, $2, 1)
                 ON CONFLICT (bucket, window_index) DO UPDATE SET hits = rate_limit_windows.hits + 1
                 RETURNING hits, (SELECT p.hits FROM rate_limit_windows p WHERE p.bucket = $1 AND p.window_index = $3)",
                &[bucket.into(), SqlValue::Int(window_index), SqlValue::Int(window_index - 1)],
            )
            .await?;
        Ok(WindowHits {
            current: row.int(0)?,
            previous: row.opt_int(1)?.unwrap_or(0),
        })
    }

    async fn rate_window_peek(&self, bucket: &str, window_index: i64) -> Result<WindowHits, Error> {
        let mut hits = WindowHits {
            current: 0,
            previous: 0,
        };
        for row in self
            .db
            .query(
                "SELECT window_index, hits FROM rate_limit_windows WHERE bucket = $1 AND window_index IN ($2, $3)",
                &[bucket.into(), SqlValue::Int(window_index), SqlValue::Int(window_index - 1)],
            )
            .await?
        {
            if row.int(0)? == window_index {
                hits.current = row.int(1)?;
            } else {
                hits.previous = row.int(1)?;
            }
        }
        Ok(hits)
    }

    async fn rate_windows_purge(&self, before_index: i64, batch: u32) -> Result<u64, Error> {
        self.db
            .execute(
                "DELETE FROM rate_limit_windows WHERE (bucket, window_index) IN (
                     SELECT bucket, window_index FROM rate_limit_windows WHERE window_index < $1 LIMIT $2)",
                &[SqlValue::Int(before_index), batch.into()],
            )
            .await
    }
}
