//! The Cashfree adapter against the Cashfree fake, over real HTTP.
#![cfg(feature = "fakes")]

mod common;

use std::time::Duration;

use common::{order_request, receiver, refund_request};
use finvex_core::money::Money;
use finvex_core::payments::{
    PaymentProvider, ProviderErrorKind, ProviderPaymentStatus, ProviderRefundStatus,
    ProviderWebhookKind,
};
use finvex_providers::cashfree::{CashfreeConfig, CashfreeProvider, API_VERSION};
use finvex_providers::fakes::{CashfreeEvent, CashfreeFake, FakeSettlement, Fault, PayOutcome};

fn adapter(fake: &CashfreeFake, timeout_ms: u64) -> CashfreeProvider {
    CashfreeProvider::new(CashfreeConfig {
        base_url: fake.base_url(),
        client_id: fake.client_id().into(),
        client_secret: fake.client_secret().into(),
        api_version: API_VERSION.into(),
        timeout_ms,
    })
    .unwrap()
}

#[tokio::test]
async fn order_pay_refund_lifecycle() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 5_000);
    let request = order_request(49_950);
    let order = cf.create_order(&request).await.unwrap();
    assert_eq!(order.provider_order_id, request.order_id.as_str());
    assert_eq!(order.raw_status, "ACTIVE");
    assert!(order.checkout["payment_session_id"]
        .as_str()
        .unwrap()
        .starts_with("session_"));
    let logged = fake.requests();
    assert_eq!(
        logged[0].idempotency_key.as_deref(),
        Some(request.idempotency_key.as_str())
    );
    // The same idempotency key and body replays the order.
    let again = cf.create_order(&request).await.unwrap();
    assert_eq!(again.checkout, order.checkout);

    let cf_payment_id = fake
        .pay(&order.provider_order_id, PayOutcome::Captured)
        .unwrap();
    let payments = cf.order_payments(&order.provider_order_id).await.unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].provider_payment_id, cf_payment_id);
    assert_eq!(payments[0].status, ProviderPaymentStatus::Captured);
    assert_eq!(payments[0].amount, Money::inr(49_950));
    assert!(!cf
        .verify_checkout_signature(&order.provider_order_id, &cf_payment_id, "x")
        .unwrap());

    // Capture only confirms Cashfree's automatic capture, for the exact amount.
    let captured = cf
        .capture(&order.provider_order_id, &cf_payment_id, Money::inr(49_950))
        .await
        .unwrap();
    assert_eq!(captured.status, ProviderPaymentStatus::Captured);
    let error = cf
        .capture(&order.provider_order_id, &cf_payment_id, Money::inr(100))
        .await
        .unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);

    let first = refund_request(&order.provider_order_id, &cf_payment_id, 20_005);
    let refund = cf.refund(&first).await.unwrap();
    assert_eq!(refund.provider_refund_id, first.refund_id.as_str());
    assert_eq!(refund.provider_payment_id, cf_payment_id);
    assert_eq!(refund.amount, Money::inr(20_005));
    assert_eq!(refund.status, ProviderRefundStatus::Pending);
    assert_eq!(cf.refund(&first).await.unwrap(), refund);
    let mut changed = first.clone();
    changed.amount = Money::inr(100);
    let error = cf.refund(&changed).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
    assert_eq!(error.provider_code.as_deref(), Some("idempotency_error"));

    fake.complete_refund(&order.provider_order_id, first.refund_id.as_str(), true)
        .unwrap();
    let fetched = cf
        .fetch_refund(&order.provider_order_id, &refund.provider_refund_id)
        .await
        .unwrap();
    assert_eq!(fetched.status, ProviderRefundStatus::Processed);
    assert_eq!(fetched.raw_status, "SUCCESS");

    // 499.50 - 200.05 = 299.45 left.
    let beyond = refund_request(&order.provider_order_id, &cf_payment_id, 29_946);
    let error = cf.refund(&beyond).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
    assert_eq!(error.http_status, Some(400));
    assert_eq!(
        error.provider_code.as_deref(),
        Some("refund_amount_invalid")
    );
    let rest = refund_request(&order.provider_order_id, &cf_payment_id, 29_945);
    assert_eq!(cf.refund(&rest).await.unwrap().amount, Money::inr(29_945));
}

#[tokio::test]
async fn validation_errors() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 5_000);
    let error = cf.create_order(&order_request(99)).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
    assert_eq!(error.http_status, Some(400));
    assert_eq!(error.provider_code.as_deref(), Some("order_amount_invalid"));
    // No phone: refused before anything is sent.
    let mut request = order_request(10_000);
    request.customer.phone = None;
    let error = cf.create_order(&request).await.unwrap_err();
    assert_eq!(error.http_status, None);
    assert!(error.certainly_not_applied());
    let error = cf
        .fetch_refund("finvex_ord_missing", "r1")
        .await
        .unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::NotFound);
}

#[tokio::test]
async fn wrong_credentials_are_authentication_errors() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = CashfreeProvider::new(CashfreeConfig {
        client_secret: "wrong".into(),
        ..adapter(&fake, 5_000).config().clone()
    })
    .unwrap();
    let error = cf.create_order(&order_request(10_000)).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::Authentication);
    assert_eq!(error.http_status, Some(401));
    assert_eq!(error.provider_code.as_deref(), Some("request_failed"));
}

