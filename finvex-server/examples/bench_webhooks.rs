//! Webhook delivery throughput, printed beside the receiver's own capacity
//! measured in the same run.
//!
//! `cargo run --release -p finvex-server --example bench_webhooks -- [events] [concurrency]`
//! Uses SQLite; set `FINVEX_BENCH_DATABASE_URL=postgres://…` to bench Postgres.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use finvex_core::auth::AuthService;
use finvex_core::clock::SystemClock;
use finvex_core::crypto::SecretBox;
use finvex_core::events::NewEvent;
use finvex_core::store::{SqlStore, SystemStore};
use finvex_core::webhooks::{WebhookService, WebhookSettings};
use finvex_core::{Mode, Scope};
use finvex_providers::webhooks::HttpWebhookTransport;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let events: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);

    // The receiver: answers 200 at once and counts.
    let hits = Arc::new(AtomicU64::new(0));
    let counter = hits.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            counter.fetch_add(1, Ordering::Relaxed);
            async { "ok" }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let url = format!("http://{address}/hook");

    // 1. Receiver capacity: the same payload size, `concurrency` clients, 5 s.
    let payload = "x".repeat(300);
    let client = reqwest::Client::new();
    let sent = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(5);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, payload, sent) =
            (client.clone(), url.clone(), payload.clone(), sent.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                if client
                    .post(&url)
                    .body(payload.clone())
                    .send()
                    .await
                    .is_ok_and(|r| r.status() == 200)
                {
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let capacity = sent.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();

    // 2. Finvex: queue `events` deliveries, then let the worker drain them.
    let dir = tempfile::tempdir().unwrap();
    let database = std::env::var("FINVEX_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let store: Arc<dyn SystemStore> = Arc::new(SqlStore::open(&database).await.unwrap());
    let clock = Arc::new(SystemClock);
    let auth = AuthService::new(store.clone(), clock.clone(), vec![3; 32]).unwrap();
    let email = format!(
        "bench-{}@example.com",
        finvex_core::ids::MerchantId::generate()
    );
    let merchant = auth
        .signup("Bench", &email, "a long password")
        .await
        .unwrap()
        .merchant;
    let scope = Scope::new(merchant.id, Mode::Test);
    let webhooks = Arc::new(WebhookService::new(
        store.clone(),
        clock,
        SecretBox::from_hex(&SecretBox::generate_key_hex()).unwrap(),
        Arc::new(HttpWebhookTransport::new(true).unwrap()),
        WebhookSettings {
            allow_private_targets: true,
            ..WebhookSettings::default()
        },
    ));
    let endpoint = webhooks
        .create_endpoint(&scope, &url, None, None)
        .await
        .unwrap();
    let event = NewEvent::new(
        finvex_core::events::EventType::WebhookTest,
        serde_json::json!({"padding": "y".repeat(200)}),
    )
    .unwrap();
    for _ in 0..events {
        // Lease already expired: due for the worker at once.
        store
            .insert_event_for_endpoint(
                &scope,
                &endpoint.endpoint.id,
                &event,
                0,
                &finvex_core::webhooks::Lease::new(0),
            )
            .await
            .unwrap();
    }
    if store.engine() == "postgres" {
        // What autovacuum does within a minute of a burst like this one: with
        // the statistics of empty tables, Postgres walks a tenant's whole
        // index instead of the primary key for each delivery.
        let sql = SqlStore::open(&database).await.unwrap();
        finvex_core::store::sql::Executor::execute(sql.db(), "ANALYZE", &[])
            .await
            .unwrap();
    }
    hits.store(0, Ordering::Relaxed);
    let started = Instant::now();
    // As the server's worker does: overlapping rounds, `concurrency` sends in flight.
    loop {
        let (_, busy) = webhooks
            .deliver_until_idle(256, concurrency, 16)
            .await
            .unwrap();
        if !busy {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let delivered = hits.load(Ordering::Relaxed);
    assert_eq!(delivered, events, "every queued event was delivered once");
    let rate = delivered as f64 / elapsed;
    println!("receiver capacity (bare POSTs, {concurrency} clients)   {capacity:>10.0} req/s");
    println!(
        "finvex deliveries ({} store, signed, recorded) {rate:>10.0} deliveries/s",
        store.engine()
    );
    println!(
        "ratio: {:.1}% of the receiver's capacity ({events} events in {elapsed:.2} s)",
        100.0 * rate / capacity
    );
}
