//! A Cashfree PG fake (API 2023-08-01): orders, payments, refunds, settlement
//! search and settlement recon under `/pg`, header auth, `{"message","code","type"}` errors,
//! decimal-rupee amounts written exactly, string `cf_*` ids, and signed
//! webhooks. Statuses stay inside the enums the official SDK enforces
//! (refunds end `SUCCESS` or `CANCELLED`, never `FAILED`).
//!
//! This file holds the shared state (`Shared` and its `Books`), auth, the
//! error, parsing and idempotency helpers every resource uses, the router and
//! the public [`CashfreeFake`] handle. Each resource (`orders`, `payments`,
//! `refunds`, `settlements`, `webhooks`) is a file with its wire shapes, its
//! handlers and its `routes()`, merged below in [`CashfreeFake::start_with`].

mod orders;
mod payments;
mod refunds;
mod settlements;
mod webhooks;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use axum::response::Response;
use finvex_core::money::Money;
use serde::Serialize;
use serde_json::{json, Value};

use super::{
    json_response, serve, FakeCore, FakeServer, FakeSettlement, Fault, LoggedRequest, PayOutcome,
    SentWebhook, SignedWebhook,
};

pub use webhooks::CashfreeEvent;

type Reply = Result<Response, Response>;

fn error(status: u16, message: &str, code: &str, kind: &str) -> Response {
    json_response(
        status,
        json!({"message": message, "code": code, "type": kind}).to_string(),
    )
}

fn invalid(message: &str, code: &str) -> Response {
    error(400, message, code, "invalid_request_error")
}

fn ok(value: &impl Serialize) -> Reply {
    serde_json::to_string(value)
        .map(|body| json_response(200, body))
        .map_err(|e| {
            error(
                500,
                &format!("cannot encode: {e}"),
                "internal_error",
                "api_error",
            )
        })
}

fn valid_ref(id: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[derive(Debug, Clone)]
struct Order {
    order_id: String,
    cf_order_id: String,
    amount: Money,
    status: &'static str,
    session: String,
    customer: Value,
    note: Option<String>,
    tags: Value,
    created_at: i64,
}

#[derive(Debug, Clone)]
struct Payment {
    cf_payment_id: String,
    order_id: String,
    amount: Money,
    status: &'static str,
    message: &'static str,
    error: Option<[&'static str; 4]>,
    time: i64,
}

#[derive(Debug, Clone)]
struct Refund {
    cf_refund_id: String,
    refund_id: String,
    order_id: String,
    cf_payment_id: String,
    amount: Money,
    note: Option<String>,
    status: &'static str,
    speed: String,
    created_at: i64,
    processed_at: Option<i64>,
}

#[derive(Default)]
struct Books {
    orders: BTreeMap<String, Order>,
    payments: Vec<Payment>,
    refunds: BTreeMap<(String, String), Refund>,
    /// key → (request fingerprint, the 200 body given).
    idempotency: HashMap<String, (String, String)>,
    settlements: Vec<(String, FakeSettlement)>,
    /// `cf_payment_id`s and `cf_refund_id`s already in a settlement.
    settled: HashSet<String>,
}

struct Shared {
    client_id: String,
    client_secret: String,
    core: FakeCore,
    books: Mutex<Books>,
    next_id: AtomicU64,
}

impl Shared {
    /// A numeric `cf_*` id, as a string.
    fn cf_id(&self) -> String {
        self.next_id.fetch_add(1, Ordering::Relaxed).to_string()
    }

    fn authorize(&self, headers: &HeaderMap) -> Result<(), Response> {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        };
        if get("x-client-id") != self.client_id || get("x-client-secret") != self.client_secret {
            return Err(error(
                401,
                "authentication Failed",
                "request_failed",
                "authentication_error",
            ));
        }
        if get("x-api-version").is_empty() {
            return Err(invalid(
                "x-api-version : is missing in the request header",
                "request_failed",
            ));
        }
        Ok(())
    }
}

impl FakeServer for Shared {
    const IDEMPOTENCY_HEADER: &'static str = "x-idempotency-key";

    fn core(&self) -> &FakeCore {
        &self.core
    }

    fn server_error(&self, status: u16) -> Response {
        error(
            status,
            "internal server error",
            "internal_error",
            "api_error",
        )
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(body)
        .map_err(|e| invalid(&format!("invalid request body: {e}"), "request_invalid"))
}

/// Replays a stored 200 for a repeated key, or refuses a different request.
fn replay(books: &Books, key: Option<&str>, print: &str) -> Option<Reply> {
    let (seen, body) = books.idempotency.get(key?)?;
    Some(if seen == print {
        Ok(json_response(200, body.clone()))
    } else {
        Err(error(
            422,
            "idempotency key was used with a different request",
            "idempotency_error",
            "idempotency_error",
        ))
    })
}

/// Encodes a success body and remembers it under its idempotency key.
fn answer(books: &mut Books, key: Option<String>, print: String, value: &impl Serialize) -> Reply {
    let body = serde_json::to_string(value).map_err(|e| {
        error(
            500,
            &format!("cannot encode: {e}"),
            "internal_error",
            "api_error",
        )
    })?;
    if let Some(key) = key {
        books.idempotency.insert(key, (print, body.clone()));
    }
    Ok(json_response(200, body))
}

fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn order_not_found() -> Response {
    error(
        404,
        "order not found",
        "order_not_found",
        "invalid_request_error",
    )
}

async fn unknown_url() -> Response {
    error(
        404,
        "requested URL was not found",
        "request_failed",
        "invalid_request_error",
    )
}

/// Every resource's routes, with the unknown-URL answer, the fault layer and
/// the state. A new resource is one more `.merge(x::routes())`.
fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .merge(orders::routes())
        .merge(payments::routes())
        .merge(refunds::routes())
        .merge(settlements::routes())
        .fallback(unknown_url)
        .method_not_allowed_fallback(unknown_url)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            super::fault_layer::<Shared>,
        ))
        .with_state(shared)
}