#[tokio::test]
async fn server_errors_and_timeouts() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 200);
    fake.set_fault(Fault::ServerError(503));
    let error = cf.create_order(&order_request(10_000)).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::Unavailable);
    assert_eq!(error.http_status, Some(503));
    assert!(error.certainly_not_applied());
    assert_eq!(fake.requests().len(), 1);

    fake.set_fault(Fault::Timeout(Duration::from_millis(1_500)));
    let request = order_request(10_000);
    let error = cf.create_order(&request).await.unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::Timeout);
    assert!(!error.certainly_not_applied());
    // The order did get created: a retry with the same key replays it.
    fake.set_fault(Fault::None);
    assert_eq!(
        cf.create_order(&request).await.unwrap().provider_order_id,
        request.order_id.as_str()
    );
}

#[tokio::test]
async fn declines_and_drop_offs_fail_the_payment() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 5_000);
    let order = cf.create_order(&order_request(10_000)).await.unwrap();
    fake.set_fault(Fault::Decline);
    let declined = fake
        .pay(&order.provider_order_id, PayOutcome::Captured)
        .unwrap();
    fake.set_fault(Fault::None);
    let dropped = fake
        .pay(&order.provider_order_id, PayOutcome::UserDropped)
        .unwrap();
    let payment = cf
        .fetch_payment(&order.provider_order_id, &declined)
        .await
        .unwrap();
    assert_eq!(payment.status, ProviderPaymentStatus::Failed);
    assert_eq!(payment.error_code.as_deref(), Some("TRANSACTION_DECLINED"));
    let payment = cf
        .fetch_payment(&order.provider_order_id, &dropped)
        .await
        .unwrap();
    assert_eq!(payment.status, ProviderPaymentStatus::Failed);
    assert_eq!(payment.raw_status, "USER_DROPPED");
    let error = cf
        .refund(&refund_request(&order.provider_order_id, &declined, 100))
        .await
        .unwrap_err();
    assert_eq!(error.kind, ProviderErrorKind::InvalidRequest);
}

#[tokio::test]
async fn webhooks_verify_and_tampering_is_rejected() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 5_000);
    let (url, received) = receiver().await;
    let order = cf.create_order(&order_request(17_000)).await.unwrap();
    let cf_payment_id = fake
        .pay(&order.provider_order_id, PayOutcome::Captured)
        .unwrap();
    let sent = fake
        .send_webhook(
            &url,
            CashfreeEvent::Payment {
                order_id: order.provider_order_id.clone(),
                cf_payment_id: cf_payment_id.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 200);
    let (headers, body) = received.lock().unwrap()[0].clone();
    assert!(String::from_utf8_lossy(&body).contains("\"payment_amount\":170.00"));
    let hook = cf.parse_webhook(&headers, &body).unwrap();
    assert_eq!(hook.kind, ProviderWebhookKind::PaymentCaptured);
    assert_eq!(hook.event_id, sent.event_id);
    let payment = hook.payment.unwrap();
    assert_eq!(payment.amount, Money::inr(17_000));
    assert_eq!(payment.provider_order_id, order.provider_order_id);

    let refund_req = refund_request(&order.provider_order_id, &cf_payment_id, 7_000);
    cf.refund(&refund_req).await.unwrap();
    fake.complete_refund(
        &order.provider_order_id,
        refund_req.refund_id.as_str(),
        false,
    )
    .unwrap();
    let hook = fake
        .build_webhook(&CashfreeEvent::RefundStatus {
            order_id: order.provider_order_id.clone(),
            refund_id: refund_req.refund_id.to_string(),
        })
        .unwrap();
    let parsed = cf.parse_webhook(&hook.headers, &hook.body).unwrap();
    assert_eq!(parsed.kind, ProviderWebhookKind::RefundFailed);
    assert_eq!(parsed.refund.unwrap().amount, Money::inr(7_000));

    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("170.00", "1700.00");
    assert_eq!(
        cf.parse_webhook(&headers, tampered.as_bytes())
            .unwrap_err()
            .kind,
        ProviderErrorKind::InvalidSignature
    );
    let forged = finvex_providers::cashfree::transformers::webhook_signature(
        "attacker",
        headers
            .iter()
            .find(|(n, _)| n == "x-webhook-timestamp")
            .map(|(_, v)| v.as_str())
            .unwrap(),
        &body,
    );
    let replayed: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                if n == "x-webhook-signature" {
                    forged.clone()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    assert_eq!(
        cf.parse_webhook(&replayed, &body).unwrap_err().kind,
        ProviderErrorKind::InvalidSignature
    );
}

#[tokio::test]
async fn settlements_are_paged_by_cursor() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 5_000);
    for i in 0..150 {
        fake.add_settlement(FakeSettlement {
            amount_minor: 98_765 + i,
            fee_minor: 1_000,
            tax_minor: 180,
            utr: format!("CFUTR{i:06}"),
            created_at: 1_700_000_000 + i * 3_600,
        });
    }
    let list = cf
        .list_settlements(1_700_000_000, 1_800_000_000)
        .await
        .unwrap();
    assert_eq!(list.len(), 150);
    assert_eq!(list[0].amount, Money::inr(98_765));
    assert_eq!((list[0].fees_minor, list[0].tax_minor), (1_000, 180));
    assert_eq!(list[0].utr.as_deref(), Some("CFUTR000000"));
    assert_eq!(list[0].created_at, 1_700_000_000);
    let some = cf
        .list_settlements(1_700_000_000, 1_700_000_000 + 9 * 3_600)
        .await
        .unwrap();
    assert_eq!(some.len(), 10);
}
