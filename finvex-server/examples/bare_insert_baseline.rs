//! The baseline for the order-creation load test: a bare axum server whose
//! `POST /v1/orders` parses the JSON body with serde_json, inserts one row with
//! a fresh ULID into its own table (`bare_orders`) and answers a small JSON
//! document. No auth, validation, provider, idempotency or middleware: the
//! floor of "one HTTP request, one INSERT" on the same database engine.
//!
//! `tests/bench/bench-orders.sh` runs it beside finvex-server for each engine
//! and prints both request rates and their ratio (goal: Finvex >= 50%).
//!
//! - `sqlite://PATH`: one writer connection (WAL, `synchronous = NORMAL`, the
//!   pragmas Finvex's SQLite store uses) behind a mutex, used from
//!   `spawn_blocking`.
//! - `postgres://...`: a deadpool of 16 tokio-postgres connections (Finvex's
//!   pool size), the INSERT prepared once per connection.
//!
//! `cargo run --release -p finvex-server --example bare_insert_baseline -- 127.0.0.1:18091 sqlite:///tmp/bare.db`

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS bare_orders (
    id TEXT PRIMARY KEY,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
)";
const INSERT_SQLITE: &str =
    "INSERT INTO bare_orders (id, amount, currency, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
const INSERT_POSTGRES: &str =
    "INSERT INTO bare_orders (id, amount, currency, body, created_at) VALUES ($1, $2, $3, $4, $5)";
const POOL_SIZE: usize = 16;

#[derive(Clone)]
enum Store {
    Sqlite(Arc<Mutex<rusqlite::Connection>>),
    Postgres(deadpool_postgres::Pool),
}

struct NewOrder {
    id: String,
    amount: i64,
    currency: String,
    body: String,
    created_at: i64,
}

impl Store {
    async fn open(url: &str) -> Result<Store, BoxError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.to_owned();
            let conn = tokio::task::spawn_blocking(move || open_sqlite(&path)).await??;
            Ok(Store::Sqlite(Arc::new(Mutex::new(conn))))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut config = tokio_postgres::Config::from_str(url)?;
            config.connect_timeout(Duration::from_secs(10));
            let manager = deadpool_postgres::Manager::from_config(
                config,
                tokio_postgres::NoTls,
                deadpool_postgres::ManagerConfig {
                    recycling_method: deadpool_postgres::RecyclingMethod::Fast,
                },
            );
            let pool = deadpool_postgres::Pool::builder(manager)
                .max_size(POOL_SIZE)
                .build()?;
            pool.get().await?.batch_execute(CREATE_TABLE).await?;
            Ok(Store::Postgres(pool))
        } else {
            Err(
                format!("unsupported database URL {url:?} (sqlite://PATH or postgres://...)")
                    .into(),
            )
        }
    }

    async fn insert(&self, order: NewOrder) -> Result<(), BoxError> {
        match self {
            Store::Sqlite(conn) => {
                let conn = Arc::clone(conn);
                tokio::task::spawn_blocking(move || -> Result<(), BoxError> {
                    let conn = conn.lock().map_err(|_| "SQLite mutex poisoned")?;
                    conn.prepare_cached(INSERT_SQLITE)?
                        .execute(rusqlite::params![
                            order.id,
                            order.amount,
                            order.currency,
                            order.body,
                            order.created_at
                        ])?;
                    Ok(())
                })
                .await?
            }
            Store::Postgres(pool) => {
                let client = pool.get().await?;
                let statement = client.prepare_cached(INSERT_POSTGRES).await?;
                client
                    .execute(
                        &statement,
                        &[
                            &order.id,
                            &order.amount,
                            &order.currency,
                            &order.body,
                            &order.created_at,
                        ],
                    )
                    .await?;
                Ok(())
            }
        }
    }
}

fn open_sqlite(path: &str) -> Result<rusqlite::Connection, BoxError> {
    let conn = rusqlite::Connection::open(path)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!("SQLite refused WAL mode (got {mode})").into());
    }
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
    conn.execute_batch(CREATE_TABLE)?;
    Ok(conn)
}

fn error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({ "error": message.to_string() }))).into_response()
}

async fn create_order(State(store): State<Store>, body: Bytes) -> Response {
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let (Some(amount), Some(currency)) = (
        parsed.get("amount").and_then(Value::as_i64),
        parsed.get("currency").and_then(Value::as_str),
    ) else {
        return error(StatusCode::BAD_REQUEST, "amount and currency are required");
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(StatusCode::BAD_REQUEST, "body is not UTF-8");
    };
    let created_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let order = NewOrder {
        id: format!(
            "order_{}",
            ulid::Ulid::generate().to_string().to_ascii_lowercase()
        ),
        amount,
        currency: currency.to_owned(),
        body: text.to_owned(),
        created_at,
    };
    let id = order.id.clone();
    let currency = order.currency.clone();
    match store.insert(order).await {
        Ok(()) => Json(json!({
            "id": id,
            "entity": "order",
            "amount": amount,
            "currency": currency,
            "status": "created",
            "created_at": created_at
        }))
        .into_response(),
        Err(e) => {
            eprintln!("insert failed: {e}");
            error(StatusCode::INTERNAL_SERVER_ERROR, e)
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let (Some(address), Some(database)) = (args.next(), args.next()) else {
        return Err(
            "usage: bare_insert_baseline <listen-addr> <sqlite://PATH | postgres://...>".into(),
        );
    };
    let store = Store::open(&database).await?;
    let app = Router::new()
        .route("/v1/orders", post(create_order))
        .with_state(store);
    let listener = tokio::net::TcpListener::bind(&address).await?;
    eprintln!("bare_insert_baseline listening on {address}");
    axum::serve(listener, app).await?;
    Ok(())
}
