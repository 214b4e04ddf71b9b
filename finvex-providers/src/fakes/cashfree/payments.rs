//! Payments: `GET /pg/orders/{order_id}/payments`,
//! `GET /pg/orders/{order_id}/payments/{cf_payment_id}`, and the customer
//! paying an order ([`super::CashfreeFake::pay`]).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use finvex_core::calendar::rfc3339_in_india as to_ist_iso;
use serde::Serialize;
use serde_json::{json, Value};

use super::{error, ok, order_not_found, Payment, Reply, Shared};
use crate::fakes::{lock, Fault, PayOutcome};
use crate::http::now_secs;
use crate::money::DecimalAmount;

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/pg/orders/{order_id}/payments", get(order_payments))
        .route(
            "/pg/orders/{order_id}/payments/{cf_payment_id}",
            get(get_payment),
        )
}

#[derive(Serialize)]
pub(super) struct PaymentOut<'a> {
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

pub(super) fn error_details(e: &[&'static str; 4]) -> Value {
    json!({"error_code": e[0], "error_description": e[1], "error_reason": e[2], "error_source": e[3]})
}

pub(super) fn payment_out(p: &Payment) -> PaymentOut<'_> {
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

/// [`super::CashfreeFake::pay`]: records a payment of the whole `ACTIVE`
/// order with `outcome` (a decline under [`Fault::Decline`]) and returns its
/// `cf_payment_id`.
pub(super) fn pay(shared: &Shared, order_id: &str, outcome: PayOutcome) -> Result<String, String> {
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
        cf_payment_id: shared.cf_id(),
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
