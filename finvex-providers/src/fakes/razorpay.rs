//! A Razorpay fake: `/v1` orders, payments, capture, refunds, settlements
//! and the settlement recon report, Basic auth, `{"error":{…}}` bodies, and
//! signed webhooks.
//!
//! The official Python SDK can talk to it:
//! `razorpay.Client(auth=(RazorpayFake::KEY_ID, RazorpayFake::KEY_SECRET), base_url=fake.base_url())`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::{
    alphanumeric, days_in_month, fake_fee, fingerprint, ist_date, json_response, lock,
    post_webhook, serve, FakeCore, FakeLineKind, FakeServer, FakeSettlement, FakeSettlementLine,
    Fault, LoggedRequest, PayOutcome, SentWebhook, SignedWebhook,
};
use crate::http::now_secs;
use crate::razorpay::transformers::{checkout_signature, webhook_signature};

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

fn order_json(o: &Order) -> Value {
    json!({"id": o.id, "entity": "order", "amount": o.amount, "amount_paid": o.amount_paid,
        "amount_due": o.amount - o.amount_paid, "currency": o.currency, "receipt": o.receipt,
        "offer_id": null, "status": o.status, "attempts": o.attempts, "notes": o.notes,
        "created_at": o.created_at})
}

fn payment_json(p: &Payment) -> Value {
    let refund_status = match p.amount_refunded {
        0 => Value::Null,
        r if r >= p.amount => json!("full"),
        _ => json!("partial"),
    };
    let [code, description, source, step, reason] =
        p.error.map(|e| e.map(Some)).unwrap_or([None; 5]);
    json!({"id": p.id, "entity": "payment", "amount": p.amount, "currency": p.currency,
        "status": p.status, "order_id": p.order_id, "invoice_id": null, "international": false,
        "method": "upi", "amount_refunded": p.amount_refunded, "refund_status": refund_status,
        "captured": matches!(p.status, "captured" | "refunded"), "description": null,
        "card_id": null, "bank": null, "wallet": null, "vpa": "success@razorpay",
        "email": "customer@example.com", "contact": "+919876543210", "customer_id": null,
        "notes": [], "fee": p.fee, "tax": p.tax, "error_code": code, "error_description": description,
        "error_source": source, "error_step": step, "error_reason": reason,
        "acquirer_data": {"rrn": format!("{:012}", p.created_at)}, "created_at": p.created_at})
}

fn refund_json(r: &Refund) -> Value {
    let processed = if r.status == "processed" {
        json!(if r.speed_requested == "optimum" {
            "instant"
        } else {
            "normal"
        })
    } else {
        Value::Null
    };
    json!({"id": r.id, "entity": "refund", "amount": r.amount, "currency": r.currency,
        "payment_id": r.payment_id, "notes": r.notes, "receipt": r.receipt,
        "acquirer_data": {"arn": null}, "created_at": r.created_at, "batch_id": null,
        "status": r.status, "speed_processed": processed, "speed_requested": r.speed_requested})
}

