//! Contract fakes: real HTTP servers on `127.0.0.1:0` that speak Razorpay's
//! and Cashfree's documented request, response and error shapes (see
//! `shared/research/providers.md`), holding their state in memory.
//!
//! Built only with the `fakes` cargo feature (on by default, so tests and local
//! development have them; a production build can turn default features off).
//!
//! Each fake checks credentials, validates requests, hands out ids with the
//! provider's prefixes and enforces the money rules that matter to Finvex
//! (refunds never exceed what was captured; idempotency keys replay the same
//! refund, and a reused key with a different body is refused). The test
//! control API is plain Rust on the handle:
//!
//! - `pay(order_id, outcome)`: the customer pays (or fails to);
//! - `set_fault(Fault)`: 5xx answers, answers later than a client's timeout,
//!   slow answers, bank declines;
//! - `add_settlement(FakeSettlement)`, `complete_refund(…)`;
//! - `send_webhook(url, event)`: POSTs a correctly signed webhook;
//! - `requests()`: what the fake has received (method, path, idempotency key).

// Handlers answer errors as ready `Response`s (`Result<Response, Response>`),
// the usual axum shape; boxing them would only add noise to a test server.
#![allow(clippy::result_large_err)]

pub mod cashfree;
pub mod razorpay;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;

pub use cashfree::{CashfreeEvent, CashfreeFake};
pub use razorpay::{RazorpayEvent, RazorpayFake};

/// A failure the fake injects into every API request until cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    #[default]
    None,
    /// Answer every request with this status and the provider's server-error
    /// body, without doing anything.
    ServerError(u16),
    /// Do the work, then hold the answer this long (longer than the client's
    /// timeout: the outcome is unknown to the client but the request applied).
    Timeout(Duration),
    /// Wait this many milliseconds before handling each request.
    SlowMs(u64),
    /// The customer's bank declines every payment made through `pay`.
    Decline,
}

/// What happens when the customer pays an order through `pay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayOutcome {
    /// Razorpay: `authorized` (to be captured). Cashfree: `SUCCESS`.
    Authorized,
    /// Razorpay: `captured` straight away (auto-capture). Cashfree: `SUCCESS`.
    Captured,
    /// The bank declines: Razorpay `failed`, Cashfree `FAILED`.
    Failed,
    /// The customer gives up: Razorpay `failed` (cancelled), Cashfree `USER_DROPPED`.
    UserDropped,
    /// Not final yet: Razorpay `created`, Cashfree `PENDING`.
    Pending,
}

/// A settlement to list. `fee_minor` excludes GST; `tax_minor` is the GST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeSettlement {
    /// The net amount settled, in paise.
    pub amount_minor: i64,
    pub fee_minor: i64,
    pub tax_minor: i64,
    pub utr: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// `X-Refund-Idempotency` (Razorpay) or `x-idempotency-key` (Cashfree).
    pub idempotency_key: Option<String>,
}

/// A signed webhook, ready to send (or to tamper with in a test).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedWebhook {
    pub event_id: String,
    /// Lower-case names, as the adapters' `parse_webhook` takes them.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A webhook the fake signed and sent, as the receiver saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentWebhook {
    /// The receiver's HTTP status.
    pub status: u16,
    pub event_id: String,
    /// Lower-case names, as the adapters' `parse_webhook` takes them.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// State every fake shares: the injected fault and the request log.
#[derive(Default)]
pub(crate) struct FakeCore {
    fault: Mutex<Fault>,
    log: Mutex<Vec<LoggedRequest>>,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeCore {
    pub(crate) fn fault(&self) -> Fault {
        *lock(&self.fault)
    }

    pub(crate) fn set_fault(&self, fault: Fault) {
        *lock(&self.fault) = fault;
    }

    pub(crate) fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.log).clone()
    }
}

pub(crate) trait FakeServer: Send + Sync + 'static {
    fn core(&self) -> &FakeCore;
    /// The provider's body for an injected server error.
    fn server_error(&self, status: u16) -> Response;
    /// The header that carries this provider's idempotency key.
    const IDEMPOTENCY_HEADER: &'static str;
}

/// Logs the request, then applies the injected fault around the handler.
pub(crate) async fn fault_layer<S: FakeServer>(
    State(server): State<Arc<S>>,
    request: Request,
    next: Next,
) -> Response {
    lock(&server.core().log).push(LoggedRequest {
        method: request.method().to_string(),
        path: request.uri().path().to_string(),
        idempotency_key: request
            .headers()
            .get(S::IDEMPOTENCY_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    });
    match server.core().fault() {
        Fault::ServerError(status) => server.server_error(status),
        Fault::SlowMs(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Fault::Timeout(hold) => {
            let response = next.run(request).await;
            tokio::time::sleep(hold).await;
            response
        }
        Fault::None | Fault::Decline => next.run(request).await,
    }
}

pub(crate) fn json_response(status: u16, body: impl Into<String>) -> Response {
    let status = axum::http::StatusCode::from_u16(status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.into(),
    )
        .into_response()
}

/// `n` random ASCII letters and digits.
pub(crate) fn alphanumeric(n: usize) -> String {
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
}

/// Binds `127.0.0.1:0` and serves `router` until the handle is dropped.
pub(crate) async fn serve(
    router: axum::Router,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::warn!(error = %e, "fake provider server stopped");
        }
    });
    Ok((address, task))
}

/// POSTs a signed webhook body to `url`.
pub(crate) async fn post_webhook(url: &str, webhook: SignedWebhook) -> Result<SentWebhook, String> {
    let SignedWebhook {
        event_id,
        headers,
        body,
    } = webhook;
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("cannot build the webhook client: {e}"))?;
    let mut request = client.post(url).body(body.clone());
    for (name, value) in &headers {
        request = request.header(name, value);
    }
    let response = request.send().await.map_err(|e| {
        format!(
            "webhook POST to {url} failed: {}",
            crate::http::error_chain(&e)
        )
    })?;
    Ok(SentWebhook {
        status: response.status().as_u16(),
        event_id,
        headers,
        body,
    })
}

pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A fingerprint of a request for idempotency comparisons: the exact bytes.
pub(crate) fn fingerprint(path: &str, body: &[u8]) -> String {
    crate::http::sha256_hex(&[path.as_bytes(), b"\n", body])
}
