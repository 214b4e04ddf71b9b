//! A Cashfree PG fake (API 2023-08-01): orders, payments, refunds, settlement
//! search and settlement recon under `/pg`, header auth, `{"message","code","type"}` errors,
//! decimal-rupee amounts written exactly, string `cf_*` ids, and signed
//! webhooks. Statuses stay inside the enums the official SDK enforces
//! (refunds end `SUCCESS` or `CANCELLED`, never `FAILED`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use finvex_core::money::{Currency, Money};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    alphanumeric, fake_fee, fingerprint, json_response, lock, now_millis, post_webhook, serve,
    FakeCore, FakeLineKind, FakeServer, FakeSettlement, FakeSettlementLine, Fault, LoggedRequest,
    PayOutcome, SentWebhook, SignedWebhook,
};
use crate::cashfree::transformers::webhook_signature;
use crate::http::now_secs;
use crate::money::DecimalAmount;
use finvex_core::calendar::{parse_timestamp as parse_iso, rfc3339_in_india as to_ist_iso};

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

// ---- wire shapes ----

#[derive(Serialize)]
struct OrderOut<'a> {
    cf_order_id: &'a str,
    order_id: &'a str,
    entity: &'static str,
    order_currency: &'static str,
    order_amount: DecimalAmount,
    order_status: &'a str,
    payment_session_id: &'a str,
    order_expiry_time: String,
    order_note: Option<&'a str>,
    created_at: String,
    order_splits: Vec<Value>,
    customer_details: &'a Value,
    order_meta: Value,
    order_tags: &'a Value,
}

fn order_out(o: &Order) -> OrderOut<'_> {
    OrderOut {
        cf_order_id: &o.cf_order_id,
        order_id: &o.order_id,
        entity: "order",
        order_currency: o.amount.currency.code(),
        order_amount: DecimalAmount::from_money(o.amount),
        order_status: o.status,
        payment_session_id: &o.session,
        order_expiry_time: to_ist_iso(o.created_at + 30 * 86_400),
        order_note: o.note.as_deref(),
        created_at: to_ist_iso(o.created_at),
        order_splits: Vec::new(),
        customer_details: &o.customer,
        order_meta: json!({"return_url": null, "notify_url": null, "payment_methods": null}),
        order_tags: &o.tags,
    }
}

#[derive(Serialize)]
struct PaymentOut<'a> {
    cf_payment_id: &'a str,
    order_id: &'a str,
    entity: &'static str,
    is_captured: bool,
    order_amount: DecimalAmount,
    payment_amount: DecimalAmount,
    payment_currency: &'static str,
    payment_group: &'static str,
    payment_status: &'a str,
    payment_message: &'a str,
    payment_time: String,
    payment_completion_time: String,
    bank_reference: String,
    auth_id: Option<String>,
    error_details: Option<Value>,
    payment_method: Value,
}

fn error_details(e: &[&'static str; 4]) -> Value {
    json!({"error_code": e[0], "error_description": e[1], "error_reason": e[2], "error_source": e[3]})
}

fn payment_out(p: &Payment) -> PaymentOut<'_> {
    PaymentOut {
        cf_payment_id: &p.cf_payment_id,
        order_id: &p.order_id,
        entity: "payment",
        is_captured: p.status == "SUCCESS",
        order_amount: DecimalAmount::from_money(p.amount),
        payment_amount: DecimalAmount::from_money(p.amount),
        payment_currency: p.amount.currency.code(),
        payment_group: "upi",
        payment_status: p.status,
        payment_message: p.message,
        payment_time: to_ist_iso(p.time),
        payment_completion_time: to_ist_iso(p.time),
        bank_reference: format!("{:012}", p.time),
        auth_id: None,
        error_details: p.error.as_ref().map(error_details),
        payment_method: json!({"upi": {"channel": "collect", "upi_id": "success@upi"}}),
    }
}

#[derive(Serialize)]
struct RefundOut<'a> {
    cf_payment_id: &'a str,
    cf_refund_id: &'a str,
    order_id: &'a str,
    refund_id: &'a str,
    entity: &'static str,
    refund_amount: DecimalAmount,
    refund_currency: &'static str,
    refund_note: Option<&'a str>,
    refund_status: &'a str,
    refund_arn: Option<String>,
    refund_charge: DecimalAmount,
    status_description: &'static str,
    metadata: Option<Value>,
    refund_splits: Vec<Value>,
    refund_type: &'static str,
    refund_mode: &'a str,
    created_at: String,
    processed_at: Option<String>,
    refund_speed: Value,
}

