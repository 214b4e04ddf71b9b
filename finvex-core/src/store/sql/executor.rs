use async_trait::async_trait;

use super::{Dialect, Row, SqlValue};
use crate::Error;

/// Runs SQL written with `$N` placeholders. Implemented by [`Db`] (each
/// statement on its own) and by [`Tx`] (all-or-nothing), so each query is
/// written once and runs in or out of a transaction, on either engine.
#[async_trait]
pub trait Executor: Send + Sync {
    async fn query(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error>;
    async fn execute(&self, sql: &str, params: &[SqlValue]) -> Result<u64, Error>;
    fn dialect(&self) -> Dialect;

    async fn query_opt(&self, sql: &str, params: &[SqlValue]) -> Result<Option<Row>, Error> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    async fn query_one(&self, sql: &str, params: &[SqlValue]) -> Result<Row, Error> {
        self.query_opt(sql, params)
            .await?
            .ok_or_else(|| Error::Internal("query returned no row".into()))
    }
}

/// One statement of a batch written by [`Db::write_all`].
#[derive(Debug, Clone)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

impl Statement {
    pub fn new(sql: impl Into<String>, params: Vec<SqlValue>) -> Self {
        Statement {
            sql: sql.into(),
            params,
        }
    }
}

/// A database handle: a SQLite file or a Postgres pool.
#[derive(Clone)]
pub enum Db {
    #[cfg(feature = "sqlite")]
    Sqlite(super::sqlite::SqliteDb),
    #[cfg(feature = "postgres")]
    Postgres(super::postgres::PgDb),
}

impl Db {
    /// Opens `sqlite://path`, `sqlite::memory:` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Db, Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            return Ok(Db::Postgres(super::postgres::PgDb::connect(url).await?));
            #[cfg(not(feature = "postgres"))]
            return Err(Error::validation(
                "database",
                "this build has no Postgres support: enable the `postgres` feature of finvex-core",
            ));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            #[cfg(feature = "sqlite")]
            return Ok(Db::Sqlite(super::sqlite::SqliteDb::open(path).await?));
            #[cfg(not(feature = "sqlite"))]
            return Err(Error::validation("database", format!("this build has no SQLite support for {path:?}: enable the `sqlite` feature of finvex-core")));
        }
        Err(Error::validation(
            "database",
            format!(
                "{url:?} is not a database URL: use sqlite://PATH or postgres://USER:PASS@HOST/DB"
            ),
        ))
    }

    pub async fn begin(&self) -> Result<Tx, Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => db.begin().await.map(Tx::Sqlite),
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => db.begin().await.map(Tx::Postgres),
        }
    }

    /// Runs independent statements as one transaction in as few round trips
    /// as the engine allows (SQLite: one job on the writer thread, which is
    /// never left waiting between statements; Postgres: pipelined). Returns
    /// each statement's row count; all or nothing.
    pub async fn write_all(&self, statements: Vec<Statement>) -> Result<Vec<u64>, Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => db.write_all(statements).await,
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => db.write_all(statements).await,
        }
    }

    /// Writes inserts that do not read one another's rows, all or nothing, in
    /// the fewest steps the engine allows: on Postgres one statement (the
    /// inserts as data-modifying CTEs, which share one snapshot; foreign keys
    /// are checked when the statement ends), on SQLite one writer job. For
    /// hot paths (an order with its event and deliveries).
    pub async fn write_inserts(&self, statements: Vec<Statement>) -> Result<(), Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => db.write_all(statements).await.map(drop),
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => {
                let combined = super::dialect::combine_inserts(statements)?;
                db.execute(&combined.sql, &combined.params).await.map(drop)
            }
        }
    }

    /// Applies the embedded migrations that have not run yet; returns their versions.
    pub async fn migrate(&self) -> Result<Vec<i64>, Error> {
        super::migrations::apply(self, i64::MAX).await
    }

    /// Applies the pending migrations up to `version` only: for tests of an
    /// upgrade from an older schema holding data.
    pub async fn migrate_through(&self, version: i64) -> Result<Vec<i64>, Error> {
        super::migrations::apply(self, version).await
    }
}

#[async_trait]
impl Executor for Db {
    async fn query(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => db.query(sql, params).await,
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => db.query(sql, params).await,
        }
    }

    async fn execute(&self, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => db.execute(sql, params).await,
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => db.execute(sql, params).await,
        }
    }

    fn dialect(&self) -> Dialect {
        match self {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => Dialect::Postgres,
        }
    }
}

/// A transaction. Dropping it without [`Tx::commit`] rolls it back.
pub enum Tx {
    #[cfg(feature = "sqlite")]
    Sqlite(super::sqlite::SqliteTx),
    #[cfg(feature = "postgres")]
    Postgres(super::postgres::PgTx),
}

impl Tx {
    pub async fn commit(self) -> Result<(), Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Tx::Sqlite(tx) => tx.commit().await,
            #[cfg(feature = "postgres")]
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    /// Runs several `;`-separated statements without parameters (migrations).
    pub async fn execute_batch(&self, sql: &str) -> Result<(), Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Tx::Sqlite(tx) => tx.execute_batch(sql).await,
            #[cfg(feature = "postgres")]
            Tx::Postgres(tx) => tx.execute_batch(sql).await,
        }
    }
}

#[async_trait]
impl Executor for Tx {
    async fn query(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Tx::Sqlite(tx) => tx.query(sql, params).await,
            #[cfg(feature = "postgres")]
            Tx::Postgres(tx) => tx.query(sql, params).await,
        }
    }

    async fn execute(&self, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
        match self {
            #[cfg(feature = "sqlite")]
            Tx::Sqlite(tx) => tx.execute(sql, params).await,
            #[cfg(feature = "postgres")]
            Tx::Postgres(tx) => tx.execute(sql, params).await,
        }
    }

    fn dialect(&self) -> Dialect {
        match self {
            #[cfg(feature = "sqlite")]
            Tx::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Tx::Postgres(_) => Dialect::Postgres,
        }
    }
}
