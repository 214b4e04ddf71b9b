use async_trait::async_trait;

use super::{RateLimitStore, RateLimitSystemStore, WindowHits};
use crate::store::sql::{Executor, SqlValue};
use crate::store::SqlStore;
use crate::Error;

#[async_trait]
impl RateLimitStore for SqlStore {
    async fn rate_window_take(
        &self,
        bucket: &str,
        window_index: i64,
        amount: i64,
    ) -> Result<WindowHits, Error> {
        // One statement: the upsert is atomic on both engines, so instances
        // taking from the same bucket at once never lose or share a grant.
        let row = self
            .db
            .query_one(
                "INSERT INTO rate_limit_windows (bucket, window_index, hits) VALUES ($1, $2, $4)
                 ON CONFLICT (bucket, window_index) DO UPDATE SET hits = rate_limit_windows.hits + $4
                 RETURNING hits, (SELECT p.hits FROM rate_limit_windows p WHERE p.bucket = $1 AND p.window_index = $3) AS previous_hits",
                &[
                    bucket.into(),
                    SqlValue::Int(window_index),
                    SqlValue::Int(window_index - 1),
                    SqlValue::Int(amount),
                ],
            )
            .await?;
        Ok(WindowHits {
            current: row.int("hits")?,
            previous: row.opt_int("previous_hits")?.unwrap_or(0),
        })
    }
}

#[async_trait]
impl RateLimitSystemStore for SqlStore {
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
