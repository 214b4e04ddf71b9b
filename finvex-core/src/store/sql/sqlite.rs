//! SQLite engine: one writer thread that owns the only writing connection
//! (SQLite allows one writer at a time anyway), and a small pool of
//! read-only connections used from `spawn_blocking`. Nothing here blocks the
//! async runtime: callers await a oneshot reply.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{mpsc as std_mpsc, Arc, Mutex};
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::{Row, SqlValue};
use crate::Error;

/// Jobs waiting for the writer; senders wait (asynchronously) beyond this.
const WRITER_QUEUE_LEN: usize = 1024;
/// Concurrent readers; more would only contend for the 2-4 cores we expect.
const MAX_READERS: usize = 4;
/// A transaction that sends nothing for this long is rolled back, so a stuck
/// caller cannot hold the single writer forever.
const TX_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Write batches waiting together share one commit (group commit), up to this many.
const GROUP_COMMIT_MAX: usize = 64;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const STATEMENT_CACHE_CAPACITY: usize = 256;

type WriterFn = Box<dyn FnOnce(&mut Connection) + Send>;

/// A batch of independent statements and where its row counts go.
struct WriteBatch {
    statements: Vec<(String, Vec<SqlValue>)>,
    reply: oneshot::Sender<Result<Vec<u64>, Error>>,
}

enum WriterJob {
    Run(WriterFn),
    Write(WriteBatch),
    Tx {
        statements: std_mpsc::Receiver<TxMsg>,
        began: oneshot::Sender<Result<(), Error>>,
    },
}

enum TxMsg {
    Run(WriterFn),
    Commit(oneshot::Sender<Result<(), Error>>),
}

#[derive(Clone)]
pub struct SqliteDb {
    inner: Arc<Inner>,
}

struct Inner {
    writer: mpsc::Sender<WriterJob>,
    /// `None` for an in-memory database, where every statement goes to the writer.
    path: Option<PathBuf>,
    readers: Mutex<Vec<Connection>>,
    reader_permits: Semaphore,
}

fn configure(conn: &Connection) -> Result<(), Error> {
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite_error)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        .map_err(sqlite_error)
}

impl SqliteDb {
    pub async fn open(path: &str) -> Result<SqliteDb, Error> {
        let in_memory = path.is_empty() || path == ":memory:";
        let owned_path = (!in_memory).then(|| PathBuf::from(path));
        let open_path = owned_path.clone();
        let conn = tokio::task::spawn_blocking(move || -> Result<Connection, Error> {
            let conn = match &open_path {
                Some(p) => Connection::open(p),
                None => Connection::open_in_memory(),
            }
            .map_err(sqlite_error)?;
            if open_path.is_some() {
                let mode: String = conn
                    .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                    .map_err(sqlite_error)?;
                if !mode.eq_ignore_ascii_case("wal") {
                    return Err(Error::Internal(format!(
                        "SQLite refused WAL mode (got {mode})"
                    )));
                }
            }
            configure(&conn)?;
            Ok(conn)
        })
        .await
        .map_err(|e| Error::Internal(format!("sqlite open task failed: {e}")))??;

        let (writer, jobs) = mpsc::channel(WRITER_QUEUE_LEN);
        std::thread::Builder::new()
            .name("finvex-sqlite-writer".into())
            .spawn(move || writer_loop(conn, jobs))
            .map_err(|e| Error::Internal(format!("cannot start the SQLite writer thread: {e}")))?;
        Ok(SqliteDb {
            inner: Arc::new(Inner {
                writer,
                path: owned_path,
                readers: Mutex::new(Vec::new()),
                reader_permits: Semaphore::new(MAX_READERS),
            }),
        })
    }