/// A running Cashfree fake. The server stops when the handle is dropped.
pub struct CashfreeFake {
    shared: Arc<Shared>,
    address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for CashfreeFake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl CashfreeFake {
    pub const CLIENT_ID: &'static str = "TEST_finvex_fake_client";
    pub const CLIENT_SECRET: &'static str = "cfsk_ma_test_finvex_fake_secret";

    /// Starts with [`Self::CLIENT_ID`] and [`Self::CLIENT_SECRET`].
    pub async fn start() -> std::io::Result<CashfreeFake> {
        CashfreeFake::start_with(Self::CLIENT_ID, Self::CLIENT_SECRET).await
    }

    pub async fn start_with(client_id: &str, client_secret: &str) -> std::io::Result<CashfreeFake> {
        let shared = Arc::new(Shared {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            core: FakeCore::default(),
            books: Mutex::new(Books::default()),
            next_id: AtomicU64::new(5_114_910_000_001),
        });
        let (address, task) = serve(router(shared.clone())).await?;
        Ok(CashfreeFake {
            shared,
            address,
            task,
        })
    }

    /// `http://127.0.0.1:PORT/pg`, like `https://sandbox.cashfree.com/pg`.
    pub fn base_url(&self) -> String {
        format!("http://{}/pg", self.address)
    }

    pub fn client_id(&self) -> &str {
        &self.shared.client_id
    }

    pub fn client_secret(&self) -> &str {
        &self.shared.client_secret
    }

    pub fn set_fault(&self, fault: Fault) {
        self.shared.core.set_fault(fault);
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.core.requests()
    }

    /// The customer pays `order_id` (our order id). Returns the `cf_payment_id`.
    /// Authorized and Captured both give `SUCCESS` (Cashfree auto-captures).
    /// Under [`Fault::Decline`] every payment fails at the bank.
    pub fn pay(&self, order_id: &str, outcome: PayOutcome) -> Result<String, String> {
        payments::pay(&self.shared, order_id, outcome)
    }

    /// Moves a `PENDING` refund to `SUCCESS`, or to `CANCELLED` (which gives
    /// its amount back to the refundable balance).
    pub fn complete_refund(
        &self,
        order_id: &str,
        refund_id: &str,
        succeeded: bool,
    ) -> Result<(), String> {
        refunds::complete(&self.shared, order_id, refund_id, succeeded)
    }

    /// Adds a settlement (a numeric string `cf_settlement_id`) and returns its id.
    pub fn add_settlement(&self, settlement: FakeSettlement) -> String {
        settlements::add(&self.shared, settlement)
    }

    /// Settles, at `created_at` (unix seconds), every INR payment that is
    /// `SUCCESS` and every `SUCCESS` INR refund not in a settlement yet: one
    /// settlement (a numeric string `cf_settlement_id`, returned) with a
    /// random UTR. Payment lines carry [`fake_fee`](super::fake_fee)'s fee
    /// and GST, refund lines none; the settlement's amount is Σ payments −
    /// Σ fees − Σ GST − Σ refunds, and its `service_charge`/`service_tax`
    /// the sums. Nothing settles twice; `Err` when there is nothing to settle.
    pub fn settle(&self, created_at: i64) -> Result<String, String> {
        settlements::settle(&self.shared, created_at)
    }

    /// The signed webhook for `event` (body and lower-case headers), not sent.
    pub fn build_webhook(&self, event: &CashfreeEvent) -> Result<SignedWebhook, String> {
        webhooks::build(&self.shared, event)
    }

    /// Signs and POSTs the webhook for `event` to `target_url`.
    pub async fn send_webhook(
        &self,
        target_url: &str,
        event: CashfreeEvent,
    ) -> Result<SentWebhook, String> {
        let webhook = self.build_webhook(&event)?;
        super::post_webhook(target_url, webhook).await
    }
}