fn refund_out(r: &Refund) -> RefundOut<'_> {
    RefundOut {
        cf_payment_id: &r.cf_payment_id,
        cf_refund_id: &r.cf_refund_id,
        order_id: &r.order_id,
        refund_id: &r.refund_id,
        entity: "refund",
        refund_amount: DecimalAmount::from_money(r.amount),
        refund_currency: r.amount.currency.code(),
        refund_note: r.note.as_deref(),
        refund_status: r.status,
        refund_arn: (r.status == "SUCCESS").then(|| format!("ARN{}", r.cf_refund_id)),
        refund_charge: DecimalAmount::from_money(Money::zero(r.amount.currency)),
        status_description: match r.status {
            "SUCCESS" => "Refund processed successfully",
            "CANCELLED" => "Refund cancelled",
            _ => "In Progress",
        },
        metadata: None,
        refund_splits: Vec::new(),
        refund_type: "MERCHANT_INITIATED",
        refund_mode: &r.speed,
        created_at: to_ist_iso(r.created_at),
        processed_at: r.processed_at.map(to_ist_iso),
        refund_speed: json!({"requested": r.speed, "accepted": r.speed,
            "processed": r.processed_at.map(|_| r.speed.clone()), "message": null}),
    }
}

#[derive(Serialize)]
struct SettlementOut<'a> {
    cf_settlement_id: &'a str,
    entity: &'static str,
    settlement_currency: &'static str,
    settlement_amount: DecimalAmount,
    service_charge: DecimalAmount,
    service_tax: DecimalAmount,
    transfer_utr: &'a str,
    transfer_time: String,
    status: &'static str,
}

fn settlement_out<'a>(id: &'a str, s: &'a FakeSettlement) -> SettlementOut<'a> {
    SettlementOut {
        cf_settlement_id: id,
        entity: "settlement",
        settlement_currency: "INR",
        settlement_amount: DecimalAmount::from_money(Money::inr(s.amount_minor)),
        service_charge: DecimalAmount::from_money(Money::inr(s.fee_minor)),
        service_tax: DecimalAmount::from_money(Money::inr(s.tax_minor)),
        transfer_utr: &s.utr,
        transfer_time: to_ist_iso(s.created_at),
        status: "SETTLED",
    }
}

/// One event of `POST /pg/settlement/recon` (API 2023-08-01's flat shape).
/// Amounts are decimal rupees; `payment_service_charge` is the fee without
/// GST and `payment_service_tax` the GST on it.
#[derive(Serialize)]
struct ReconEventOut<'a> {
    event_id: &'a str,
    entity: &'static str,
    event_type: &'static str,
    sale_type: &'static str,
    event_time: String,
    event_settlement_amount: DecimalAmount,
    event_amount: DecimalAmount,
    event_status: &'static str,
    event_currency: &'static str,
    order_id: &'a str,
    customer_name: &'a Value,
    customer_phone: &'a Value,
    customer_email: &'a Value,
    cf_payment_id: &'a str,
    payment_amount: Option<DecimalAmount>,
    order_amount: Option<DecimalAmount>,
    payment_time: Option<String>,
    payment_service_charge: DecimalAmount,
    payment_service_tax: DecimalAmount,
    payment_utr: Option<String>,
    cf_settlement_id: &'a str,
    vendor_commission: DecimalAmount,
    split_service_charge: DecimalAmount,
    split_service_tax: DecimalAmount,
    settlement_utr: &'a str,
    settlement_date: String,
    refund_note: Option<&'a str>,
    refund_id: Option<&'a str>,
    refund_arn: Option<String>,
    refund_processed_at: Option<String>,
    payment_group: &'static str,
    /// Dispute, adjustment and settlement-event fields, null on payment and
    /// refund events.
    #[serde(flatten)]
    unused: Value,
}