    async fn on_writer<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let (reply, answer) = oneshot::channel();
        let job: WriterFn = Box::new(move |conn| {
            let _ = reply.send(work(conn));
        });
        self.inner
            .writer
            .send(WriterJob::Run(job))
            .await
            .map_err(|_| writer_gone())?;
        answer.await.map_err(|_| writer_gone())?
    }

    pub async fn query(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
        let sql = to_sqlite_placeholders(sql).into_owned();
        let params = params.to_vec();
        if self.inner.path.is_none() {
            return self
                .on_writer(move |conn| run_query(conn, &sql, &params))
                .await;
        }
        let _permit = self
            .inner
            .reader_permits
            .acquire()
            .await
            .map_err(|_| writer_gone())?;
        let inner = self.inner.clone();
        let (sql, params, outcome) = tokio::task::spawn_blocking(move || {
            let outcome = inner.with_reader(|conn| {
                let mut stmt = conn.prepare_cached(&sql).map_err(sqlite_error)?;
                if !stmt.readonly() {
                    // Writes (INSERT … RETURNING) belong to the writer thread.
                    return Ok(None);
                }
                collect_rows(&mut stmt, &params).map(Some)
            });
            (sql, params, outcome)
        })
        .await
        .map_err(|e| Error::Internal(format!("sqlite read task failed: {e}")))?;
        match outcome? {
            Some(rows) => Ok(rows),
            None => {
                self.on_writer(move |conn| run_query(conn, &sql, &params))
                    .await
            }
        }
    }

    pub async fn execute(&self, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
        let sql = to_sqlite_placeholders(sql).into_owned();
        let params = params.to_vec();
        self.on_writer(move |conn| run_execute(conn, &sql, &params))
            .await
    }

    pub async fn write_all(&self, statements: Vec<super::Statement>) -> Result<Vec<u64>, Error> {
        let statements: Vec<(String, Vec<SqlValue>)> = statements
            .into_iter()
            .map(|s| (to_sqlite_placeholders(&s.sql).into_owned(), s.params))
            .collect();
        let (reply, answer) = oneshot::channel();
        self.inner
            .writer
            .send(WriterJob::Write(WriteBatch { statements, reply }))
            .await
            .map_err(|_| writer_gone())?;
        answer.await.map_err(|_| writer_gone())?
    }

    pub async fn begin(&self) -> Result<SqliteTx, Error> {
        let (statements_tx, statements) = std_mpsc::channel();
        let (began, began_answer) = oneshot::channel();
        self.inner
            .writer
            .send(WriterJob::Tx { statements, began })
            .await
            .map_err(|_| writer_gone())?;
        began_answer.await.map_err(|_| writer_gone())??;
        Ok(SqliteTx {
            statements: statements_tx,
        })
    }
}

impl Inner {
    fn with_reader<T>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let pooled = self.readers.lock().map_err(|_| poisoned())?.pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let path = self
                    .path
                    .as_ref()
                    .ok_or_else(|| Error::Internal("no reader for an in-memory database".into()))?;
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(sqlite_error)?;
                configure(&conn)?;
                conn
            }
        };
        let outcome = work(&conn);
        self.readers.lock().map_err(|_| poisoned())?.push(conn);
        outcome
    }
}

