//! The Razorpay adapter against the Razorpay fake, over real HTTP.
#![cfg(feature = "fakes")]

mod common;

use std::time::Duration;

use common::{order_request, receiver, refund_request};
use finvex_core::money::Money;
use finvex_core::payments::{
    PaymentProvider, ProviderErrorKind, ProviderPaymentStatus, ProviderRefundStatus,
    ProviderWebhookKind,
};
use finvex_providers::fakes::{FakeSettlement, Fault, PayOutcome, RazorpayEvent, RazorpayFake};
use finvex_providers::razorpay::{RazorpayConfig, RazorpayProvider};

fn adapter(fake: &RazorpayFake, timeout_ms: u64) -> RazorpayProvider {
    RazorpayProvider::new(RazorpayConfig {
        base_url: fake.base_url(),
        key_id: fake.key_id().into(),
        key_secret: fake.key_secret().into(),
        webhook_secret: fake.webhook_secret().into(),
        timeout_ms,
    })
    .unwrap()
}

#[tokio::test]
async fn order_pay_capture_refund_lifecycle() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    let request = order_request(49_900);
    let order = rzp.create_order(&request).await.unwrap();
    assert!(order.provider_order_id.starts_with("order_"));
    assert_eq!(order.provider_order_id.len(), "order_".len() + 14);
    assert_eq!(order.raw_status, "created");
    assert_eq!(order.checkout["key_id"], fake.key_id());
    assert_eq!(order.checkout["order_id"], order.provider_order_id.as_str());

    let (payment_id, signature) = fake
        .pay(&order.provider_order_id, PayOutcome::Authorized)
        .unwrap();
    assert!(payment_id.starts_with("pay_"));
    assert!(rzp
        .verify_checkout_signature(&order.provider_order_id, &payment_id, &signature)
        .unwrap());
    assert!(
        !rzp.verify_checkout_signature(
            &order.provider_order_id,
            &payment_id,
            &signature.replace('a', "b")
        )
        .unwrap()
            || !signature.contains('a')
    );

    let payments = rzp.order_payments(&order.provider_order_id).await.unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].status, ProviderPaymentStatus::Authorized);
    assert_eq!(payments[0].amount, Money::inr(49_900));

    // Capture must be for exactly the authorised amount.
    let wrong = rzp
        .capture(&order.provider_order_id, &payment_id, Money::inr(100))
        .await
        .unwrap_err();
    assert_eq!(wrong.kind, ProviderErrorKind::InvalidRequest);
    assert_eq!(wrong.provider_code.as_deref(), Some("BAD_REQUEST_ERROR"));
    let captured = rzp
        .capture(&order.provider_order_id, &payment_id, Money::inr(49_900))
        .await
        .unwrap();
    assert_eq!(captured.status, ProviderPaymentStatus::Captured);
    assert_eq!(
        captured.fee_minor.unwrap() + captured.tax_minor.unwrap(),
        998
    );
    let fetched = rzp
        .fetch_payment(&order.provider_order_id, &payment_id)
        .await
        .unwrap();
    assert_eq!(fetched.status, ProviderPaymentStatus::Captured);

    let first = refund_request(&order.provider_order_id, &payment_id, 20_000);
    let refund = rzp.refund(&first).await.unwrap();
    assert!(refund.provider_refund_id.starts_with("rfnd_"));
    assert_eq!(refund.amount, Money::inr(20_000));
    assert_eq!(refund.status, ProviderRefundStatus::Processed);
    // Same idempotency key and body: the same refund, not a second one.
    let again = rzp.refund(&first).await.unwrap();
    assert_eq!(again.provider_refund_id, refund.provider_refund_id);
    // Same key, different body: refused.
    let mut changed = first.clone();
    changed.amount = Money::inr(10_000);
    let error = rzp.refund(&changed).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
    let requests = fake.requests();
    let refund_posts: Vec<_> = requests
        .iter()
        .filter(|r| r.path.ends_with("/refund"))
        .collect();
    assert!(refund_posts
        .iter()
        .all(|r| r.idempotency_key.as_deref() == Some(first.idempotency_key.as_str())));

    let fetched = rzp
        .fetch_refund(&order.provider_order_id, &refund.provider_refund_id)
        .await
        .unwrap();
    assert_eq!(fetched, refund);

    // 499.00 - 200.00 = 299.00 left; 300.00 is too much.
    let beyond = refund_request(&order.provider_order_id, &payment_id, 30_000);
    let error = rzp.refund(&beyond).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
    assert_eq!(error.http_status, Some(400));
    let rest = refund_request(&order.provider_order_id, &payment_id, 29_900);
    assert_eq!(rzp.refund(&rest).await.unwrap().amount, Money::inr(29_900));
    let payment = rzp
        .fetch_payment(&order.provider_order_id, &payment_id)
        .await
        .unwrap();
    assert_eq!(payment.raw_status, "refunded");
    assert_eq!(payment.status, ProviderPaymentStatus::Captured);
}

