use async_trait::async_trait;

use super::{IdempotencyRecord, IdempotencyStore, IdempotencySystemStore, StoredState};
use crate::store::sql::{scope_params, Executor, SqlValue};
use crate::store::SqlStore;
use crate::{Error, Scope};

fn keyed(scope: &Scope, key: &str) -> Vec<SqlValue> {
    let mut params = Vec::from(scope_params(scope));
    params.push(key.into());
    params
}

#[async_trait]
impl IdempotencyStore for SqlStore {
    async fn idempotency_insert(
        &self,
        scope: &Scope,
        key: &str,
        request_sha256: &str,
        now_secs: i64,
    ) -> Result<bool, Error> {
        let mut params = keyed(scope, key);
        params.extend([
            request_sha256.into(),
            StoredState::InProgress.as_str().into(),
            now_secs.into(),
        ]);
        let inserted = self
            .db
            .execute(
                "INSERT INTO idempotency_keys (merchant_id, mode, idempotency_key, request_sha256, state, created_at, locked_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)
                 ON CONFLICT (merchant_id, mode, idempotency_key) DO NOTHING",
                &params,
            )
            .await?;
        Ok(inserted == 1)
    }

    async fn idempotency_get(
        &self,
        scope: &Scope,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, Error> {
        let row = self
            .db
            .query_opt(
                "SELECT request_sha256, state, response_status, response_body, created_at, locked_at
                 FROM idempotency_keys WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3",
                &keyed(scope, key),
            )
            .await?;
        row.map(|row| {
            Ok(IdempotencyRecord {
                request_sha256: row.text("request_sha256")?,
                state: StoredState::parse(&row.text("state")?)?,
                response_status: row
                    .opt_int("response_status")?
                    .map(|s| {
                        u16::try_from(s).map_err(|_| {
                            Error::Internal(format!("stored status {s} is not an HTTP status"))
                        })
                    })
                    .transpose()?,
                response_body: row.opt_text("response_body")?,
                created_at: row.int("created_at")?,
                locked_at: row.int("locked_at")?,
            })
        })
        .transpose()
    }

    async fn idempotency_retake(
        &self,
        scope: &Scope,
        key: &str,
        seen: &IdempotencyRecord,
        request_sha256: &str,
        now_secs: i64,
    ) -> Result<bool, Error> {
        let mut params = keyed(scope, key);
        params.extend([
            request_sha256.into(),
            StoredState::InProgress.as_str().into(),
            now_secs.into(),
            seen.created_at.into(),
            seen.locked_at.into(),
        ]);
        let changed = self
            .db
            .execute(
                "UPDATE idempotency_keys
                 SET request_sha256 = $4, state = $5, created_at = $6, locked_at = $6, response_status = NULL, response_body = NULL
                 WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3 AND created_at = $7 AND locked_at = $8",
                &params,
            )
            .await?;
        Ok(changed == 1)
    }

    async fn idempotency_complete(
        &self,
        scope: &Scope,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), Error> {
        let mut params = keyed(scope, key);
        params.extend([
            StoredState::Done.as_str().into(),
            i64::from(status).into(),
            body.into(),
        ]);
        self.db
            .execute(
                "UPDATE idempotency_keys SET state = $4, response_status = $5, response_body = $6
                 WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3",
                &params,
            )
            .await
            .map(drop)
    }

    async fn idempotency_release(&self, scope: &Scope, key: &str) -> Result<(), Error> {
        let mut params = keyed(scope, key);
        params.push(StoredState::InProgress.as_str().into());
        self.db
            .execute(
                "DELETE FROM idempotency_keys WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3 AND state = $4",
                &params,
            )
            .await
            .map(drop)
    }
}

#[async_trait]
impl IdempotencySystemStore for SqlStore {
    async fn idempotency_purge(&self, before_secs: i64, limit: u32) -> Result<u64, Error> {
        self.db
            .execute(
                "DELETE FROM idempotency_keys WHERE (merchant_id, mode, idempotency_key) IN
                   (SELECT merchant_id, mode, idempotency_key FROM idempotency_keys WHERE created_at < $1 LIMIT $2)",
                &[before_secs.into(), limit.into()],
            )
            .await
    }
}