fn writer_loop(mut conn: Connection, mut jobs: mpsc::Receiver<WriterJob>) {
    let mut held: Option<WriterJob> = None;
    while let Some(job) = held.take().or_else(|| jobs.blocking_recv()) {
        match job {
            WriterJob::Run(work) => work(&mut conn),
            WriterJob::Write(first) => {
                // Group commit: the batches already waiting share one
                // transaction (each in its own savepoint) and one commit.
                let mut group = vec![first];
                while group.len() < GROUP_COMMIT_MAX {
                    match jobs.try_recv() {
                        Ok(WriterJob::Write(next)) => group.push(next),
                        Ok(other) => {
                            held = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                write_group(&mut conn, group);
            }
            WriterJob::Tx { statements, began } => {
                if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
                    let _ = began.send(Err(sqlite_error(e)));
                    continue;
                }
                if began.send(Ok(())).is_err() {
                    let _ = conn.execute_batch("ROLLBACK");
                    continue;
                }
                run_transaction(&mut conn, &statements);
            }
        }
    }
}

/// Writes each batch all-or-nothing inside one transaction and answers
/// only once the commit is durable (a failed commit fails them all).
fn write_group(conn: &mut Connection, group: Vec<WriteBatch>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let e = sqlite_error(e);
        for batch in group {
            let _ = batch.reply.send(Err(e.clone()));
        }
        return;
    }
    let mut outcomes = Vec::with_capacity(group.len());
    for batch in &group {
        outcomes.push(write_savepoint(conn, &batch.statements));
    }
    if let Err(e) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        let e = sqlite_error(e);
        for batch in group {
            let _ = batch.reply.send(Err(e.clone()));
        }
        return;
    }
    for (batch, outcome) in group.into_iter().zip(outcomes) {
        let _ = batch.reply.send(outcome);
    }
}

fn write_savepoint(
    conn: &Connection,
    statements: &[(String, Vec<SqlValue>)],
) -> Result<Vec<u64>, Error> {
    conn.execute_batch("SAVEPOINT batch")
        .map_err(sqlite_error)?;
    let mut counts = Vec::with_capacity(statements.len());
    for (sql, params) in statements {
        match run_execute(conn, sql, params) {
            Ok(count) => counts.push(count),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK TO batch; RELEASE batch");
                return Err(e);
            }
        }
    }
    if let Err(e) = conn.execute_batch("RELEASE batch") {
        let _ = conn.execute_batch("ROLLBACK TO batch; RELEASE batch");
        return Err(sqlite_error(e));
    }
    Ok(counts)
}

/// Serves one transaction's statements until commit, drop or idle timeout.
fn run_transaction(conn: &mut Connection, statements: &std_mpsc::Receiver<TxMsg>) {
    loop {
        match statements.recv_timeout(TX_IDLE_TIMEOUT) {
            Ok(TxMsg::Run(work)) => work(conn),
            Ok(TxMsg::Commit(reply)) => {
                let outcome = conn.execute_batch("COMMIT").map_err(sqlite_error);
                if outcome.is_err() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                let _ = reply.send(outcome);
                return;
            }
            Err(std_mpsc::RecvTimeoutError::Timeout) => {
                tracing::warn!("rolling back a SQLite transaction idle for {TX_IDLE_TIMEOUT:?}");
                let _ = conn.execute_batch("ROLLBACK");
                return;
            }
            Err(std_mpsc::RecvTimeoutError::Disconnected) => {
                let _ = conn.execute_batch("ROLLBACK");
                return;
            }
        }
    }
}

/// A SQLite transaction running on the writer thread.
pub struct SqliteTx {
    statements: std_mpsc::Sender<TxMsg>,
}

impl SqliteTx {
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let (reply, answer) = oneshot::channel();
        self.statements
            .send(TxMsg::Run(Box::new(move |conn| {
                let _ = reply.send(work(conn));
            })))
            .map_err(|_| tx_gone())?;
        answer.await.map_err(|_| tx_gone())?
    }

    pub async fn query(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
        let sql = to_sqlite_placeholders(sql).into_owned();
        let params = params.to_vec();
        self.run(move |conn| run_query(conn, &sql, &params)).await
    }

    pub async fn execute(&self, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
        let sql = to_sqlite_placeholders(sql).into_owned();
        let params = params.to_vec();
        self.run(move |conn| run_execute(conn, &sql, &params)).await
    }

    pub async fn execute_batch(&self, sql: &str) -> Result<(), Error> {
        let sql = sql.to_string();
        self.run(move |conn| conn.execute_batch(&sql).map_err(sqlite_error))
            .await
    }

    pub async fn commit(self) -> Result<(), Error> {
        let (reply, answer) = oneshot::channel();
        self.statements
            .send(TxMsg::Commit(reply))
            .map_err(|_| tx_gone())?;
        answer.await.map_err(|_| tx_gone())?
    }
}