fn recon_event_out<'a>(
    books: &'a Books,
    id: &'a str,
    s: &'a FakeSettlement,
    line: &'a FakeSettlementLine,
) -> ReconEventOut<'a> {
    let rupees = |minor: i64| DecimalAmount::from_money(Money::inr(minor));
    let payment = books
        .payments
        .iter()
        .find(|p| p.cf_payment_id == line.payment_id);
    let order = books.orders.get(&line.order_id);
    static NULL: Value = Value::Null;
    let customer = |field: &str| -> &'a Value { order.map_or(&NULL, |o| &o.customer[field]) };
    let refund = match line.kind {
        FakeLineKind::Refund => books
            .refunds
            .values()
            .find(|r| r.cf_refund_id == line.entity_id),
        FakeLineKind::Payment => None,
    };
    let (event_type, sale_type, settlement_amount, event_time) = match line.kind {
        FakeLineKind::Payment => (
            "PAYMENT",
            "CREDIT",
            line.amount_minor - line.fee_minor - line.tax_minor,
            payment.map(|p| p.time),
        ),
        FakeLineKind::Refund => (
            "REFUND",
            "DEBIT",
            line.amount_minor,
            refund.map(|r| r.processed_at.unwrap_or(r.created_at)),
        ),
    };
    ReconEventOut {
        event_id: &line.entity_id,
        entity: "recon",
        event_type,
        sale_type,
        event_time: to_ist_iso(event_time.unwrap_or(s.created_at)),
        event_settlement_amount: rupees(settlement_amount),
        event_amount: rupees(line.amount_minor),
        event_status: "SUCCESS",
        event_currency: "INR",
        order_id: &line.order_id,
        customer_name: customer("customer_name"),
        customer_phone: customer("customer_phone"),
        customer_email: customer("customer_email"),
        cf_payment_id: &line.payment_id,
        payment_amount: payment.map(|p| DecimalAmount::from_money(p.amount)),
        order_amount: order.map(|o| DecimalAmount::from_money(o.amount)),
        payment_time: payment.map(|p| to_ist_iso(p.time)),
        payment_service_charge: rupees(line.fee_minor),
        payment_service_tax: rupees(line.tax_minor),
        payment_utr: payment.map(|p| format!("{:012}", p.time)),
        cf_settlement_id: id,
        vendor_commission: rupees(0),
        split_service_charge: rupees(0),
        split_service_tax: rupees(0),
        settlement_utr: &s.utr,
        settlement_date: to_ist_iso(s.created_at),
        refund_note: refund.and_then(|r| r.note.as_deref()),
        refund_id: refund.map(|r| r.refund_id.as_str()),
        refund_arn: refund.map(|r| format!("ARN{}", r.cf_refund_id)),
        refund_processed_at: refund.and_then(|r| r.processed_at).map(to_ist_iso),
        payment_group: "UPI",
        unused: json!({"closed_in_favor_of": null, "resolved_on": null,
            "dispute_category": null, "dispute_note": null, "dispute_resolved_on": null,
            "adjustment_remarks": null, "adjustment": null, "service_tax": null,
            "service_charge": null, "amount_settled": null, "payment_from": null,
            "payment_till": null, "reason": null, "settlement_initiated_on": null,
            "settlement_settled_on": null, "settlement_type": null, "settlement_charge": null,
            "settlement_tax": null, "remarks": null}),
    }
}

#[derive(Deserialize)]
struct CustomerIn {
    customer_id: Option<String>,
    customer_phone: Option<String>,
    customer_email: Option<String>,
    customer_name: Option<String>,
}

#[derive(Deserialize)]
struct CreateOrderIn {
    order_id: Option<String>,
    order_amount: Option<DecimalAmount>,
    order_currency: Option<String>,
    customer_details: Option<CustomerIn>,
    order_note: Option<String>,
    order_tags: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct RefundIn {
    refund_amount: Option<DecimalAmount>,
    refund_id: Option<String>,
    refund_note: Option<String>,
    refund_speed: Option<String>,
}

#[derive(Deserialize)]
struct SettlementSearchIn {
    pagination: Option<PaginationIn>,
    filters: Option<FiltersIn>,
}

#[derive(Deserialize)]
struct PaginationIn {
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Deserialize)]
struct FiltersIn {
    start_date: Option<String>,
    end_date: Option<String>,
}

#[derive(Deserialize)]
struct ReconSearchIn {
    pagination: Option<PaginationIn>,
    filters: Option<ReconFiltersIn>,
}

#[derive(Deserialize)]
struct ReconFiltersIn {
    /// Numbers in Cashfree's examples; numeric strings are accepted too.
    cf_settlement_ids: Option<Vec<Value>>,
    settlement_utrs: Option<Vec<String>>,
    start_date: Option<String>,
    end_date: Option<String>,
}

/// `pagination` → (limit, offset): `limit` 1-1000 (default 10); the cursor
/// is the offset of the next item, as this fake hands it out.
fn page_window(pagination: Option<PaginationIn>) -> Result<(i64, usize), Response> {
    let pagination = pagination.ok_or_else(|| {
        invalid(
            "pagination : is missing in the request",
            "pagination_missing",
        )
    })?;
    let limit = pagination.limit.unwrap_or(10);
    if !(1..=1000).contains(&limit) {
        return Err(invalid(
            "pagination.limit : must be between 1 and 1000",
            "pagination_limit_invalid",
        ));
    }
    let offset: usize = match pagination.cursor.as_deref() {
        None | Some("") => 0,
        Some(cursor) => cursor.parse().map_err(|_| {
            invalid(
                "pagination.cursor : invalid value provided",
                "pagination_cursor_invalid",
            )
        })?,
    };
    Ok((limit, offset))
}

