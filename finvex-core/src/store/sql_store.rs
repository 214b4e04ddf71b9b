use std::sync::Arc;

use async_trait::async_trait;

use super::sql::{Db, Executor, SqlValue};
use super::{Reseal, SettingsStore, StoreHealth};
use crate::cache::TtlCache;
use crate::{Error, Scope};

/// A tenant's enabled webhook endpoints and their subscriptions.
pub(crate) type EndpointList = Arc<Vec<(String, Vec<String>)>>;
/// How long the endpoints fanned out to are reused on the order hot path. A
/// new endpoint is seen at once on the instance that creates it and within
/// this on the others; a disabled or deleted one never gets a delivery (the
/// fan-out insert re-checks its status).
const ENDPOINT_CACHE_TTL_MS: i64 = 5_000;
const ENDPOINT_CACHE_MAX: usize = 10_000;

/// The SQL implementation of every storage trait, on SQLite or Postgres.
/// The per-feature queries live beside their features (`merchants/sql.rs`, …).
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) db: Db,
    pub(crate) endpoints: Arc<TtlCache<Scope, EndpointList>>,
}

impl SqlStore {
    /// Opens the database at `url` and applies pending migrations.
    pub async fn open(url: &str) -> Result<SqlStore, Error> {
        let db = Db::open(url).await?;
        db.migrate().await?;
        Ok(SqlStore::from_db(db))
    }

    /// Wraps an already-open, migrated database.
    pub fn from_db(db: Db) -> SqlStore {
        SqlStore {
            db,
            endpoints: Arc::new(TtlCache::new(ENDPOINT_CACHE_TTL_MS, ENDPOINT_CACHE_MAX)),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

#[async_trait]
impl SettingsStore for SqlStore {
    async fn setting_get_or_insert(&self, name: &str, value: &str) -> Result<String, Error> {
        self.db
            .execute(
                "INSERT INTO instance_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                &[name.into(), value.into()],
            )
            .await?;
        self.db
            .query_one(
                "SELECT value FROM instance_settings WHERE name = $1",
                &[SqlValue::from(name)],
            )
            .await?
            .text("value")
    }

    async fn setting_delete(&self, name: &str) -> Result<(), Error> {
        self.db
            .execute(
                "DELETE FROM instance_settings WHERE name = $1",
                &[name.into()],
            )
            .await
            .map(drop)
    }

    async fn reseal_all(&self, reseal: &Reseal<'_>) -> Result<u64, Error> {
        let tx = self.db.begin().await?;
        let count = reseal_endpoint_secrets(&tx, reseal).await?
            + reseal_provider_accounts(&tx, reseal).await?
            + reseal_settings(&tx, reseal).await?
            + reseal_idempotent_responses(&tx, reseal).await?;
        tx.commit().await?;
        Ok(count)
    }
}

/// Webhook signing secrets, current and previous; returns how many were resealed.
async fn reseal_endpoint_secrets(tx: &dyn Executor, reseal: &Reseal<'_>) -> Result<u64, Error> {
    let mut count = 0u64;
    for row in tx
        .query(
            "SELECT endpoint_id, secret_sealed, previous_secret_sealed FROM webhook_endpoints",
            &[],
        )
        .await?
    {
        let previous = row
            .opt_text("previous_secret_sealed")?
            .map(|p| reseal(&p))
            .transpose()?;
        count += 1 + u64::from(previous.is_some());
        tx.execute(
            "UPDATE webhook_endpoints SET secret_sealed = $1, previous_secret_sealed = $2 WHERE endpoint_id = $3",
            &[
                reseal(&row.text("secret_sealed")?)?.into(),
                previous.into(),
                row.text("endpoint_id")?.into(),
            ],
        )
        .await?;
    }
    Ok(count)
}

/// Providers' credentials.
async fn reseal_provider_accounts(tx: &dyn Executor, reseal: &Reseal<'_>) -> Result<u64, Error> {
    let mut count = 0u64;
    for row in tx
        .query(
            "SELECT merchant_id, mode, provider, sealed FROM provider_accounts",
            &[],
        )
        .await?
    {
        count += 1;
        tx.execute(
            "UPDATE provider_accounts SET sealed = $1 WHERE merchant_id = $2 AND mode = $3 AND provider = $4",
            &[
                reseal(&row.text("sealed")?)?.into(),
                row.text("merchant_id")?.into(),
                row.text("mode")?.into(),
                row.text("provider")?.into(),
            ],
        )
        .await?;
    }
    Ok(count)
}

/// Instance settings whose names end in `_sealed`.
async fn reseal_settings(tx: &dyn Executor, reseal: &Reseal<'_>) -> Result<u64, Error> {
    let mut count = 0u64;
    for row in tx
        .query(
            "SELECT name, value FROM instance_settings WHERE name LIKE '%_sealed'",
            &[],
        )
        .await?
    {
        count += 1;
        tx.execute(
            "UPDATE instance_settings SET value = $1 WHERE name = $2",
            &[
                reseal(&row.text("value")?)?.into(),
                row.text("name")?.into(),
            ],
        )
        .await?;
    }
    Ok(count)
}

/// Stored idempotent responses that were sealed (`v1.` bodies).
async fn reseal_idempotent_responses(tx: &dyn Executor, reseal: &Reseal<'_>) -> Result<u64, Error> {
    let mut count = 0u64;
    for row in tx
        .query(
            "SELECT merchant_id, mode, idempotency_key, response_body FROM idempotency_keys WHERE response_body LIKE 'v1.%'",
            &[],
        )
        .await?
    {
        count += 1;
        tx.execute(
            "UPDATE idempotency_keys SET response_body = $1 WHERE merchant_id = $2 AND mode = $3 AND idempotency_key = $4",
            &[
                reseal(&row.text("response_body")?)?.into(),
                row.text("merchant_id")?.into(),
                row.text("mode")?.into(),
                row.text("idempotency_key")?.into(),
            ],
        )
        .await?;
    }
    Ok(count)
}

#[async_trait]
impl StoreHealth for SqlStore {
    async fn ping(&self) -> Result<(), Error> {
        let one = self
            .db
            .query_one("SELECT 1 AS one", &[])
            .await?
            .int("one")?;
        if one != 1 {
            return Err(Error::Unavailable(
                "the database answered SELECT 1 wrongly".into(),
            ));
        }
        Ok(())
    }

    fn engine(&self) -> &'static str {
        self.db.dialect().name()
    }
}
