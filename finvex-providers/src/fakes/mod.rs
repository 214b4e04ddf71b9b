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
//! - `settle(created_at)`: settles every captured payment and processed
//!   refund not settled yet into one settlement, with per-line fees from
//!   [`fake_fee`], listed by the settlement search and the recon report;
//! - `send_webhook(url, event)`: POSTs a correctly signed webhook;
//! - `requests()`: what the fake has received (method, path, idempotency key).
//!
//! ## Layout
//!
//! One folder per provider, one file per resource. `razorpay/mod.rs` and
//! `cashfree/mod.rs` hold what every resource shares: the state (`Shared`
//! and its `Books`), auth, the error, parsing (and, for Cashfree,
//! idempotency) helpers, the router, and the public handle with its
//! test-control methods. Each resource — `orders.rs`, `payments.rs`,
//! `refunds.rs`, `settlements.rs`, `webhooks.rs` — holds its wire shapes
//! (`*Out`/`*In`), its handlers, any test-control logic the handle calls
//! into, and a `pub(super) fn routes() -> axum::Router<Arc<Shared>>`
//! listing its paths (`webhooks.rs` has none: the fakes send webhooks).
//!
//! A new resource (payouts, say) is a new file, `payouts.rs` with its
//! `routes()`, plus one `mod payouts;` and one `.merge(payouts::routes())`
//! line in the provider's `router` (and, if it keeps state, a field on
//! `Books`; if tests drive it, a method on the handle calling into the file).

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
    /// What the recon report lists for this settlement (Razorpay
    /// `settlements/recon/combined`, Cashfree `settlement/recon`). Empty for a
    /// settlement added with no detail; `settle` fills it in.
    pub lines: Vec<FakeSettlementLine>,
}

/// What a settlement line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeLineKind {
    /// A captured payment: adds its amount to the payout, less its fee and GST.
    Payment,
    /// A processed refund: its amount is deducted from the payout; no fee.
    Refund,
}

/// One line of a settlement, in paise.
///
/// The fee is what a typical Indian gateway charges: a percentage of the
/// payment ([`fake_fee`]), with 18% GST on that fee charged on top.
/// `fee_minor` is the fee *without* GST and `tax_minor` the GST on it (the
/// Razorpay fake writes `fee` including GST on the wire, as Razorpay does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeSettlementLine {
    pub kind: FakeLineKind,
    /// The provider's id of the payment or refund: Razorpay `pay_…`/`rfnd_…`,
    /// Cashfree `cf_payment_id`/`cf_refund_id`.
    pub entity_id: String,
    /// The payment: the line's own for a payment, the refunded one for a refund.
    pub payment_id: String,
    /// The provider's order id (Cashfree: the merchant's order id).
    pub order_id: String,
    /// The gross amount of the payment or refund, always positive.
    pub amount_minor: i64,
    /// The fee without GST (0 on refunds).
    pub fee_minor: i64,
    /// The GST on the fee (0 on refunds).
    pub tax_minor: i64,
}

impl FakeSettlementLine {
    /// What the line adds to the payout: the amount less fee and GST for a
    /// payment, minus the amount for a refund.
    pub fn net_minor(&self) -> i64 {
        match self.kind {
            FakeLineKind::Payment => self.amount_minor - self.fee_minor - self.tax_minor,
            FakeLineKind::Refund => -self.amount_minor,
        }
    }
}

/// The fake's gateway fee on a payment of `amount_minor` paise, as
/// `(fee without GST, GST on the fee)`: a typical gateway fee of 2% of the
/// payment, rounded half-up to the paisa, plus 18% GST on that fee, also
/// rounded half-up (half away from zero for a negative amount).
///
/// `fake_fee(49_900)` is `(998, 180)`: ₹9.98 fee and ₹1.80 GST (179.64 paise).
pub fn fake_fee(amount_minor: i64) -> (i64, i64) {
    let fee = percent_half_up(amount_minor, 2);
    (fee, percent_half_up(fee, 18))
}

/// `value × percent / 100`, rounded half away from zero, saturating.
fn percent_half_up(value: i64, percent: i64) -> i64 {
    let scaled = i128::from(value) * i128::from(percent);
    let rounded = (scaled.abs() + 50) / 100 * scaled.signum();
    i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
}

/// The totals a settlement made of `lines` carries: (net amount, fee, GST).
fn settlement_totals(lines: &[FakeSettlementLine]) -> (i64, i64, i64) {
    lines.iter().fold((0, 0, 0), |(net, fee, tax), line| {
        (
            net + line.net_minor(),
            fee + line.fee_minor,
            tax + line.tax_minor,
        )
    })
}

impl FakeSettlement {
    /// A settlement paying out `lines`: its amount, fees and GST are their sums.
    pub(crate) fn of_lines(lines: Vec<FakeSettlementLine>, utr: String, created_at: i64) -> Self {
        let (amount_minor, fee_minor, tax_minor) = settlement_totals(&lines);
        FakeSettlement {
            amount_minor,
            fee_minor,
            tax_minor,
            utr,
            created_at,
            lines,
        }
    }
}

/// The calendar date (year, month, day) in India, the zone both providers
/// file reports under, at unix second `secs`.
pub(crate) fn ist_date(secs: i64) -> (i64, u32, u32) {
    let date = finvex_core::calendar::date_in_india(secs);
    // Month and day are 1-12 and 1-31.
    (
        i64::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
}

/// The number of days in `month` (1-12) of `year`.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    i16::try_from(year)
        .ok()
        .zip(i8::try_from(month).ok())
        .and_then(|(y, m)| finvex_core::calendar::Date::new(y, m, 1).ok())
        .map_or(0, |first| first.days_in_month() as u32)
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