#[tokio::test]
async fn validation_and_unknown_ids() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    let error = rzp.create_order(&order_request(99)).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
    assert_eq!(error.provider_code.as_deref(), Some("BAD_REQUEST_ERROR"));
    assert!(error.message.contains("field amount"), "{}", error.message);
    let error = rzp
        .fetch_refund("order_x", "rfnd_DoesNotExist00")
        .await
        .unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::NotFound);
}

#[tokio::test]
async fn wrong_credentials_are_authentication_errors() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = RazorpayProvider::new(RazorpayConfig {
        key_secret: "wrong".into(),
        ..adapter(&fake, 5_000).config().clone()
    })
    .unwrap();
    let error = rzp.create_order(&order_request(10_000)).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::Authentication);
    assert_eq!(error.http_status, Some(401));
    assert_eq!(error.message, "Authentication failed");
}

#[tokio::test]
async fn server_errors_are_unavailable_and_not_retried_for_money() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    fake.set_fault(Fault::ServerError(503));
    let error = rzp.create_order(&order_request(10_000)).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::Unavailable);
    assert_eq!(error.http_status, Some(503));
    assert_eq!(error.provider_code.as_deref(), Some("SERVER_ERROR"));
    assert!(error.certainly_not_applied());
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        1
    );
    // Reads are retried twice, then give up.
    let error = rzp.order_payments("order_x").await.unwrap_err();
    assert_eq!(error.http_status, Some(503));
    assert_eq!(
        fake.requests().iter().filter(|r| r.method == "GET").count(),
        3
    );
    // A read recovers when the fault clears between retries.
    fake.set_fault(Fault::None);
    let order = rzp.create_order(&order_request(10_000)).await.unwrap();
    assert!(rzp
        .order_payments(&order.provider_order_id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn timeouts_and_connection_failures() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 200);
    fake.set_fault(Fault::Timeout(Duration::from_millis(1_500)));
    let error = rzp.create_order(&order_request(10_000)).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::Timeout);
    assert_eq!(error.http_status, None);
    assert!(!error.certainly_not_applied());
    // Slow but within the timeout is fine.
    fake.set_fault(Fault::SlowMs(50));
    assert!(rzp.create_order(&order_request(10_000)).await.is_ok());

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let offline = RazorpayProvider::new(RazorpayConfig {
        base_url: format!("http://{address}"),
        ..rzp.config().clone()
    })
    .unwrap();
    let error = offline
        .create_order(&order_request(10_000))
        .await
        .unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::Unavailable);
    assert_eq!(error.http_status, None);
    assert!(error.certainly_not_applied());
}

