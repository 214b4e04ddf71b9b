//! Refunds: `POST /v1/payments/{id}/refund` (with `X-Refund-Idempotency`),
//! `GET /v1/payments/{id}/refunds`, `GET /v1/refunds/{id}`, and a refund
//! completing ([`super::RazorpayFake::complete_refund`]).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{json, Map, Value};

use super::{
    bad_request, collection, id, integer_amount, no_such_id, notes, ok, parse_object, Books,
    Payment, Refund, Reply, Shared,
};
use crate::fakes::{fingerprint, lock};
use crate::http::now_secs;

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/v1/payments/{id}/refund", post(refund))
        .route("/v1/payments/{id}/refunds", get(payment_refunds))
        .route("/v1/refunds/{id}", get(get_refund))
}

pub(super) fn refund_json(r: &Refund) -> Value {
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

/// The `X-Refund-Idempotency` key, if given; it must be at least 10 letters,
/// digits, `-` or `_`.
fn refund_key(headers: &HeaderMap) -> Result<Option<String>, Response> {
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
    Ok(key)
}

/// For a key already used on this payment: the refund it made when the body
/// is the same (`print`), a refusal when it is not. `None` for a new key.
fn replay(books: &Books, payment_id: &str, key: Option<&String>, print: &str) -> Option<Reply> {
    let (seen, refund_id) = books
        .refund_keys
        .get(&(payment_id.to_string(), key?.clone()))?;
    Some(if seen.as_str() != print {
        Err(bad_request(
            "Different request body sent for the same idempotency header",
            Some("X-Refund-Idempotency"),
        ))
    } else {
        ok(refund_json(&books.refunds[refund_id]))
    })
}

/// The refund of `payment` that `body` asks for (by default, all that is
/// left), or Razorpay's refusal: the payment must be captured and the amount
/// at least ₹1 and at most what is left to refund.
fn new_refund(payment: &Payment, body: &Map<String, Value>) -> Result<Refund, Response> {
    if !matches!(payment.status, "captured" | "refunded") {
        return Err(bad_request("The payment has not been captured", None));
    }
    let remaining = payment.amount - payment.amount_refunded;
    let amount = integer_amount(body)?.unwrap_or(remaining);
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
    Ok(Refund {
        id: id("rfnd_"),
        payment_id: payment.id.clone(),
        amount,
        currency: payment.currency.clone(),
        status: "processed",
        speed_requested: speed,
        notes: notes(body)?,
        receipt: body
            .get("receipt")
            .and_then(Value::as_str)
            .map(str::to_string),
        created_at: now_secs(),
    })
}

async fn refund(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(payment_id): Path<String>,
    raw: Bytes,
) -> Reply {
    s.authorize(&headers)?;
    let body = parse_object(&raw)?;
    let key = refund_key(&headers)?;
    let print = fingerprint(&format!("/v1/payments/{payment_id}/refund"), &raw);
    let mut books = lock(&s.books);
    if let Some(reply) = replay(&books, &payment_id, key.as_ref(), &print) {
        return reply;
    }
    let payment = books.payments.get_mut(&payment_id).ok_or_else(no_such_id)?;
    let refund = new_refund(payment, &body)?;
    payment.amount_refunded += refund.amount;
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

/// [`super::RazorpayFake::complete_refund`]: moves a refund to `processed`
/// or `failed`, a failed one giving its amount back to the payment.
pub(super) fn complete(shared: &Shared, refund_id: &str, succeeded: bool) -> Result<(), String> {
    let mut books = lock(&shared.books);
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
