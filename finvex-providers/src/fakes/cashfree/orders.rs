//! Orders: `POST /pg/orders` (with `x-idempotency-key`) and
//! `GET /pg/orders/{order_id}`.

use std::collections::BTreeMap;
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
    answer, error, idempotency_key, invalid, ok, order_not_found, parse, replay, valid_ref, Order,
    Reply, Shared,
};
use crate::fakes::{alphanumeric, fingerprint, lock};
use crate::http::now_secs;
use crate::money::DecimalAmount;

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/pg/orders", post(create_order))
        .route("/pg/orders/{order_id}", get(get_order))
}

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

/// `order_amount` in `order_currency`: both required, the currency one
/// Cashfree knows, the amount at least 1 with at most 2 decimal places.
fn order_amount(
    amount: Option<DecimalAmount>,
    currency: Option<String>,
) -> Result<Money, Response> {
    let amount = amount.ok_or_else(|| {
        invalid(
            "order_amount : is missing in the request",
            "order_amount_missing",
        )
    })?;
    let currency_code = currency.ok_or_else(|| {
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
    Ok(amount)
}

/// `customer_details` as the order keeps it: required, with a 3-50 character
/// `customer_id` and a 10-digit `customer_phone`.
fn customer_details(customer: Option<CustomerIn>) -> Result<Value, Response> {
    let customer = customer.ok_or_else(|| {
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
    Ok(json!({"customer_id": customer_id, "customer_phone": phone,
        "customer_email": customer.customer_email, "customer_name": customer.customer_name,
        "customer_uid": null}))
}

/// `order_tags` as the order keeps them: at most 10, null when there are none.
fn order_tags(tags: Option<BTreeMap<String, String>>) -> Result<Value, Response> {
    let tags = tags.unwrap_or_default();
    if tags.len() > 10 {
        return Err(invalid(
            "order_tags : at most 10 tags",
            "order_tags_invalid",
        ));
    }
    Ok(if tags.is_empty() {
        Value::Null
    } else {
        json!(tags)
    })
}

/// The merchant's `order_id` (3-45 letters, digits, `_` or `-`), or a new
/// `order_…` when none is given.
fn new_order_id(order_id: Option<String>) -> Result<String, Response> {
    match order_id {
        Some(id) if valid_ref(&id, 3, 45) => Ok(id),
        Some(_) => Err(invalid(
            "order_id : invalid value provided",
            "order_id_invalid",
        )),
        None => Ok(format!("order_{}", alphanumeric(20))),
    }
}

async fn create_order(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Reply {
    s.authorize(&headers)?;
    let key = idempotency_key(&headers);
    let print = fingerprint("/pg/orders", &raw);
    if let Some(reply) = replay(&lock(&s.books), key.as_deref(), &print) {
        return reply;
    }
    let body: CreateOrderIn = parse(&raw)?;
    let amount = order_amount(body.order_amount, body.order_currency)?;
    let customer = customer_details(body.customer_details)?;
    if let Some(note) = &body.order_note {
        if !(3..=200).contains(&note.chars().count()) {
            return Err(invalid(
                "order_note : invalid value provided",
                "order_note_invalid",
            ));
        }
    }
    let tags = order_tags(body.order_tags)?;
    let order_id = new_order_id(body.order_id)?;
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
        customer,
        note: body.order_note,
        tags,
        created_at: now_secs(),
    };
    let reply = answer(&mut books, key, print, &order_out(&order));
    books.orders.insert(order_id, order);
    reply
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
