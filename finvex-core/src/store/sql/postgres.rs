//! Postgres engine: a deadpool of tokio-postgres connections, statements
//! prepared once per connection and cached.

use std::str::FromStr;

use bytes::BytesMut;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::NoTls;

use super::{Row, SqlValue};
use crate::Error;

const POOL_SIZE: usize = 16;
const CONNECT_TIMEOUT_SECS: u64 = 10;

#[derive(Clone)]
pub struct PgDb {
    pool: Pool,
}

impl PgDb {
    pub async fn connect(url: &str) -> Result<PgDb, Error> {
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|e| Error::validation("database", format!("invalid Postgres URL: {e}")))?;
        config.connect_timeout(std::time::Duration::from_secs(CONNECT_TIMEOUT_SECS));
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| Error::Internal(format!("cannot build the Postgres pool: {e}")))?;
        // Fail at start-up, not on the first request, when the database is unreachable.
        drop(pool.get().await.map_err(pool_error)?);
        Ok(PgDb { pool })
    }

    pub async fn query(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        run_query(&client, sql, params).await
    }

    pub async fn execute(&self, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        run_execute(&client, sql, params).await
    }

    pub async fn write_all(&self, statements: Vec<super::Statement>) -> Result<Vec<u64>, Error> {
        use futures_util::future::{join_all, BoxFuture, FutureExt};
        let client = self.pool.get().await.map_err(pool_error)?;
        let mut prepared = Vec::with_capacity(statements.len());
        for statement in &statements {
            prepared.push(
                client
                    .prepare_cached(&statement.sql)
                    .await
                    .map_err(pg_error)?,
            );
        }
        let refs: Vec<Vec<&(dyn ToSql + Sync)>> = statements
            .iter()
            .map(|s| s.params.iter().map(|p| p as &(dyn ToSql + Sync)).collect())
            .collect();
        // BEGIN, the statements and COMMIT are polled together, so they leave
        // in one write and come back in one round trip. After a failed
        // statement Postgres refuses the rest and turns COMMIT into a rollback.
        let mut steps: Vec<BoxFuture<'_, Result<u64, tokio_postgres::Error>>> =
            Vec::with_capacity(statements.len() + 2);
        steps.push(client.batch_execute("BEGIN").map(|r| r.map(|()| 0)).boxed());
        for (stmt, params) in prepared.iter().zip(&refs) {
            steps.push(client.execute(stmt, params).boxed());
        }
        steps.push(
            client
                .batch_execute("COMMIT")
                .map(|r| r.map(|()| 0))
                .boxed(),
        );
        let mut results = join_all(steps).await.into_iter();
        let begin = results.next().expect("BEGIN is the first step");
        let commit = results.next_back().expect("COMMIT is the last step");
        begin.map_err(pg_error)?;
        // The first failure is the cause; those after it only report the abort.
        let counts = results.collect::<Result<Vec<u64>, _>>().map_err(pg_error)?;
        commit.map_err(pg_error)?;
        Ok(counts)
    }

    pub async fn begin(&self) -> Result<PgTx, Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        client.batch_execute("BEGIN").await.map_err(pg_error)?;
        Ok(PgTx {
            client: Some(Box::new(client)),
        })
    }
}

/// A Postgres transaction holding one pooled connection until it ends.
pub struct PgTx {
    // Boxed: a pooled client is large, and Tx moves through async code often.
    client: Option<Box<Object>>,
}

impl PgTx {
    fn client(&self) -> Result<&Object, Error> {
        self.client
            .as_deref()
            .ok_or_else(|| Error::Internal("transaction already finished".into()))
    }

    pub async fn query(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
        run_query(self.client()?, sql, params).await
    }

    pub async fn execute(&self, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
        run_execute(self.client()?, sql, params).await
    }

    pub async fn execute_batch(&self, sql: &str) -> Result<(), Error> {
        self.client()?.batch_execute(sql).await.map_err(pg_error)
    }

    pub async fn commit(mut self) -> Result<(), Error> {
        let client = self
            .client
            .take()
            .ok_or_else(|| Error::Internal("transaction already finished".into()))?;
        client.batch_execute("COMMIT").await.map_err(pg_error)
    }
}

impl Drop for PgTx {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            // Roll back before the connection goes back to the pool. Without a
            // runtime, discard the connection instead: closing it rolls back.
            match tokio::runtime::Handle::try_current() {
                Ok(handle) => {
                    handle.spawn(async move {
                        if client.batch_execute("ROLLBACK").await.is_err() {
                            drop(Object::take(*client));
                        }
                    });
                }
                Err(_) => drop(Object::take(*client)),
            }
        }
    }
}

async fn run_query(client: &Object, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
    let stmt = client.prepare_cached(sql).await.map_err(pg_error)?;
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    let rows = client.query(&stmt, &refs).await.map_err(pg_error)?;
    let columns: std::sync::Arc<[String]> = stmt
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    rows.iter().map(|row| convert_row(row, &columns)).collect()
}

async fn run_execute(client: &Object, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
    let stmt = client.prepare_cached(sql).await.map_err(pg_error)?;
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    client.execute(&stmt, &refs).await.map_err(pg_error)
}

fn convert_row(
    row: &tokio_postgres::Row,
    columns: &std::sync::Arc<[String]>,
) -> Result<Row, Error> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(index)
                .map(|v| v.map(SqlValue::Int))
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(index)
                .map(|v| v.map(|v| SqlValue::Int(v.into())))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(index)
                .map(|v| v.map(|v| SqlValue::Int(v.into())))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(index)
                .map(|v| v.map(SqlValue::from))
        } else if *ty == Type::TEXT
            || *ty == Type::VARCHAR
            || *ty == Type::BPCHAR
            || *ty == Type::NAME
        {
            row.try_get::<_, Option<String>>(index)
                .map(|v| v.map(SqlValue::Text))
        } else {
            return Err(Error::Internal(format!(
                "column {} has type {ty}; the schema uses only BIGINT and TEXT",
                column.name()
            )));
        };
        values.push(value.map_err(pg_error)?.unwrap_or(SqlValue::Null));
    }
    Ok(Row::new(values, columns.clone()))
}

impl ToSql for SqlValue {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            SqlValue::Null => Ok(IsNull::Yes),
            SqlValue::Int(v) => {
                if *ty == Type::INT8 {
                    v.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*v != 0).to_sql(ty, out)
                } else {
                    Err(format!("cannot bind an integer to a {ty} parameter").into())
                }
            }
            SqlValue::Text(v) => v.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked per value in `to_sql`, where the variant is known.
        true
    }

    to_sql_checked!();
}

fn pg_error(e: tokio_postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        if *db.code() == tokio_postgres::error::SqlState::UNIQUE_VIOLATION {
            return Error::Conflict {
                field: None,
                message: format!(
                    "duplicate: {}",
                    db.constraint().unwrap_or("unique constraint")
                ),
            };
        }
        return Error::Internal(format!("postgres: {}: {}", db.code().code(), db.message()));
    }
    if e.is_closed() {
        return Error::Unavailable("the Postgres connection closed; retry".into());
    }
    Error::Internal(format!("postgres: {e}"))
}

fn pool_error(e: deadpool_postgres::PoolError) -> Error {
    Error::Unavailable(format!("cannot get a Postgres connection: {e}"))
}
