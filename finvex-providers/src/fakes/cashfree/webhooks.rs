//! Webhooks the fake signs and sends: [`CashfreeEvent`] and its body
//! (`{"data","event_time","type"}`) and `x-webhook-*` headers. No routes:
//! Cashfree sends webhooks, it does not take them.

use finvex_core::calendar::rfc3339_in_india as to_ist_iso;
use serde::Serialize;
use serde_json::{json, Value};

use super::payments::{error_details, payment_out, PaymentOut};
use super::refunds::{refund_out, RefundOut};
use super::{Books, Shared};
use crate::cashfree::transformers::webhook_signature;
use crate::fakes::{alphanumeric, lock, now_millis, SignedWebhook};
use crate::http::now_secs;
use crate::money::DecimalAmount;

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

#[derive(Serialize)]
struct Envelope<'a, T> {
    data: T,
    event_time: String,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// The webhook body: `data` in the envelope, stamped now.
fn encode<T: Serialize>(kind: &str, data: T) -> Result<String, String> {
    serde_json::to_string(&Envelope {
        data,
        event_time: to_ist_iso(now_secs()),
        kind,
    })
    .map_err(|e| format!("cannot encode the webhook: {e}"))
}

#[derive(Serialize)]
struct OrderBlock<'a> {
    order_id: &'a str,
    order_amount: DecimalAmount,
    order_currency: &'static str,
    order_tags: &'a Value,
}

#[derive(Serialize)]
struct PaymentData<'a> {
    order: OrderBlock<'a>,
    payment: PaymentOut<'a>,
    customer_details: &'a Value,
    error_details: Option<Value>,
    payment_gateway_details: Value,
    payment_offers: Option<Value>,
}

#[derive(Serialize)]
struct RefundData<'a> {
    refund: RefundOut<'a>,
}

/// The body of a payment webhook, its type chosen by the payment's status.
fn payment_body(books: &Books, order_id: &str, cf_payment_id: &str) -> Result<String, String> {
    let order = books
        .orders
        .get(order_id)
        .ok_or_else(|| format!("no order {order_id}"))?;
    let payment = books
        .payments
        .iter()
        .find(|p| p.order_id == order_id && p.cf_payment_id == cf_payment_id)
        .ok_or_else(|| format!("no payment {cf_payment_id}"))?;
    let kind = match payment.status {
        "SUCCESS" => "PAYMENT_SUCCESS_WEBHOOK",
        "USER_DROPPED" => "PAYMENT_USER_DROPPED_WEBHOOK",
        _ => "PAYMENT_FAILED_WEBHOOK",
    };
    let data = PaymentData {
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
    encode(kind, data)
}

/// The body of a `REFUND_STATUS_WEBHOOK`.
fn refund_body(books: &Books, order_id: &str, refund_id: &str) -> Result<String, String> {
    let refund = books
        .refunds
        .get(&(order_id.to_string(), refund_id.to_string()))
        .ok_or_else(|| format!("no refund {refund_id} on order {order_id}"))?;
    encode(
        "REFUND_STATUS_WEBHOOK",
        RefundData {
            refund: refund_out(refund),
        },
    )
}

/// [`super::CashfreeFake::build_webhook`]: the event's body, signed with the
/// client secret over the timestamp and body.
pub(super) fn build(shared: &Shared, event: &CashfreeEvent) -> Result<SignedWebhook, String> {
    let books = lock(&shared.books);
    let body = match event {
        CashfreeEvent::Payment {
            order_id,
            cf_payment_id,
        } => payment_body(&books, order_id, cf_payment_id)?,
        CashfreeEvent::RefundStatus {
            order_id,
            refund_id,
        } => refund_body(&books, order_id, refund_id)?,
    }
    .into_bytes();
    drop(books);
    let timestamp = now_millis().to_string();
    let event_id = alphanumeric(32);
    let headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        (
            "x-webhook-signature".to_string(),
            webhook_signature(&shared.client_secret, &timestamp, &body),
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
