use std::sync::Arc;

use async_trait::async_trait;

use super::sql::{Db, Executor, SqlValue};
use super::{SettingsStore, StoreHealth};
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
            .text(0)
    }
}

#[async_trait]
impl StoreHealth for SqlStore {
    async fn ping(&self) -> Result<(), Error> {
        let one = self.db.query_one("SELECT 1", &[]).await?.int(0)?;
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