fn settlement_json(id: &str, s: &FakeSettlement) -> Value {
    json!({"id": id, "entity": "settlement", "amount": s.amount_minor, "status": "processed",
        "fees": s.fee_minor + s.tax_minor, "tax": s.tax_minor, "utr": s.utr,
        "created_at": s.created_at})
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

async fn create_order(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Reply {
    s.authorize(&headers)?;
    let body = parse_object(&body)?;
    let amount = integer_amount(&body)?
        .ok_or_else(|| bad_request("The amount field is required.", Some("amount")))?;
    if amount < 100 {
        return Err(bad_request(
            "The amount must be at least INR 1.00.",
            Some("amount"),
        ));
    }
    let currency = body
        .get("currency")
        .and_then(Value::as_str)
        .ok_or_else(|| bad_request("The currency field is required.", Some("currency")))?;
    if finvex_core::money::Currency::parse(currency).is_err() || currency.len() != 3 {
        return Err(bad_request("The currency is invalid.", Some("currency")));
    }
    let receipt = match body.get("receipt") {
        None | Some(Value::Null) => None,
        Some(Value::String(r)) if r.chars().count() <= 40 => Some(r.clone()),
        Some(_) => {
            return Err(bad_request(
                "The receipt may not be greater than 40 characters.",
                Some("receipt"),
            ))
        }
    };
    let order = Order {
        id: id("order_"),
        amount,
        amount_paid: 0,
        currency: currency.to_ascii_uppercase(),
        receipt,
        status: "created",
        attempts: 0,
        notes: notes(&body)?,
        created_at: now_secs(),
    };
    let reply = order_json(&order);
    lock(&s.books).orders.insert(order.id.clone(), order);
    ok(reply)
}

async fn get_order(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    ok(order_json(books.orders.get(&id).ok_or_else(no_such_id)?))
}

/// `GET /v1/orders?from&to&count&skip&receipt&authorized`: newest first, as
/// Razorpay lists them (`authorized=1`: orders with an authorised payment).
async fn list_orders(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    s.authorize(&headers)?;
    let from = query_number(&query, "from")?.unwrap_or(i64::MIN);
    let to = query_number(&query, "to")?.unwrap_or(i64::MAX);
    let (count, skip) = page(&query)?;
    let receipt = query.get("receipt");
    let authorized_only = query
        .get("authorized")
        .is_some_and(|v| v == "1" || v == "true");
    let books = lock(&s.books);
    let mut matching: Vec<&Order> = books
        .orders
        .values()
        .filter(|o| (from..=to).contains(&o.created_at))
        .filter(|o| receipt.is_none_or(|r| o.receipt.as_ref() == Some(r)))
        .filter(|o| {
            !authorized_only
                || books
                    .payments
                    .values()
                    .any(|p| p.order_id == o.id && p.status == "authorized")
        })
        .collect();
    matching.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    let items = matching
        .into_iter()
        .skip(skip)
        .take(count)
        .map(order_json)
        .collect();
    ok(collection(items))
}

async fn order_payments(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    books.orders.get(&id).ok_or_else(no_such_id)?;
    let mut payments: Vec<&Payment> = books
        .payments
        .values()
        .filter(|p| p.order_id == id)
        .collect();
    payments.sort_by_key(|p| std::cmp::Reverse(p.created_at));
    ok(collection(payments.into_iter().map(payment_json).collect()))
}

async fn get_payment(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    ok(payment_json(
        books.payments.get(&id).ok_or_else(no_such_id)?,
    ))
}

/// A payment's `fee` and `tax` as Razorpay writes them: `fee` *includes* the
/// GST, `tax` is the GST. The fee is [`fake_fee`]'s (2% plus 18% GST on it).
fn fee_and_tax(amount: i64) -> (i64, i64) {
    let (fee, gst) = fake_fee(amount);
    (fee + gst, gst)
}

fn mark_order_paid(books: &mut Books, order_id: &str, amount: i64) {
    if let Some(order) = books.orders.get_mut(order_id) {
        order.amount_paid += amount;
        order.status = "paid";
    }
}

async fn capture(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Reply {
    s.authorize(&headers)?;
    let body = parse_object(&body)?;
    let amount = integer_amount(&body)?
        .ok_or_else(|| bad_request("The amount field is required.", Some("amount")))?;
    let currency = body
        .get("currency")
        .and_then(Value::as_str)
        .ok_or_else(|| bad_request("The currency field is required.", Some("currency")))?
        .to_ascii_uppercase();
    let mut books = lock(&s.books);
    let payment = books.payments.get_mut(&id).ok_or_else(no_such_id)?;
    match payment.status {
        "authorized" => {}
        "captured" | "refunded" => {
            return Err(bad_request("This payment has already been captured", None))
        }
        _ => {
            return Err(bad_request(
                "Only payments which have been authorized and not yet captured can be captured",
                None,
            ))
        }
    }
    if amount != payment.amount {
        return Err(bad_request(
            "Capture amount must be equal to the amount authorized",
            Some("amount"),
        ));
    }
    if currency != payment.currency {
        return Err(bad_request(
            "Currency should be same as payment currency",
            Some("currency"),
        ));
    }
    let (fee, tax) = fee_and_tax(amount);
    payment.status = "captured";
    payment.fee = Some(fee);
    payment.tax = Some(tax);
    let reply = payment_json(payment);
    let order_id = payment.order_id.clone();
    mark_order_paid(&mut books, &order_id, amount);
    ok(reply)
}

async fn refund(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(payment_id): Path<String>,
    raw: Bytes,
) -> Reply {
    s.authorize(&headers)?;
    let body = parse_object(&raw)?;
    let key = headers
        .get("x-refund-idempotency")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(key) = &key {
        if key.len() < 10
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad_request(
                "The idempotency key must be at least 10 characters of letters, digits, - or _",
                Some("X-Refund-Idempotency"),
            ));
        }
    }
    let print = fingerprint(&format!("/v1/payments/{payment_id}/refund"), &raw);
    let mut books = lock(&s.books);
    if let Some(key) = &key {
        if let Some((seen, refund_id)) = books.refund_keys.get(&(payment_id.clone(), key.clone())) {
            if *seen != print {
                return Err(bad_request(
                    "Different request body sent for the same idempotency header",
                    Some("X-Refund-Idempotency"),
                ));
            }
            return ok(refund_json(&books.refunds[refund_id]));
        }
    }
    let payment = books
        .payments
        .get(&payment_id)
        .ok_or_else(no_such_id)?
        .clone();
    if !matches!(payment.status, "captured" | "refunded") {
        return Err(bad_request("The payment has not been captured", None));
    }
    let remaining = payment.amount - payment.amount_refunded;
    let amount = integer_amount(&body)?.unwrap_or(remaining);
    if amount < 100 {
        return Err(bad_request(
            "The amount must be atleast INR 1.00",
            Some("amount"),
        ));
    }
    if amount > remaining {
        return Err(bad_request(
            "The total refund amount is greater than the refund payment amount",
            Some("amount"),
        ));
    }
    let speed = match body.get("speed").and_then(Value::as_str) {
        None => "normal".to_string(),
        Some(s @ ("normal" | "optimum")) => s.to_string(),
        Some(_) => return Err(bad_request("The selected speed is invalid.", Some("speed"))),
    };
    let refund = Refund {
        id: id("rfnd_"),
        payment_id: payment_id.clone(),
        amount,
        currency: payment.currency.clone(),
        status: "processed",
        speed_requested: speed,
        notes: notes(&body)?,
        receipt: body
            .get("receipt")
            .and_then(Value::as_str)
            .map(str::to_string),
        created_at: now_secs(),
    };
    let payment = books
        .payments
        .get_mut(&payment_id)
        .unwrap_or_else(|| unreachable!("fetched above under the same lock"));
    payment.amount_refunded += amount;
    if payment.amount_refunded >= payment.amount {
        payment.status = "refunded";
    }
    if let Some(key) = key {
        books
            .refund_keys
            .insert((payment_id, key), (print, refund.id.clone()));
    }
    let reply = refund_json(&refund);
    books.refunds.insert(refund.id.clone(), refund);
    ok(reply)
}

async fn payment_refunds(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    books.payments.get(&id).ok_or_else(no_such_id)?;
    ok(collection(
        books
            .refunds
            .values()
            .filter(|r| r.payment_id == id)
            .map(refund_json)
            .collect(),
    ))
}

async fn get_refund(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    ok(refund_json(books.refunds.get(&id).ok_or_else(no_such_id)?))
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

async fn settlements(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    s.authorize(&headers)?;
    let from = query_number(&query, "from")?.unwrap_or(i64::MIN);
    let to = query_number(&query, "to")?.unwrap_or(i64::MAX);
    let (count, skip) = page(&query)?;
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(_, st)| (from..=to).contains(&st.created_at))
        .collect();
    matching.sort_by(|a, b| b.1.created_at.cmp(&a.1.created_at).then(a.0.cmp(&b.0)));
    let items = matching
        .into_iter()
        .skip(skip)
        .take(count)
        .map(|(id, st)| settlement_json(id, st))
        .collect();
    ok(collection(items))
}

async fn get_settlement(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    let (id, st) = books
        .settlements
        .iter()
        .find(|(i, _)| *i == id)
        .ok_or_else(no_such_id)?;
    ok(settlement_json(id, st))
}

/// One item of `GET /v1/settlements/recon/combined`, in Razorpay's shape:
/// `fee` includes the GST and `tax` is the GST; a payment's `credit` is its
/// amount less that fee, a refund's `debit` its amount.
fn recon_item_json(
    books: &Books,
    id: &str,
    s: &FakeSettlement,
    line: &FakeSettlementLine,
) -> Value {
    let payment = books.payments.get(&line.payment_id);
    let order = books.orders.get(&line.order_id);
    let (kind, debit, credit, payment_id, created_at) = match line.kind {
        FakeLineKind::Payment => (
            "payment",
            0,
            line.amount_minor - line.fee_minor - line.tax_minor,
            Value::Null,
            payment.map(|p| p.created_at),
        ),
        FakeLineKind::Refund => (
            "refund",
            line.amount_minor,
            0,
            json!(line.payment_id),
            books.refunds.get(&line.entity_id).map(|r| r.created_at),
        ),
    };
    let notes = order
        .map(|o| &o.notes)
        .filter(|n| n.as_object().is_some_and(|m| !m.is_empty()))
        .map(|n| json!(n.to_string()))
        .unwrap_or(Value::Null);
    json!({"entity_id": line.entity_id, "type": kind, "debit": debit, "credit": credit,
        "amount": line.amount_minor, "currency": "INR", "fee": line.fee_minor + line.tax_minor,
        "tax": line.tax_minor, "on_hold": false, "settled": true,
        "created_at": created_at.unwrap_or(s.created_at), "settled_at": s.created_at,
        "settlement_id": id, "posted_at": null, "credit_type": "default", "description": null,
        "notes": notes, "payment_id": payment_id, "settlement_utr": s.utr,
        "order_id": line.order_id, "order_receipt": order.and_then(|o| o.receipt.clone()),
        "method": "upi", "card_network": null, "card_issuer": null, "card_type": null,
        "dispute_id": null})
}

/// `GET /v1/settlements/recon/combined?year=&month=[&day=][&count=][&skip=]`:
/// the lines of every settlement made on that day (or month) in India.
async fn settlement_recon(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    s.authorize(&headers)?;
    let year = query_number(&query, "year")?
        .ok_or_else(|| bad_request("The year field is required.", Some("year")))?;
    let month = query_number(&query, "month")?
        .ok_or_else(|| bad_request("The month field is required.", Some("month")))?;
    let day = query_number(&query, "day")?;
    let (count, skip) = page(&query)?;
    if !(1970..=9999).contains(&year) {
        return Err(bad_request("The year must be a valid year.", Some("year")));
    }
    let month = u32::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| bad_request("The month must be between 1 and 12.", Some("month")))?;
    let day = day
        .map(|d| {
            u32::try_from(d)
                .ok()
                .filter(|d| (1..=days_in_month(year, month)).contains(d))
                .ok_or_else(|| bad_request("The day is not a valid day of the month.", Some("day")))
        })
        .transpose()?;
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(_, st)| {
            let (y, m, d) = ist_date(st.created_at);
            y == year && m == month && day.is_none_or(|day| day == d)
        })
        .collect();
    matching.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    let items = matching
        .into_iter()
        .flat_map(|(id, st)| st.lines.iter().map(move |line| (id, st, line)))
        .skip(skip)
        .take(count)
        .map(|(id, st, line)| recon_item_json(&books, id, st, line))
        .collect();
    ok(collection(items))
}

