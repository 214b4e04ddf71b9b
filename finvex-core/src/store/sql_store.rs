use async_trait::async_trait;

use super::sql::{Db, Executor, SqlValue};
use super::{SettingsStore, StoreHealth};
use crate::Error;

/// The SQL implementation of every storage trait, on SQLite or Postgres.
/// The per-feature queries live beside their features (`merchants/sql.rs`, …).
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) db: Db,
}

impl SqlStore {
    /// Opens the database at `url` and applies pending migrations.
    pub async fn open(url: &str) -> Result<SqlStore, Error> {
        let db = Db::open(url).await?;
        db.migrate().await?;
        Ok(SqlStore { db })
    }

    /// Wraps an already-open, migrated database.
    pub fn from_db(db: Db) -> SqlStore {
        SqlStore { db }
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
