//! Kill the real server binary (SIGKILL) while webhooks are undelivered,
//! start it again on the same database: every event is delivered.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(port: u16, db: &str, master_key: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_finvex-server"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--database", db])
        .env("FINVEX_MASTER_KEY", master_key)
        .env("FINVEX_WEBHOOK_ALLOW_PRIVATE", "1")
        .env("FINVEX_WEBHOOK_RETRY_BASE_MS", "200")
        .env("FINVEX_WEBHOOK_POLL_MS", "50")
        .env("FINVEX_WEBHOOK_TIMEOUT_MS", "1000")
        .env("FINVEX_WEBHOOK_LEASE_MS", "3000")
        // One round of sends per claimed batch, so a batch fits in the lease.
        .env("FINVEX_WEBHOOK_CONCURRENCY", "64")
        .env("FINVEX_DEMO_ON_EMPTY", "0")
        .env("FINVEX_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undelivered_events_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("crash.db").display());
    let master_key = finvex_core::crypto::SecretBox::generate_key_hex();
    let (server_port, receiver_port) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{server_port}");
    let client = reqwest::Client::new();

    let mut server = start_server(server_port, &db, &master_key);
    wait_ready(&client, &base).await;
    let signup: Value = client
        .post(format!("{base}/v1/auth/signup"))
        .json(
            &json!({"name": "Crash", "email": "crash@example.com", "password": "a long password"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = signup["session"]["token"].as_str().unwrap().to_string();
    let endpoint = client
        .post(format!("{base}/v1/webhooks"))
        .bearer_auth(&token)
        .json(&json!({"url": format!("http://127.0.0.1:{receiver_port}/hook"), "events": ["api_key.created"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint.status(), 201);
    const N: usize = 10;
    for i in 0..N {
        let created = client
            .post(format!("{base}/v1/keys"))
            .bearer_auth(&token)
            .json(&json!({"name": format!("k{i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
    }
    // Let some attempts fail against the absent receiver, then kill -9.
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.kill().unwrap();
    server.wait().unwrap();

    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::body::Bytes| {
            let sink = sink.clone();
            async move {
                sink.lock()
                    .unwrap()
                    .push(serde_json::from_slice::<Value>(&body).unwrap());
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", receiver_port))
        .await
        .unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut server = start_server(server_port, &db, &master_key);
    wait_ready(&client, &base).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while received.lock().unwrap().len() < N && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let got = received.lock().unwrap().clone();
    let ids: HashSet<&str> = got.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.len(),
        N,
        "every event arrived after the crash ({} requests)",
        got.len()
    );
    assert!(got.iter().all(|e| e["event"] == "api_key.created"));
}