fn run_query(conn: &Connection, sql: &str, params: &[SqlValue]) -> Result<Vec<Row>, Error> {
    let mut stmt = conn.prepare_cached(sql).map_err(sqlite_error)?;
    collect_rows(&mut stmt, params)
}

fn run_execute(conn: &Connection, sql: &str, params: &[SqlValue]) -> Result<u64, Error> {
    let mut stmt = conn.prepare_cached(sql).map_err(sqlite_error)?;
    let changed = stmt
        .execute(rusqlite::params_from_iter(params.iter().map(to_sqlite)))
        .map_err(sqlite_error)?;
    Ok(changed as u64)
}

fn collect_rows(
    stmt: &mut rusqlite::CachedStatement<'_>,
    params: &[SqlValue],
) -> Result<Vec<Row>, Error> {
    let names: std::sync::Arc<[String]> = stmt
        .column_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let columns = names.len();
    let mut rows = stmt
        .query(rusqlite::params_from_iter(params.iter().map(to_sqlite)))
        .map_err(sqlite_error)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        let mut values = Vec::with_capacity(columns);
        for index in 0..columns {
            values.push(match row.get_ref(index).map_err(sqlite_error)? {
                ValueRef::Null => SqlValue::Null,
                ValueRef::Integer(v) => SqlValue::Int(v),
                ValueRef::Text(bytes) => SqlValue::Text(
                    String::from_utf8(bytes.to_vec())
                        .map_err(|_| Error::Internal(format!("column {index} is not UTF-8")))?,
                ),
                ValueRef::Real(_) | ValueRef::Blob(_) => {
                    return Err(Error::Internal(format!(
                    "column {index} has a REAL or BLOB value; the schema uses only BIGINT and TEXT"
                )))
                }
            });
        }
        out.push(Row::new(values, names.clone()));
    }
    Ok(out)
}

fn to_sqlite(value: &SqlValue) -> rusqlite::types::Value {
    match value {
        SqlValue::Null => rusqlite::types::Value::Null,
        SqlValue::Int(v) => rusqlite::types::Value::Integer(*v),
        SqlValue::Text(v) => rusqlite::types::Value::Text(v.clone()),
    }
}

/// Rewrites Postgres-style `$N` to SQLite's `?N` outside string literals.
/// `?N` keeps the number, so a parameter used twice binds once on both engines.
pub(crate) fn to_sqlite_placeholders(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut in_literal = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_literal = !in_literal;
        }
        if c == '$' && !in_literal && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

pub(crate) fn sqlite_error(e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(failure, message) = &e {
        match failure.extended_code {
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return Error::Conflict {
                    field: None,
                    message: format!(
                        "duplicate: {}",
                        message.as_deref().unwrap_or("unique constraint")
                    ),
                };
            }
            _ if failure.code == rusqlite::ErrorCode::DatabaseBusy
                || failure.code == rusqlite::ErrorCode::DatabaseLocked =>
            {
                return Error::Unavailable("the database is busy; retry".into());
            }
            _ => {}
        }
    }
    Error::Internal(format!("sqlite: {e}"))
}

fn writer_gone() -> Error {
    Error::Unavailable("the SQLite writer has stopped".into())
}

fn tx_gone() -> Error {
    Error::Internal("the SQLite transaction has ended (idle timeout or writer stopped)".into())
}

fn poisoned() -> Error {
    Error::Internal("the SQLite reader pool lock is poisoned".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_literals() {
        assert_eq!(
            to_sqlite_placeholders("SELECT a FROM t WHERE b = $1 AND c = '$2' AND d = $12"),
            "SELECT a FROM t WHERE b = ?1 AND c = '$2' AND d = ?12"
        );
        assert!(matches!(
            to_sqlite_placeholders("SELECT 1"),
            Cow::Borrowed(_)
        ));
    }
}
