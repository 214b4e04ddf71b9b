//! A Razorpay fake: `/v1` orders, payments, capture, refunds, settlements
//! and the settlement recon report, Basic auth, `{"error":{…}}` bodies, and
//! signed webhooks.
//!
//! The official Python SDK can talk to it:
//! `razorpay.Client(auth=(RazorpayFake::KEY_ID, RazorpayFake::KEY_SECRET), base_url=fake.base_url())`.
//!
//! This file holds the shared state (`Shared` and its `Books`), auth, the
//! error and parsing helpers every resource uses, the router and the public
//! [`RazorpayFake`] handle. Each resource (`orders`, `payments`, `refunds`,
//! `settlements`, `webhooks`) is a file with its wire shapes, its handlers
//! and its `routes()`, merged below in [`RazorpayFake::start_with`].

mod orders;
mod payments;
mod refunds;
mod settlements;
mod webhooks;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::{
    alphanumeric, json_response, serve, FakeCore, FakeServer, FakeSettlement, Fault, LoggedRequest,
    PayOutcome, SentWebhook, SignedWebhook,
};

pub use webhooks::RazorpayEvent;

type Reply = Result<Response, Response>;

#[derive(Debug, Clone)]
struct Order {
    id: String,
    amount: i64,
    amount_paid: i64,
    currency: String,
    receipt: Option<String>,
    status: &'static str,
    attempts: i64,
    notes: Value,
    created_at: i64,
}

#[derive(Debug, Clone)]
struct Payment {
    id: String,
    order_id: String,
    amount: i64,
    currency: String,
    status: &'static str,
    amount_refunded: i64,
    fee: Option<i64>,
    tax: Option<i64>,
    error: Option<[&'static str; 5]>,
    created_at: i64,
}

#[derive(Debug, Clone)]
struct Refund {
    id: String,
    payment_id: String,
    amount: i64,
    currency: String,
    status: &'static str,
    speed_requested: String,
    notes: Value,
    receipt: Option<String>,
    created_at: i64,
}

#[derive(Default)]
struct Books {
    orders: BTreeMap<String, Order>,
    payments: BTreeMap<String, Payment>,
    refunds: BTreeMap<String, Refund>,
    /// (payment id, key) → (request fingerprint, refund id).
    refund_keys: HashMap<(String, String), (String, String)>,
    settlements: Vec<(String, FakeSettlement)>,
    /// Ids of the payments and refunds already in a settlement.
    settled: HashSet<String>,
}

struct Shared {
    key_id: String,
    key_secret: String,
    webhook_secret: String,
    core: FakeCore,
    books: Mutex<Books>,
}

impl FakeServer for Shared {
    const IDEMPOTENCY_HEADER: &'static str = "x-refund-idempotency";

    fn core(&self) -> &FakeCore {
        &self.core
    }

    fn server_error(&self, status: u16) -> Response {
        json_response(
            status,
            json!({"error": {"code": "SERVER_ERROR",
                "description": "The server encountered an error. The incident has been reported to admins.",
                "source": "NA", "step": "NA", "reason": "NA", "metadata": {}}})
            .to_string(),
        )
    }
}

/// `{"error":{…}}` with Razorpay's fields.
fn error(status: u16, code: &str, description: &str, field: Option<&str>) -> Response {
    let mut detail = json!({"code": code, "description": description, "source": "business",
        "step": "payment_initiation", "reason": "input_validation_failed", "metadata": {}});
    if let Some(field) = field {
        detail["field"] = json!(field);
    }
    json_response(status, json!({ "error": detail }).to_string())
}

fn bad_request(description: &str, field: Option<&str>) -> Response {
    error(400, "BAD_REQUEST_ERROR", description, field)
}

fn no_such_id() -> Response {
    bad_request("The id provided does not exist", None)
}

fn ok(value: Value) -> Reply {
    Ok(json_response(200, value.to_string()))
}

fn id(prefix: &str) -> String {
    format!("{prefix}{}", alphanumeric(14))
}

impl Shared {
    fn authorize(&self, headers: &HeaderMap) -> Result<(), Response> {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", self.key_id, self.key_secret))
        );
        let given = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if given == expected {
            Ok(())
        } else {
            Err(json_response(
                401,
                json!({"error": {"code": "BAD_REQUEST_ERROR", "description": "Authentication failed",
                    "source": "NA", "step": "NA", "reason": "NA", "metadata": {}}})
                .to_string(),
            ))
        }
    }
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad_request("The request body is not valid JSON", None)),
    }
}

fn notes(body: &Map<String, Value>) -> Result<Value, Response> {
    match body.get("notes") {
        None | Some(Value::Null) => Ok(json!([])),
        Some(Value::Array(a)) if a.is_empty() => Ok(json!([])),
        Some(Value::Object(map)) => {
            if map.len() > 15 {
                return Err(bad_request(
                    "Number of fields in notes should be less than or equal to 15",
                    Some("notes"),
                ));
            }
            for value in map.values() {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if text.chars().count() > 256 {
                    return Err(bad_request(
                        "Notes value can be at most 256 characters",
                        Some("notes"),
                    ));
                }
            }
            Ok(Value::Object(map.clone()))
        }
        Some(_) => Err(bad_request("The notes must be an object", Some("notes"))),
    }
}