/// A `filters.start_date`/`end_date` value as unix seconds.
fn date_bound(value: Option<String>, name: &str) -> Result<Option<i64>, Response> {
    value
        .map(|v| {
            parse_iso(&v).ok_or_else(|| {
                invalid(&format!("filters.{name} : invalid date"), "filters_invalid")
            })
        })
        .transpose()
}

/// `{"cursor","limit","data"}`: the cursor is the next offset, or null at the end.
#[derive(Serialize)]
struct PageOut<T> {
    cursor: Option<String>,
    limit: i64,
    data: Vec<T>,
}

fn page_out<T>(all: usize, offset: usize, limit: i64, data: Vec<T>) -> PageOut<T> {
    let next = offset + data.len();
    PageOut {
        cursor: (next < all).then(|| next.to_string()),
        limit,
        data,
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

async fn create_order(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Reply {
    s.authorize(&headers)?;
    let key = idempotency_key(&headers);
    let print = fingerprint("/pg/orders", &raw);
    if let Some(reply) = replay(&lock(&s.books), key.as_deref(), &print) {
        return reply;
    }
    let body: CreateOrderIn = parse(&raw)?;
    let amount = body.order_amount.ok_or_else(|| {
        invalid(
            "order_amount : is missing in the request",
            "order_amount_missing",
        )
    })?;
    let currency_code = body.order_currency.ok_or_else(|| {
        invalid(
            "order_currency : is missing in the request",
            "order_currency_missing",
        )
    })?;
    let currency = Currency::parse(&currency_code).map_err(|_| {
        invalid(
            "order_currency : invalid value provided",
            "order_currency_invalid",
        )
    })?;
    let amount = amount.to_money(currency).map_err(|_| {
        invalid(
            "order_amount : invalid value provided, at most 2 decimal places",
            "order_amount_invalid",
        )
    })?;
    if amount.amount.minor() < 100 {
        return Err(invalid(
            "order_amount : invalid value provided, minimum value is 1",
            "order_amount_invalid",
        ));
    }
    let customer = body.customer_details.ok_or_else(|| {
        invalid(
            "customer_details : is missing in the request",
            "customer_details_missing",
        )
    })?;
    let customer_id = customer.customer_id.unwrap_or_default();
    if !valid_ref(&customer_id, 3, 50) {
        return Err(invalid(
            "customer_details.customer_id : invalid value provided",
            "customer_details.customer_id_invalid",
        ));
    }
    let phone = customer.customer_phone.unwrap_or_default();
    if phone.len() != 10 || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "customer_details.customer_phone : invalid value provided",
            "customer_details.customer_phone_invalid",
        ));
    }
    if let Some(note) = &body.order_note {
        if !(3..=200).contains(&note.chars().count()) {
            return Err(invalid(
                "order_note : invalid value provided",
                "order_note_invalid",
            ));
        }
    }
    let tags = body.order_tags.unwrap_or_default();
    if tags.len() > 10 {
        return Err(invalid(
            "order_tags : at most 10 tags",
            "order_tags_invalid",
        ));
    }
    let order_id = match body.order_id {
        Some(id) if valid_ref(&id, 3, 45) => id,
        Some(_) => {
            return Err(invalid(
                "order_id : invalid value provided",
                "order_id_invalid",
            ))
        }
        None => format!("order_{}", alphanumeric(20)),
    };
    let mut books = lock(&s.books);
    if books.orders.contains_key(&order_id) {
        return Err(error(
            409,
            "order with same order_id exists",
            "order_already_exists",
            "invalid_request_error",
        ));
    }
    let order = Order {
        order_id: order_id.clone(),
        cf_order_id: s.cf_id(),
        amount,
        status: "ACTIVE",
        session: format!("session_{}", alphanumeric(40)),
        customer: json!({"customer_id": customer_id, "customer_phone": phone,
            "customer_email": customer.customer_email, "customer_name": customer.customer_name,
            "customer_uid": null}),
        note: body.order_note,
        tags: if tags.is_empty() {
            Value::Null
        } else {
            json!(tags)
        },
        created_at: now_secs(),
    };
    let reply = answer(&mut books, key, print, &order_out(&order));
    books.orders.insert(order_id, order);
    reply
}

