//! Orders: `POST/GET /v1/orders`, `GET /v1/orders/{id}` and the payments of
//! an order, `GET /v1/orders/{id}/payments`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use serde_json::{json, Value};

use super::payments::payment_json;
use super::{
    bad_request, collection, id, integer_amount, no_such_id, notes, ok, page, parse_object,
    query_number, Order, Payment, Reply, Shared,
};
use crate::fakes::lock;
use crate::http::now_secs;

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/v1/orders", post(create_order).get(list_orders))
        .route("/v1/orders/{id}", get(get_order))
        .route("/v1/orders/{id}/payments", get(order_payments))
}

pub(super) fn order_json(o: &Order) -> Value {
    json!({"id": o.id, "entity": "order", "amount": o.amount, "amount_paid": o.amount_paid,
        "amount_due": o.amount - o.amount_paid, "currency": o.currency, "receipt": o.receipt,
        "offer_id": null, "status": o.status, "attempts": o.attempts, "notes": o.notes,
        "created_at": o.created_at})
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