async fn unknown_url() -> Response {
    error(
        404,
        "BAD_REQUEST_ERROR",
        "The requested URL was not found on the server.",
        None,
    )
}

/// A webhook event to send, naming the entity it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RazorpayEvent {
    PaymentAuthorized(String),
    PaymentCaptured(String),
    PaymentFailed(String),
    /// `order.paid`, naming the payment that paid the order.
    OrderPaid(String),
    RefundCreated(String),
    RefundProcessed(String),
    RefundFailed(String),
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
        let router = axum::Router::new()
            .route("/v1/orders", post(create_order).get(list_orders))
            .route("/v1/orders/{id}", get(get_order))
            .route("/v1/orders/{id}/payments", get(order_payments))
            .route("/v1/payments/{id}", get(get_payment))
            .route("/v1/payments/{id}/capture", post(capture))
            .route("/v1/payments/{id}/refund", post(refund))
            .route("/v1/payments/{id}/refunds", get(payment_refunds))
            .route("/v1/refunds/{id}", get(get_refund))
            .route("/v1/settlements", get(settlements))
            .route("/v1/settlements/recon/combined", get(settlement_recon))
            .route("/v1/settlements/{id}", get(get_settlement))
            .fallback(unknown_url)
            .method_not_allowed_fallback(unknown_url)
            .layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                super::fault_layer::<Shared>,
            ))
            .with_state(shared.clone());
        let (address, task) = serve(router).await?;
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
        let outcome = if self.shared.core.fault() == Fault::Decline {
            PayOutcome::Failed
        } else {
            outcome
        };
        let mut books = lock(&self.shared.books);
        let order = books
            .orders
            .get_mut(order_id)
            .ok_or_else(|| format!("no order {order_id}"))?;
        if order.status == "paid" {
            return Err(format!("order {order_id} is already paid"));
        }
        order.attempts += 1;
        order.status = "attempted";
        let (amount, currency) = (order.amount, order.currency.clone());
        let (status, error) = match outcome {
            PayOutcome::Authorized => ("authorized", None),
            PayOutcome::Captured => ("captured", None),
            PayOutcome::Pending => ("created", None),
            PayOutcome::Failed => (
                "failed",
                Some([
                    "BAD_REQUEST_ERROR",
                    "Payment failed because the bank declined it",
                    "bank",
                    "payment_authorization",
                    "payment_declined",
                ]),
            ),
            PayOutcome::UserDropped => (
                "failed",
                Some([
                    "BAD_REQUEST_ERROR",
                    "Payment was cancelled by the customer",
                    "customer",
                    "payment_authentication",
                    "payment_cancelled",
                ]),
            ),
        };
        let (fee, tax) = if status == "captured" {
            let (fee, tax) = fee_and_tax(amount);
            (Some(fee), Some(tax))
        } else {
            (None, None)
        };
        let payment = Payment {
            id: id("pay_"),
            order_id: order_id.to_string(),
            amount,
            currency,
            status,
            amount_refunded: 0,
            fee,
            tax,
            error,
            created_at: now_secs(),
        };
        if status == "captured" {
            mark_order_paid(&mut books, order_id, amount);
        }
        let signature = checkout_signature(&self.shared.key_secret, order_id, &payment.id);
        let payment_id = payment.id.clone();
        books.payments.insert(payment_id.clone(), payment);
        Ok((payment_id, signature))
    }

    /// Moves a refund to `processed` or `failed`; a failed refund gives its
    /// amount back to the payment's refundable balance.
    pub fn complete_refund(&self, refund_id: &str, succeeded: bool) -> Result<(), String> {
        let mut books = lock(&self.shared.books);
        let refund = books
            .refunds
            .get_mut(refund_id)
            .ok_or_else(|| format!("no refund {refund_id}"))?;
        let was_counted = refund.status != "failed";
        refund.status = if succeeded { "processed" } else { "failed" };
        if !succeeded && was_counted {
            let (payment_id, amount) = (refund.payment_id.clone(), refund.amount);
            if let Some(payment) = books.payments.get_mut(&payment_id) {
                payment.amount_refunded -= amount;
                if payment.status == "refunded" {
                    payment.status = "captured";
                }
            }
        }
        Ok(())
    }

    /// Adds a settlement (`setl_…`) and returns its id.
    pub fn add_settlement(&self, settlement: FakeSettlement) -> String {
        let id = id("setl_");
        lock(&self.shared.books)
            .settlements
            .push((id.clone(), settlement));
        id
    }

    /// Settles, at `created_at` (unix seconds), every INR payment that is
    /// captured (or refunded) and every processed INR refund not in a
    /// settlement yet: one settlement (`setl_…`, returned) with a random UTR.
    /// Payment lines carry the payment's fee and GST (see [`fake_fee`]),
    /// refund lines none; the settlement's amount is Σ payments − Σ fees −
    /// Σ GST − Σ refunds, and its `fees`/`tax` the sums. Nothing settles
    /// twice; `Err` when there is nothing to settle.
    pub fn settle(&self, created_at: i64) -> Result<String, String> {
        let mut books = lock(&self.shared.books);
        let mut lines = Vec::new();
        for p in books.payments.values() {
            if matches!(p.status, "captured" | "refunded")
                && p.currency == "INR"
                && !books.settled.contains(&p.id)
            {
                let (fee, tax) = match (p.fee, p.tax) {
                    (Some(fee), Some(tax)) => (fee - tax, tax),
                    _ => fake_fee(p.amount),
                };
                lines.push(FakeSettlementLine {
                    kind: FakeLineKind::Payment,
                    entity_id: p.id.clone(),
                    payment_id: p.id.clone(),
                    order_id: p.order_id.clone(),
                    amount_minor: p.amount,
                    fee_minor: fee,
                    tax_minor: tax,
                });
            }
        }
        for r in books.refunds.values() {
            if r.status == "processed" && r.currency == "INR" && !books.settled.contains(&r.id) {
                lines.push(FakeSettlementLine {
                    kind: FakeLineKind::Refund,
                    entity_id: r.id.clone(),
                    payment_id: r.payment_id.clone(),
                    order_id: books
                        .payments
                        .get(&r.payment_id)
                        .map(|p| p.order_id.clone())
                        .unwrap_or_default(),
                    amount_minor: r.amount,
                    fee_minor: 0,
                    tax_minor: 0,
                });
            }
        }
        if lines.is_empty() {
            return Err(
                "nothing to settle: no unsettled captured payment or processed refund".into(),
            );
        }
        books
            .settled
            .extend(lines.iter().map(|l| l.entity_id.clone()));
        let id = id("setl_");
        let utr = format!("{created_at}{}", alphanumeric(6).to_ascii_lowercase());
        books
            .settlements
            .push((id.clone(), FakeSettlement::of_lines(lines, utr, created_at)));
        Ok(id)
    }

    /// The signed webhook for `event` (body and lower-case headers), not sent.
    pub fn build_webhook(&self, event: &RazorpayEvent) -> Result<SignedWebhook, String> {
        let books = lock(&self.shared.books);
        let payment = |id: &str| {
            books
                .payments
                .get(id)
                .map(|p| json!({"entity": payment_json(p)}))
                .ok_or_else(|| format!("no payment {id}"))
        };
        let refund = |id: &str| {
            books
                .refunds
                .get(id)
                .ok_or_else(|| format!("no refund {id}"))
        };
        let (name, payload) = match event {
            RazorpayEvent::PaymentAuthorized(id) => {
                ("payment.authorized", json!({"payment": payment(id)?}))
            }
            RazorpayEvent::PaymentCaptured(id) => {
                ("payment.captured", json!({"payment": payment(id)?}))
            }
            RazorpayEvent::PaymentFailed(id) => {
                ("payment.failed", json!({"payment": payment(id)?}))
            }
            RazorpayEvent::OrderPaid(id) => {
                let order_id = &books
                    .payments
                    .get(id)
                    .ok_or_else(|| format!("no payment {id}"))?
                    .order_id;
                let order = books
                    .orders
                    .get(order_id)
                    .ok_or_else(|| format!("no order {order_id}"))?;
                (
                    "order.paid",
                    json!({"payment": payment(id)?, "order": {"entity": order_json(order)}}),
                )
            }
            RazorpayEvent::RefundCreated(id)
            | RazorpayEvent::RefundProcessed(id)
            | RazorpayEvent::RefundFailed(id) => {
                let r = refund(id)?;
                let name = match event {
                    RazorpayEvent::RefundCreated(_) => "refund.created",
                    RazorpayEvent::RefundProcessed(_) => "refund.processed",
                    _ => "refund.failed",
                };
                (
                    name,
                    json!({"refund": {"entity": refund_json(r)}, "payment": payment(&r.payment_id)?}),
                )
            }
        };
        let contains: Vec<&String> = payload
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let body = json!({"entity": "event", "account_id": "acc_FinvexFake0001", "event": name,
            "contains": contains, "payload": payload, "created_at": now_secs()})
        .to_string()
        .into_bytes();
        let event_id = alphanumeric(14);
        let headers = vec![
            ("content-type".to_string(), "application/json".to_string()),
            (
                "x-razorpay-signature".to_string(),
                webhook_signature(&self.shared.webhook_secret, &body),
            ),
            ("x-razorpay-event-id".to_string(), event_id.clone()),
        ];
        Ok(SignedWebhook {
            event_id,
            headers,
            body,
        })
    }

    /// Signs and POSTs the webhook for `event` to `target_url`.
    pub async fn send_webhook(
        &self,
        target_url: &str,
        event: RazorpayEvent,
    ) -> Result<SentWebhook, String> {
        let webhook = self.build_webhook(&event)?;
        post_webhook(target_url, webhook).await
    }
}