fn collection(items: Vec<Value>) -> Value {
    json!({"entity": "collection", "count": items.len(), "items": items})
}

fn integer_amount(body: &Map<String, Value>) -> Result<Option<i64>, Response> {
    match body.get("amount") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .map(Some)
            .ok_or_else(|| bad_request("The amount must be an integer.", Some("amount"))),
    }
}

fn query_number(query: &HashMap<String, String>, name: &str) -> Result<Option<i64>, Response> {
    query
        .get(name)
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| bad_request(&format!("The {name} must be an integer."), Some(name)))
        })
        .transpose()
}

/// `count` (1-100, default 10) and `skip` (≥ 0, default 0) of a list.
fn page(query: &HashMap<String, String>) -> Result<(usize, usize), Response> {
    let count = query_number(query, "count")?.unwrap_or(10);
    let skip = query_number(query, "skip")?.unwrap_or(0);
    if !(1..=100).contains(&count) {
        return Err(bad_request(
            "The count must be between 1 and 100.",
            Some("count"),
        ));
    }
    if skip < 0 {
        return Err(bad_request("The skip must be at least 0.", Some("skip")));
    }
    Ok((count as usize, skip as usize))
}

async fn unknown_url() -> Response {
    error(
        404,
        "BAD_REQUEST_ERROR",
        "The requested URL was not found on the server.",
        None,
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

/// A running Razorpay fake. The server stops when the handle is dropped.
pub struct RazorpayFake {
    shared: Arc<Shared>,
    address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RazorpayFake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RazorpayFake {
    pub const KEY_ID: &'static str = "rzp_test_FinvexFake0001";
    pub const KEY_SECRET: &'static str = "fake_key_secret_0123456789";
    pub const WEBHOOK_SECRET: &'static str = "whsec_finvex_fake";

    /// Starts with [`Self::KEY_ID`], [`Self::KEY_SECRET`] and [`Self::WEBHOOK_SECRET`].
    pub async fn start() -> std::io::Result<RazorpayFake> {
        RazorpayFake::start_with(Self::KEY_ID, Self::KEY_SECRET, Self::WEBHOOK_SECRET).await
    }

    pub async fn start_with(
        key_id: &str,
        key_secret: &str,
        webhook_secret: &str,
    ) -> std::io::Result<RazorpayFake> {
        let shared = Arc::new(Shared {
            key_id: key_id.into(),
            key_secret: key_secret.into(),
            webhook_secret: webhook_secret.into(),
            core: FakeCore::default(),
            books: Mutex::new(Books::default()),
        });
        let (address, task) = serve(router(shared.clone())).await?;
        Ok(RazorpayFake {
            shared,
            address,
            task,
        })
    }

    /// `http://127.0.0.1:PORT` (no `/v1`, like `https://api.razorpay.com`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn key_id(&self) -> &str {
        &self.shared.key_id
    }

    pub fn key_secret(&self) -> &str {
        &self.shared.key_secret
    }

    pub fn webhook_secret(&self) -> &str {
        &self.shared.webhook_secret
    }

    pub fn set_fault(&self, fault: Fault) {
        self.shared.core.set_fault(fault);
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.core.requests()
    }

    /// The customer pays `order_id`. Returns the payment id and the checkout
    /// signature Razorpay's checkout would hand the browser (HMAC of
    /// `order_id|payment_id` under the key secret). Under [`Fault::Decline`]
    /// every payment fails at the bank.
    pub fn pay(&self, order_id: &str, outcome: PayOutcome) -> Result<(String, String), String> {
        payments::pay(&self.shared, order_id, outcome)
    }

    /// Moves a refund to `processed` or `failed`; a failed refund gives its
    /// amount back to the payment's refundable balance.
    pub fn complete_refund(&self, refund_id: &str, succeeded: bool) -> Result<(), String> {
        refunds::complete(&self.shared, refund_id, succeeded)
    }

    /// Adds a settlement (`setl_…`) and returns its id.
    pub fn add_settlement(&self, settlement: FakeSettlement) -> String {
        settlements::add(&self.shared, settlement)
    }

    /// Settles, at `created_at` (unix seconds), every INR payment that is
    /// captured (or refunded) and every processed INR refund not in a
    /// settlement yet: one settlement (`setl_…`, returned) with a random UTR.
    /// Payment lines carry the payment's fee and GST (see
    /// [`fake_fee`](super::fake_fee)), refund lines none; the settlement's
    /// amount is Σ payments − Σ fees − Σ GST − Σ refunds, and its
    /// `fees`/`tax` the sums. Nothing settles twice; `Err` when there is
    /// nothing to settle.
    pub fn settle(&self, created_at: i64) -> Result<String, String> {
        settlements::settle(&self.shared, created_at)
    }

    /// The signed webhook for `event` (body and lower-case headers), not sent.
    pub fn build_webhook(&self, event: &RazorpayEvent) -> Result<SignedWebhook, String> {
        webhooks::build(&self.shared, event)
    }

    /// Signs and POSTs the webhook for `event` to `target_url`.
    pub async fn send_webhook(
        &self,
        target_url: &str,
        event: RazorpayEvent,
    ) -> Result<SentWebhook, String> {
        let webhook = self.build_webhook(&event)?;
        super::post_webhook(target_url, webhook).await
    }
}