fn order_not_found() -> Response {
    error(
        404,
        "order not found",
        "order_not_found",
        "invalid_request_error",
    )
}

async fn get_order(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    ok(&order_out(
        books.orders.get(&order_id).ok_or_else(order_not_found)?,
    ))
}

async fn order_payments(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    books.orders.get(&order_id).ok_or_else(order_not_found)?;
    let payments: Vec<PaymentOut<'_>> = books
        .payments
        .iter()
        .filter(|p| p.order_id == order_id)
        .map(payment_out)
        .collect();
    ok(&payments)
}

async fn get_payment(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((order_id, cf_payment_id)): Path<(String, String)>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    books.orders.get(&order_id).ok_or_else(order_not_found)?;
    let payment = books
        .payments
        .iter()
        .find(|p| p.order_id == order_id && p.cf_payment_id == cf_payment_id)
        .ok_or_else(|| {
            error(
                404,
                "payment not found",
                "payment_not_found",
                "invalid_request_error",
            )
        })?;
    ok(&payment_out(payment))
}

async fn create_refund(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(order_id): Path<String>,
    raw: Bytes,
) -> Reply {
    s.authorize(&headers)?;
    let key = idempotency_key(&headers);
    let print = fingerprint(&format!("/pg/orders/{order_id}/refunds"), &raw);
    let mut books = lock(&s.books);
    if let Some(reply) = replay(&books, key.as_deref(), &print) {
        return reply;
    }
    let body: RefundIn = parse(&raw)?;
    let order = books.orders.get(&order_id).ok_or_else(order_not_found)?;
    let currency = order.amount.currency;
    let refund_id = body.refund_id.unwrap_or_default();
    if !valid_ref(&refund_id, 3, 40) {
        return Err(invalid(
            "refund_id : invalid value provided",
            "refund_id_invalid",
        ));
    }
    let amount = body
        .refund_amount
        .ok_or_else(|| {
            invalid(
                "refund_amount : is missing in the request",
                "refund_amount_missing",
            )
        })?
        .to_money(currency)
        .map_err(|_| {
            invalid(
                "refund_amount : invalid value provided, at most 2 decimal places",
                "refund_amount_invalid",
            )
        })?;
    if amount.amount.minor() <= 0 {
        return Err(invalid(
            "refund_amount : invalid value provided",
            "refund_amount_invalid",
        ));
    }
    if let Some(note) = &body.refund_note {
        if !(3..=100).contains(&note.chars().count()) {
            return Err(invalid(
                "refund_note : invalid value provided",
                "refund_note_invalid",
            ));
        }
    }
    let speed = match body.refund_speed.as_deref() {
        None => "STANDARD".to_string(),
        Some(s @ ("STANDARD" | "INSTANT")) => s.to_string(),
        Some(_) => {
            return Err(invalid(
                "refund_speed : invalid value provided",
                "refund_speed_invalid",
            ))
        }
    };
    if books
        .refunds
        .contains_key(&(order_id.clone(), refund_id.clone()))
    {
        return Err(error(
            409,
            "refund with the same refund_id exists",
            "refund_already_exists",
            "invalid_request_error",
        ));
    }
    let paid = books
        .payments
        .iter()
        .find(|p| p.order_id == order_id && p.status == "SUCCESS")
        .cloned()
        .ok_or_else(|| {
            invalid(
                "refund can be initiated only on paid orders",
                "order_not_paid",
            )
        })?;
    let refunded: i64 = books
        .refunds
        .values()
        .filter(|r| r.order_id == order_id && r.status != "CANCELLED")
        .map(|r| r.amount.amount.minor())
        .sum();
    if refunded + amount.amount.minor() > paid.amount.amount.minor() {
        return Err(invalid(
            "refund_amount : refund amount is greater than the refundable amount",
            "refund_amount_invalid",
        ));
    }
    let refund = Refund {
        cf_refund_id: s.cf_id(),
        refund_id: refund_id.clone(),
        order_id: order_id.clone(),
        cf_payment_id: paid.cf_payment_id,
        amount,
        note: body.refund_note,
        status: "PENDING",
        speed,
        created_at: now_secs(),
        processed_at: None,
    };
    let reply = answer(&mut books, key, print, &refund_out(&refund));
    books.refunds.insert((order_id, refund_id), refund);
    reply
}

async fn order_refunds(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    books.orders.get(&order_id).ok_or_else(order_not_found)?;
    let refunds: Vec<RefundOut<'_>> = books
        .refunds
        .values()
        .filter(|r| r.order_id == order_id)
        .map(refund_out)
        .collect();
    ok(&refunds)
}

