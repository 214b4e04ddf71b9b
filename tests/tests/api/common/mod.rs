#![allow(dead_code)]

pub mod api;
pub mod receiver;

#[allow(unused_imports)] // not every test file uses it
pub use api::Api;

use std::net::SocketAddr;

use finvex_server::config::Config;
use serde_json::{json, Value};
use sha2::Digest;

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub demo_key: Option<String>,
    /// The server's own SQLite database, to look at what is stored at rest.
    pub database_url: String,
    /// The server's services, for what an operator does from the CLI.
    pub state: finvex_server::state::AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        // FINVEX_TEST_LOG=debug shows the server's logs (internal errors included).
        if let Ok(filter) = std::env::var("FINVEX_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            database_url: format!("sqlite://{}", dir.path().join("finvex.db").display()),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            master_key: Some(finvex_core::crypto::SecretBox::generate_key_hex()),
            // Test receivers listen on loopback; retries are fast so tests are.
            webhook_allow_private: true,
            webhook_retry_base_ms: 100,
            webhook_poll_ms: 50,
            job_poll_ms: 50,
            webhook_timeout_ms: 2_000,
            webhook_lease_ms: 5_000,
            // One round of sends per batch, so a batch ends inside the lease.
            webhook_batch: 16,
            ..Config::default()
        };
        let own_key = config.master_key.clone();
        adjust(&mut config);
        if config.database_url.starts_with("postgres") && config.master_key == own_key {
            // Every instance on one database shares its master key; the
            // shared test database is set up by whichever test starts first.
            config.master_key = Some(hex::encode(sha2::Sha256::digest(
                format!("finvex-e2e-master-key:{}", config.database_url).as_bytes(),
            )));
        }
        let database_url = config.database_url.clone();
        let (state, demo) = finvex_server::build_state(&config).await.unwrap();
        let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
        let address = listener.local_addr().unwrap();
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let services = state.clone();
        let handle = tokio::spawn(finvex_server::serve(config, listener, state, async move {
            let _ = stopped.await;
        }));
        TestServer {
            base: format!("http://{address}"),
            client: reqwest::Client::new(),
            demo_key: demo.map(|d| d.test_key),
            database_url,
            state: services,
            shutdown: Some(shutdown),
            handle: Some(handle),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Signs up a fresh merchant; returns its session token.
    pub async fn signup(&self, email: &str) -> String {
        let response = self
            .client
            .post(self.url("/v1/auth/signup"))
            .json(
                &json!({"name": "Test Merchant", "email": email, "password": "a long password 1"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        body["session"]["token"].as_str().unwrap().to_string()
    }

    /// A key of a fresh merchant: (session token, API key).
    pub async fn merchant_with_key(&self, email: &str) -> (String, String) {
        let token = self.signup(email).await;
        let key = self.create_key(&token, json!({})).await;
        (token, key["secret_key"].as_str().unwrap().to_string())
    }

    /// An admin created as `finvex-server admin create` does, logged in over
    /// HTTP: its session token.
    pub async fn admin_session(&self, email: &str) -> String {
        self.state
            .admin
            .create_admin(email, "an admin's long password")
            .await
            .unwrap();
        let response = self
            .client
            .post(self.url("/v1/admin/login"))
            .json(&json!({"email": email, "password": "an admin's long password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let session: Value = response.json().await.unwrap();
        session["token"].as_str().unwrap().to_string()
    }

    pub async fn create_key(&self, token: &str, body: Value) -> Value {
        let response = self
            .client
            .post(self.url("/v1/keys"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }
}

/// The shared Postgres test database, when this run has one (CI always does:
/// there a missing URL fails the test instead of skipping it).
pub fn postgres_url() -> Option<String> {
    match std::env::var("FINVEX_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set FINVEX_TEST_DATABASE_URL"
            );
            None
        }
    }
}

/// The installation's Razorpay account in `mode`, at `fake`.
pub fn razorpay_settings(
    fake: &finvex_providers::fakes::RazorpayFake,
    mode: &str,
) -> finvex_server::config::RazorpaySettings {
    finvex_server::config::RazorpaySettings {
        mode: mode.into(),
        base_url: fake.base_url(),
        key_id: fake.key_id().to_string(),
        key_secret: fake.key_secret().to_string(),
        webhook_secret: fake.webhook_secret().to_string(),
        timeout_ms: 2_000,
    }
}

pub async fn error_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["code"].is_string(),
        "not an error body: {body}"
    );
    assert!(
        body["error"]["message"].is_string(),
        "not an error body: {body}"
    );
    (status, body["error"].clone())
}

/// Hex HMAC-SHA256, written out here independently of finvex-core, to check
/// the signatures the server hands out against their documented algorithm.
pub fn hmac_sha256_hex(key: &str, message: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}
