//! Refunds: `POST /pg/orders/{order_id}/refunds` (with `x-idempotency-key`),
//! `GET /pg/orders/{order_id}/refunds`,
//! `GET /pg/orders/{order_id}/refunds/{refund_id}`, and a refund completing
//! ([`super::CashfreeFake::complete_refund`]).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use finvex_core::calendar::rfc3339_in_india as to_ist_iso;
use finvex_core::money::{Currency, Money};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    answer, error, idempotency_key, invalid, ok, order_not_found, parse, replay, valid_ref, Books,
    Refund, Reply, Shared,
};
use crate::fakes::{fingerprint, lock};
use crate::http::now_secs;
use crate::money::DecimalAmount;

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route(
            "/pg/orders/{order_id}/refunds",
            post(create_refund).get(order_refunds),
        )
        .route("/pg/orders/{order_id}/refunds/{refund_id}", get(get_refund))
}

#[derive(Serialize)]
pub(super) struct RefundOut<'a> {
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

pub(super) fn refund_out(r: &Refund) -> RefundOut<'_> {
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

#[derive(Deserialize)]
struct RefundIn {
    refund_amount: Option<DecimalAmount>,
    refund_id: Option<String>,
    refund_note: Option<String>,
    refund_speed: Option<String>,
}

/// A refund request's fields, checked.
struct RefundAsked {
    refund_id: String,
    amount: Money,
    note: Option<String>,
    speed: String,
}

/// `body` checked as Cashfree checks it: a 3-40 character `refund_id`, a
/// positive `refund_amount` in the order's `currency` with at most 2
/// decimal places, a 3-100 character note, and `STANDARD` (the default) or
/// `INSTANT` speed.
fn refund_asked(body: RefundIn, currency: Currency) -> Result<RefundAsked, Response> {
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
    Ok(RefundAsked {
        refund_id,
        amount,
        note: body.refund_note,
        speed,
    })
}

/// The `cf_payment_id` of the order's successful payment, if `amount` more
/// fits in what has not been refunded (cancelled refunds give theirs back).
fn refundable_payment(books: &Books, order_id: &str, amount: Money) -> Result<String, Response> {
    let paid = books
        .payments
        .iter()
        .find(|p| p.order_id == order_id && p.status == "SUCCESS")
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
    Ok(paid.cf_payment_id.clone())
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
    let RefundAsked {
        refund_id,
        amount,
        note,
        speed,
    } = refund_asked(body, order.amount.currency)?;
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
    let cf_payment_id = refundable_payment(&books, &order_id, amount)?;
    let refund = Refund {
        cf_refund_id: s.cf_id(),
        refund_id: refund_id.clone(),
        order_id: order_id.clone(),
        cf_payment_id,
        amount,
        note,
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

/// [`super::CashfreeFake::complete_refund`]: moves the refund to `SUCCESS`
/// or `CANCELLED`, stamping when.
pub(super) fn complete(
    shared: &Shared,
    order_id: &str,
    refund_id: &str,
    succeeded: bool,
) -> Result<(), String> {
    let mut books = lock(&shared.books);
    let refund = books
        .refunds
        .get_mut(&(order_id.to_string(), refund_id.to_string()))
        .ok_or_else(|| format!("no refund {refund_id} on order {order_id}"))?;
    refund.status = if succeeded { "SUCCESS" } else { "CANCELLED" };
    refund.processed_at = Some(now_secs());
    Ok(())
}