async fn get_refund(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((order_id, refund_id)): Path<(String, String)>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    books.orders.get(&order_id).ok_or_else(order_not_found)?;
    let refund = books.refunds.get(&(order_id, refund_id)).ok_or_else(|| {
        error(
            404,
            "refund not found",
            "refund_not_found",
            "invalid_request_error",
        )
    })?;
    ok(&refund_out(refund))
}

async fn settlements(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Reply {
    s.authorize(&headers)?;
    let body: SettlementSearchIn = parse(&raw)?;
    let (limit, offset) = page_window(body.pagination)?;
    let filters = body
        .filters
        .ok_or_else(|| invalid("filters : is missing in the request", "filters_missing"))?;
    let start = date_bound(filters.start_date, "start_date")?.unwrap_or(i64::MIN);
    let end = date_bound(filters.end_date, "end_date")?.unwrap_or(i64::MAX);
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(_, st)| (start..=end).contains(&st.created_at))
        .collect();
    matching.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    let page: Vec<SettlementOut<'_>> = matching
        .iter()
        .skip(offset)
        .take(limit as usize)
        .map(|(id, st)| settlement_out(id, st))
        .collect();
    ok(&page_out(matching.len(), offset, limit, page))
}

/// `POST /pg/settlement/recon`: the events (lines) of the settlements matching
/// every filter given, at least one of `cf_settlement_ids`, `settlement_utrs`,
/// or `start_date` with `end_date`; paged by cursor.
async fn settlement_recon(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Reply {
    s.authorize(&headers)?;
    let body: ReconSearchIn = parse(&raw)?;
    let (limit, offset) = page_window(body.pagination)?;
    let filters = body
        .filters
        .ok_or_else(|| invalid("filters : is missing in the request", "filters_missing"))?;
    let ids = filters
        .cf_settlement_ids
        .unwrap_or_default()
        .into_iter()
        .map(|id| match id {
            Value::Number(n) if n.is_u64() => Ok(n.to_string()),
            Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(text)
            }
            _ => Err(invalid(
                "filters.cf_settlement_ids : invalid value provided",
                "filters_invalid",
            )),
        })
        .collect::<Result<HashSet<String>, Response>>()?;
    let utrs: HashSet<String> = filters
        .settlement_utrs
        .unwrap_or_default()
        .into_iter()
        .collect();
    let range = match (
        date_bound(filters.start_date, "start_date")?,
        date_bound(filters.end_date, "end_date")?,
    ) {
        (Some(start), Some(end)) => Some(start..=end),
        (None, None) => None,
        _ => {
            return Err(invalid(
                "filters : start_date and end_date go together",
                "filters_invalid",
            ))
        }
    };
    if ids.is_empty() && utrs.is_empty() && range.is_none() {
        return Err(invalid(
            "filters : specify cf_settlement_ids, settlement_utrs, or start_date and end_date",
            "filters_invalid",
        ));
    }
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(id, st)| {
            (ids.is_empty() || ids.contains(id))
                && (utrs.is_empty() || utrs.contains(&st.utr))
                && range.as_ref().is_none_or(|r| r.contains(&st.created_at))
        })
        .collect();
    matching.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    let lines: Vec<(&String, &FakeSettlement, &FakeSettlementLine)> = matching
        .into_iter()
        .flat_map(|(id, st)| st.lines.iter().map(move |line| (id, st, line)))
        .collect();
    let page: Vec<ReconEventOut<'_>> = lines
        .iter()
        .skip(offset)
        .take(limit as usize)
        .map(|(id, st, line)| recon_event_out(&books, id, st, line))
        .collect();
    ok(&page_out(lines.len(), offset, limit, page))
}

async fn unknown_url() -> Response {
    error(
        404,
        "requested URL was not found",
        "request_failed",
        "invalid_request_error",
    )
}

