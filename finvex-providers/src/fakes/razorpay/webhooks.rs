//! Webhooks the fake signs and sends: [`RazorpayEvent`] and its body
//! (`{"entity":"event",…}`) and `X-Razorpay-Signature` headers. No routes:
//! Razorpay sends webhooks, it does not take them.

use serde_json::{json, Value};

use super::orders::order_json;
use super::payments::payment_json;
use super::refunds::refund_json;
use super::{Books, Shared};
use crate::fakes::{alphanumeric, lock, SignedWebhook};
use crate::http::now_secs;
use crate::razorpay::transformers::webhook_signature;

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

/// The event's name and its `payload`: the entities it is about, each as
/// `{"entity": …}` in the API's shape.
fn payload(books: &Books, event: &RazorpayEvent) -> Result<(&'static str, Value), String> {
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
    Ok(match event {
        RazorpayEvent::PaymentAuthorized(id) => {
            ("payment.authorized", json!({"payment": payment(id)?}))
        }
        RazorpayEvent::PaymentCaptured(id) => {
            ("payment.captured", json!({"payment": payment(id)?}))
        }
        RazorpayEvent::PaymentFailed(id) => ("payment.failed", json!({"payment": payment(id)?})),
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
    })
}

/// [`super::RazorpayFake::build_webhook`]: the event's body, signed with the
/// webhook secret.
pub(super) fn build(shared: &Shared, event: &RazorpayEvent) -> Result<SignedWebhook, String> {
    let books = lock(&shared.books);
    let (name, payload) = payload(&books, event)?;
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
            webhook_signature(&shared.webhook_secret, &body),
        ),
        ("x-razorpay-event-id".to_string(), event_id.clone()),
    ];
    Ok(SignedWebhook {
        event_id,
        headers,
        body,
    })
}