#[tokio::test]
async fn declines_fail_the_payment() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    let order = rzp.create_order(&order_request(10_000)).await.unwrap();
    fake.set_fault(Fault::Decline);
    let (payment_id, _) = fake
        .pay(&order.provider_order_id, PayOutcome::Authorized)
        .unwrap();
    fake.set_fault(Fault::None);
    let payment = rzp
        .fetch_payment(&order.provider_order_id, &payment_id)
        .await
        .unwrap();
    assert_eq!(payment.status, ProviderPaymentStatus::Failed);
    assert_eq!(payment.error_code.as_deref(), Some("BAD_REQUEST_ERROR"));
    let error = rzp
        .capture(&order.provider_order_id, &payment_id, Money::inr(10_000))
        .await
        .unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
}

#[tokio::test]
async fn webhooks_verify_and_tampering_is_rejected() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    let (url, received) = receiver().await;
    let order = rzp.create_order(&order_request(25_000)).await.unwrap();
    let (payment_id, _) = fake
        .pay(&order.provider_order_id, PayOutcome::Captured)
        .unwrap();

    let sent = fake
        .send_webhook(&url, RazorpayEvent::PaymentCaptured(payment_id.clone()))
        .await
        .unwrap();
    assert_eq!(sent.status, 200);
    let (headers, body) = received.lock().unwrap()[0].clone();
    let hook = rzp.parse_webhook(&headers, &body).unwrap();
    assert_eq!(hook.kind, ProviderWebhookKind::PaymentCaptured);
    assert_eq!(hook.event_id, sent.event_id);
    let payment = hook.payment.unwrap();
    assert_eq!(payment.provider_payment_id, payment_id);
    assert_eq!(payment.provider_order_id, order.provider_order_id);
    assert_eq!(payment.amount, Money::inr(25_000));

    let paid = fake
        .build_webhook(&RazorpayEvent::OrderPaid(payment_id.clone()))
        .unwrap();
    assert_eq!(
        rzp.parse_webhook(&paid.headers, &paid.body).unwrap().kind,
        ProviderWebhookKind::OrderPaid
    );

    let refund = rzp
        .refund(&refund_request(
            &order.provider_order_id,
            &payment_id,
            5_000,
        ))
        .await
        .unwrap();
    let hook = fake
        .build_webhook(&RazorpayEvent::RefundProcessed(
            refund.provider_refund_id.clone(),
        ))
        .unwrap();
    let parsed = rzp.parse_webhook(&hook.headers, &hook.body).unwrap();
    assert_eq!(parsed.kind, ProviderWebhookKind::RefundProcessed);
    assert_eq!(parsed.refund.unwrap().amount, Money::inr(5_000));

    // Tampered body.
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("25000", "2500000");
    let error = rzp
        .parse_webhook(&headers, tampered.as_bytes())
        .unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidSignature);
    // The same body replayed with another secret's signature.
    let forged = finvex_providers::razorpay::transformers::webhook_signature("attacker", &body);
    let replayed: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                if n == "x-razorpay-signature" {
                    forged.clone()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let error = rzp.parse_webhook(&replayed, &body).unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidSignature);
}

#[tokio::test]
async fn settlements_are_paged_and_filtered() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    for i in 0..230 {
        fake.add_settlement(FakeSettlement {
            amount_minor: 100_000 + i,
            fee_minor: 2_000,
            tax_minor: 360,
            utr: format!("UTR{i:08}"),
            created_at: 1_700_000_000 + i * 60,
        });
    }
    fake.add_settlement(FakeSettlement {
        amount_minor: 1,
        fee_minor: 0,
        tax_minor: 0,
        utr: "OUTSIDE".into(),
        created_at: 1_600_000_000,
    });
    let list = rzp
        .list_settlements(1_700_000_000, 1_800_000_000)
        .await
        .unwrap();
    assert_eq!(list.len(), 230);
    assert!(list
        .iter()
        .all(|s| s.provider_settlement_id.starts_with("setl_")));
    assert!(list
        .iter()
        .all(|s| s.fees_minor == 2_000 && s.tax_minor == 360));
    let total: i64 = list.iter().map(|s| s.amount.amount.minor()).sum();
    assert_eq!(total, (0..230).map(|i| 100_000 + i).sum::<i64>());
    let gets = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/settlements")
        .count();
    assert_eq!(gets, 3);
}