/// A webhook event to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CashfreeEvent {
    /// `PAYMENT_SUCCESS_WEBHOOK`, `PAYMENT_FAILED_WEBHOOK` or
    /// `PAYMENT_USER_DROPPED_WEBHOOK`, chosen by the payment's status.
    Payment {
        order_id: String,
        cf_payment_id: String,
    },
    /// `REFUND_STATUS_WEBHOOK` with the refund's current state.
    RefundStatus { order_id: String, refund_id: String },
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
        let router = axum::Router::new()
            .route("/pg/orders", post(create_order))
            .route("/pg/orders/{order_id}", get(get_order))
            .route("/pg/orders/{order_id}/payments", get(order_payments))
            .route(
                "/pg/orders/{order_id}/payments/{cf_payment_id}",
                get(get_payment),
            )
            .route(
                "/pg/orders/{order_id}/refunds",
                post(create_refund).get(order_refunds),
            )
            .route("/pg/orders/{order_id}/refunds/{refund_id}", get(get_refund))
            .route("/pg/settlements", post(settlements))
            .route("/pg/settlement/recon", post(settlement_recon))
            .fallback(unknown_url)
            .method_not_allowed_fallback(unknown_url)
            .layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                super::fault_layer::<Shared>,
            ))
            .with_state(shared.clone());
        let (address, task) = serve(router).await?;
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
        if order.status != "ACTIVE" {
            return Err(format!("order {order_id} is {}", order.status));
        }
        let (status, message, error) = match outcome {
            PayOutcome::Authorized | PayOutcome::Captured => {
                ("SUCCESS", "Transaction Successful", None)
            }
            PayOutcome::Pending => ("PENDING", "Transaction pending", None),
            PayOutcome::Failed => (
                "FAILED",
                "Transaction declined by the bank",
                Some([
                    "TRANSACTION_DECLINED",
                    "Transaction declined by the issuer bank",
                    "bank_declined",
                    "bank",
                ]),
            ),
            PayOutcome::UserDropped => (
                "USER_DROPPED",
                "User dropped and did not complete the two factor authentication",
                Some([
                    "USER_DROPPED",
                    "User dropped the payment",
                    "user_dropped",
                    "customer",
                ]),
            ),
        };
        if status == "SUCCESS" {
            order.status = "PAID";
        }
        let payment = Payment {
            cf_payment_id: self.shared.cf_id(),
            order_id: order_id.to_string(),
            amount: order.amount,
            status,
            message,
            error,
            time: now_secs(),
        };
        let id = payment.cf_payment_id.clone();
        books.payments.push(payment);
        Ok(id)
    }

    /// Moves a `PENDING` refund to `SUCCESS`, or to `CANCELLED` (which gives
    /// its amount back to the refundable balance).
    pub fn complete_refund(
        &self,
        order_id: &str,
        refund_id: &str,
        succeeded: bool,
    ) -> Result<(), String> {
        let mut books = lock(&self.shared.books);
        let refund = books
            .refunds
            .get_mut(&(order_id.to_string(), refund_id.to_string()))
            .ok_or_else(|| format!("no refund {refund_id} on order {order_id}"))?;
        refund.status = if succeeded { "SUCCESS" } else { "CANCELLED" };
        refund.processed_at = Some(now_secs());
        Ok(())
    }

    /// Adds a settlement (a numeric string `cf_settlement_id`) and returns its id.
    pub fn add_settlement(&self, settlement: FakeSettlement) -> String {
        let id = self.shared.cf_id();
        lock(&self.shared.books)
            .settlements
            .push((id.clone(), settlement));
        id
    }

    /// Settles, at `created_at` (unix seconds), every INR payment that is
    /// `SUCCESS` and every `SUCCESS` INR refund not in a settlement yet: one
    /// settlement (a numeric string `cf_settlement_id`, returned) with a
    /// random UTR. Payment lines carry [`fake_fee`]'s fee and GST, refund
    /// lines none; the settlement's amount is Σ payments − Σ fees − Σ GST −
    /// Σ refunds, and its `service_charge`/`service_tax` the sums. Nothing
    /// settles twice; `Err` when there is nothing to settle.
    pub fn settle(&self, created_at: i64) -> Result<String, String> {
        let mut books = lock(&self.shared.books);
        let mut lines = Vec::new();
        for p in &books.payments {
            if p.status == "SUCCESS"
                && p.amount.currency == Currency::INR
                && !books.settled.contains(&p.cf_payment_id)
            {
                let amount = p.amount.amount.minor();
                let (fee, tax) = fake_fee(amount);
                lines.push(FakeSettlementLine {
                    kind: FakeLineKind::Payment,
                    entity_id: p.cf_payment_id.clone(),
                    payment_id: p.cf_payment_id.clone(),
                    order_id: p.order_id.clone(),
                    amount_minor: amount,
                    fee_minor: fee,
                    tax_minor: tax,
                });
            }
        }
        for r in books.refunds.values() {
            if r.status == "SUCCESS"
                && r.amount.currency == Currency::INR
                && !books.settled.contains(&r.cf_refund_id)
            {
                lines.push(FakeSettlementLine {
                    kind: FakeLineKind::Refund,
                    entity_id: r.cf_refund_id.clone(),
                    payment_id: r.cf_payment_id.clone(),
                    order_id: r.order_id.clone(),
                    amount_minor: r.amount.amount.minor(),
                    fee_minor: 0,
                    tax_minor: 0,
                });
            }
        }
        if lines.is_empty() {
            return Err("nothing to settle: no unsettled SUCCESS payment or refund".into());
        }
        books
            .settled
            .extend(lines.iter().map(|l| l.entity_id.clone()));
        let id = self.shared.cf_id();
        let utr = format!("CF{}", alphanumeric(12).to_ascii_uppercase());
        books
            .settlements
            .push((id.clone(), FakeSettlement::of_lines(lines, utr, created_at)));
        Ok(id)
    }

    /// The signed webhook for `event` (body and lower-case headers), not sent.
    pub fn build_webhook(&self, event: &CashfreeEvent) -> Result<SignedWebhook, String> {
        #[derive(Serialize)]
        struct Envelope<'a, T> {
            data: T,
            event_time: String,
            #[serde(rename = "type")]
            kind: &'a str,
        }
        fn encode<T: Serialize>(kind: &str, data: T) -> Result<String, String> {
            serde_json::to_string(&Envelope {
                data,
                event_time: to_ist_iso(now_secs()),
                kind,
            })
            .map_err(|e| format!("cannot encode the webhook: {e}"))
        }
        let books = lock(&self.shared.books);
        let body = match event {
            CashfreeEvent::Payment { order_id, cf_payment_id } => {
                let order = books.orders.get(order_id).ok_or_else(|| format!("no order {order_id}"))?;
                let payment = books
                    .payments
                    .iter()
                    .find(|p| &p.order_id == order_id && &p.cf_payment_id == cf_payment_id)
                    .ok_or_else(|| format!("no payment {cf_payment_id}"))?;
                let kind = match payment.status {
                    "SUCCESS" => "PAYMENT_SUCCESS_WEBHOOK",
                    "USER_DROPPED" => "PAYMENT_USER_DROPPED_WEBHOOK",
                    _ => "PAYMENT_FAILED_WEBHOOK",
                };
                #[derive(Serialize)]
                struct OrderBlock<'a> {
                    order_id: &'a str,
                    order_amount: DecimalAmount,
                    order_currency: &'static str,
                    order_tags: &'a Value,
                }
                #[derive(Serialize)]
                struct Data<'a> {
                    order: OrderBlock<'a>,
                    payment: PaymentOut<'a>,
                    customer_details: &'a Value,
                    error_details: Option<Value>,
                    payment_gateway_details: Value,
                    payment_offers: Option<Value>,
                }
                let data = Data {
                    order: OrderBlock {
                        order_id,
                        order_amount: DecimalAmount::from_money(order.amount),
                        order_currency: order.amount.currency.code(),
                        order_tags: &order.tags,
                    },
                    payment: payment_out(payment),
                    customer_details: &order.customer,
                    error_details: payment.error.as_ref().map(error_details),
                    payment_gateway_details: json!({"gateway_name": "CASHFREE",
                        "gateway_order_id": order.cf_order_id, "gateway_payment_id": payment.cf_payment_id}),
                    payment_offers: None,
                };
                encode(kind, data)?
            }
            CashfreeEvent::RefundStatus { order_id, refund_id } => {
                let refund = books
                    .refunds
                    .get(&(order_id.clone(), refund_id.clone()))
                    .ok_or_else(|| format!("no refund {refund_id} on order {order_id}"))?;
                #[derive(Serialize)]
                struct Data<'a> {
                    refund: RefundOut<'a>,
                }
                encode("REFUND_STATUS_WEBHOOK", Data { refund: refund_out(refund) })?
            }
        }
        .into_bytes();
        drop(books);
        let timestamp = now_millis().to_string();
        let event_id = alphanumeric(32);
        let headers = vec![
            ("content-type".to_string(), "application/json".to_string()),
            (
                "x-webhook-signature".to_string(),
                webhook_signature(&self.shared.client_secret, &timestamp, &body),
            ),
            ("x-webhook-timestamp".to_string(), timestamp),
            (
                "x-webhook-version".to_string(),
                crate::cashfree::API_VERSION.to_string(),
            ),
            ("x-webhook-attempt".to_string(), "1".to_string()),
            ("x-idempotency-key".to_string(), event_id.clone()),
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
        event: CashfreeEvent,
    ) -> Result<SentWebhook, String> {
        let webhook = self.build_webhook(&event)?;
        post_webhook(target_url, webhook).await
    }
}
