//! Payments: `GET /v1/payments/{id}`, `POST /v1/payments/{id}/capture`, and
//! the customer paying an order ([`super::RazorpayFake::pay`]).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use serde_json::{json, Value};

use super::{
    bad_request, id, integer_amount, no_such_id, ok, parse_object, Books, Payment, Reply, Shared,
};
use crate::fakes::{fake_fee, lock, Fault, PayOutcome};
use crate::http::now_secs;
use crate::razorpay::transformers::checkout_signature;

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/v1/payments/{id}", get(get_payment))
        .route("/v1/payments/{id}/capture", post(capture))
}

pub(super) fn payment_json(p: &Payment) -> Value {
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

/// The payment status `pay` records for `outcome`, and the error fields
/// (code, description, source, step, reason) of a failed one.
fn outcome_status(outcome: PayOutcome) -> (&'static str, Option<[&'static str; 5]>) {
    match outcome {
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
    }
}

/// [`super::RazorpayFake::pay`]: records a payment of the whole order with
/// `outcome` (a decline under [`Fault::Decline`]) and returns its id and the
/// checkout signature.
pub(super) fn pay(
    shared: &Shared,
    order_id: &str,
    outcome: PayOutcome,
) -> Result<(String, String), String> {
    let outcome = if shared.core.fault() == Fault::Decline {
        PayOutcome::Failed
    } else {
        outcome
    };
    let mut books = lock(&shared.books);
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
    let (status, error) = outcome_status(outcome);
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
    let signature = checkout_signature(&shared.key_secret, order_id, &payment.id);
    let payment_id = payment.id.clone();
    books.payments.insert(payment_id.clone(), payment);
    Ok((payment_id, signature))
}
