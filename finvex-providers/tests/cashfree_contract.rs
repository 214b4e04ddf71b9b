//! The Cashfree adapter against the Cashfree fake, over real HTTP.
#![cfg(feature = "fakes")]

mod common;

use std::time::Duration;

use common::{assert_reconciles, order_request, receiver, refund_request};
use finvex_core::money::Money;
use finvex_core::providers::{
    PaymentsCapability, ProviderErrorKind, ProviderPaymentStatus, ProviderRefundStatus,
    ProviderWebhookKind, RefundsCapability, SettlementEntryKind, SettlementsCapability,
    WebhooksCapability,
};
use finvex_providers::cashfree::{CashfreeConfig, CashfreeProvider, API_VERSION};
use finvex_providers::fakes::{
    fake_fee, CashfreeEvent, CashfreeFake, FakeLineKind, FakeSettlement, FakeSettlementLine, Fault,
    PayOutcome,
};
use serde_json::json;

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
            lines: Vec::new(),
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

/// 2025-06-15T19:00:00Z (2025-06-16 00:30 in India).
const SETTLED_AT: i64 = 1_750_014_000;

#[tokio::test]
async fn settlement_lines_reconcile_through_the_recon_report() {
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 5_000);
    assert!(fake.settle(SETTLED_AT).is_err(), "nothing to settle yet");

    let order = cf.create_order(&order_request(49_950)).await.unwrap();
    let cf_payment_id = fake
        .pay(&order.provider_order_id, PayOutcome::Captured)
        .unwrap();
    cf.capture(&order.provider_order_id, &cf_payment_id, Money::inr(49_950))
        .await
        .unwrap();
    let first = refund_request(&order.provider_order_id, &cf_payment_id, 20_005);
    cf.refund(&first).await.unwrap();
    fake.complete_refund(&order.provider_order_id, first.refund_id.as_str(), true)
        .unwrap();
    // Still PENDING at the first settlement: not in it.
    let pending = refund_request(&order.provider_order_id, &cf_payment_id, 1_000);
    cf.refund(&pending).await.unwrap();
    // Declined: never settled.
    let declined = cf.create_order(&order_request(10_000)).await.unwrap();
    fake.pay(&declined.provider_order_id, PayOutcome::Failed)
        .unwrap();

    let settlement_id = fake.settle(SETTLED_AT).unwrap();
    assert!(settlement_id.bytes().all(|b| b.is_ascii_digit()));
    assert!(
        fake.settle(SETTLED_AT + 60).is_err(),
        "nothing new to settle"
    );
    fake.complete_refund(&order.provider_order_id, pending.refund_id.as_str(), true)
        .unwrap();
    let second = cf.create_order(&order_request(30_000)).await.unwrap();
    let second_payment = fake
        .pay(&second.provider_order_id, PayOutcome::Captured)
        .unwrap();
    let later_id = fake.settle(SETTLED_AT + 3_600).unwrap();

    let list = cf
        .list_settlements(SETTLED_AT - 86_400, SETTLED_AT + 86_400)
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let settlement = list
        .iter()
        .find(|s| s.provider_settlement_id == settlement_id)
        .unwrap();
    // 2% of 499.50 is 9.99, plus 18% GST on it (1.7982 → 1.80).
    assert_eq!(fake_fee(49_950), (999, 180));
    assert_eq!(settlement.amount, Money::inr(49_950 - 999 - 180 - 20_005));
    assert_eq!((settlement.fees_minor, settlement.tax_minor), (999, 180));
    assert!(settlement.utr.is_some());

    let entries = cf.settlement_entries(settlement).await.unwrap();
    assert_eq!(entries.len(), 2, "{entries:?}");
    let paid = entries
        .iter()
        .find(|e| e.kind == SettlementEntryKind::Payment)
        .unwrap();
    assert_eq!(paid.provider_entity_id, cf_payment_id);
    assert_eq!(
        paid.provider_payment_id.as_deref(),
        Some(cf_payment_id.as_str())
    );
    assert_eq!(paid.amount, Money::inr(49_950));
    assert!(paid.credit);
    assert_eq!((paid.fee_minor, paid.tax_minor), (999, 180));
    let refunded = entries
        .iter()
        .find(|e| e.kind == SettlementEntryKind::Refund)
        .unwrap();
    // Cashfree keys refunds by our refund id.
    assert_eq!(refunded.provider_entity_id, first.refund_id.as_str());
    assert_eq!(
        refunded.provider_payment_id.as_deref(),
        Some(cf_payment_id.as_str())
    );
    assert_eq!(refunded.amount, Money::inr(20_005));
    assert!(!refunded.credit);
    assert_eq!((refunded.fee_minor, refunded.tax_minor), (0, 0));
    assert_reconciles(settlement, &entries);

    let later = list
        .iter()
        .find(|s| s.provider_settlement_id == later_id)
        .unwrap();
    let later_entries = cf.settlement_entries(later).await.unwrap();
    assert_eq!(later_entries.len(), 2, "{later_entries:?}");
    assert!(later_entries
        .iter()
        .any(|e| e.kind == SettlementEntryKind::Payment && e.provider_entity_id == second_payment));
    assert!(later_entries
        .iter()
        .any(|e| e.kind == SettlementEntryKind::Refund
            && e.provider_entity_id == pending.refund_id.as_str()));
    assert_reconciles(later, &later_entries);
}

/// POSTs `body` to the fake's settlement recon with its credentials.
async fn raw_recon(fake: &CashfreeFake, body: &serde_json::Value, version: bool) -> (u16, String) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut request = client
        .post(format!("{}/settlement/recon", fake.base_url()))
        .header("content-type", "application/json")
        .header("x-client-id", fake.client_id())
        .header("x-client-secret", fake.client_secret())
        .body(body.to_string());
    if version {
        request = request.header("x-api-version", API_VERSION);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn line(kind: FakeLineKind, entity_id: &str, amount_minor: i64) -> FakeSettlementLine {
    let (fee_minor, tax_minor) = match kind {
        FakeLineKind::Payment => fake_fee(amount_minor),
        FakeLineKind::Refund => (0, 0),
    };
    FakeSettlementLine {
        kind,
        entity_id: entity_id.into(),
        payment_id: entity_id.into(),
        order_id: "order_fake_line".into(),
        amount_minor,
        fee_minor,
        tax_minor,
    }
}

#[tokio::test]
async fn fake_recon_validates_filters_and_pages_by_cursor() {
    let fake = CashfreeFake::start().await.unwrap();
    let page = json!({"limit": 2, "cursor": null});
    for (body, code) in [
        (json!({"pagination": page}), "filters_missing"),
        (
            json!({"pagination": page, "filters": {}}),
            "filters_invalid",
        ),
        (
            json!({"pagination": page, "filters": {"cf_settlement_ids": ["abc"]}}),
            "filters_invalid",
        ),
        (
            json!({"pagination": page, "filters": {"start_date": "2025-06-16"}}),
            "filters_invalid",
        ),
        (
            json!({"filters": {"cf_settlement_ids": [1]}}),
            "pagination_missing",
        ),
        (
            json!({"pagination": {"limit": 1001}, "filters": {"cf_settlement_ids": [1]}}),
            "pagination_limit_invalid",
        ),
    ] {
        let (status, text) = raw_recon(&fake, &body, true).await;
        assert_eq!(status, 400, "{body}: {text}");
        let error: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(error["code"], code, "{body}");
        assert_eq!(error["type"], "invalid_request_error");
    }
    let valid = json!({"pagination": page, "filters": {"cf_settlement_ids": [1]}});
    assert_eq!(raw_recon(&fake, &valid, false).await.0, 400);

    let (fee, gst) = fake_fee(100_000);
    let id = fake.add_settlement(FakeSettlement {
        amount_minor: 100_000 + 50_050 - 2 * (fee + gst) - 25_000,
        fee_minor: 2 * fee,
        tax_minor: 2 * gst,
        utr: "CFUTRLINES01".into(),
        created_at: SETTLED_AT,
        lines: vec![
            line(FakeLineKind::Payment, "5114910000900", 100_000),
            line(FakeLineKind::Payment, "5114910000901", 50_050),
            line(FakeLineKind::Refund, "5114910000902", 25_000),
        ],
    });
    fake.add_settlement(FakeSettlement {
        amount_minor: 1,
        fee_minor: 0,
        tax_minor: 0,
        utr: "CFUTROTHER01".into(),
        created_at: SETTLED_AT - 10 * 86_400,
        lines: vec![line(FakeLineKind::Payment, "5114910000999", 100)],
    });
    let number: u64 = id.parse().unwrap();
    let (status, text) = raw_recon(
        &fake,
        &json!({"pagination": page, "filters": {"cf_settlement_ids": [number]}}),
        true,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    // Exact decimal rupees on the wire.
    assert!(text.contains(r#""event_amount":1000.00"#), "{text}");
    assert!(text.contains(r#""payment_service_charge":20.00"#), "{text}");
    assert!(text.contains(r#""payment_service_tax":3.60"#), "{text}");
    assert!(
        text.contains(r#""event_settlement_amount":976.40"#),
        "{text}"
    );
    let first: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert_eq!(first["cursor"], "2");
    let event = &first["data"][0];
    assert_eq!(event["entity"], "recon");
    assert_eq!(event["event_type"], "PAYMENT");
    assert_eq!(event["sale_type"], "CREDIT");
    assert_eq!(event["cf_settlement_id"], id.as_str());
    assert_eq!(event["settlement_utr"], "CFUTRLINES01");
    assert_eq!(event["event_currency"], "INR");
    assert_eq!(event["cf_payment_id"], "5114910000900");
    assert!(event.get("dispute_category").is_some());

    let (_, text) = raw_recon(
        &fake,
        &json!({"pagination": {"limit": 2, "cursor": "2"},
            "filters": {"cf_settlement_ids": [id.clone()]}}),
        true,
    )
    .await;
    assert!(text.contains(r#""event_amount":250.00"#), "{text}");
    let rest: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest["data"][0]["event_type"], "REFUND");
    assert_eq!(rest["data"][0]["sale_type"], "DEBIT");
    assert!(rest["cursor"].is_null());

    // By UTR, and by date range (which leaves out the older settlement).
    for filters in [
        json!({"settlement_utrs": ["CFUTRLINES01"]}),
        json!({"start_date": "2025-06-15T00:00:00Z", "end_date": "2025-06-16T23:59:59+05:30"}),
    ] {
        let (status, text) = raw_recon(
            &fake,
            &json!({"pagination": {"limit": 100}, "filters": filters}),
            true,
        )
        .await;
        assert_eq!(status, 200, "{text}");
        let found: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(found["data"].as_array().unwrap().len(), 3, "{filters}");
    }
}

/// Cashfree's official Python SDK works against the fake. CI installs it
/// (`pip install cashfree-pg`); elsewhere the test is skipped without it.
#[tokio::test]
async fn the_official_cashfree_python_sdk_works_against_the_fake() {
    if !common::has_official_client("cashfree_pg", "cashfree-pg") {
        return;
    }
    let fake = CashfreeFake::start().await.unwrap();
    let cf = adapter(&fake, 5_000);
    let order = cf.create_order(&order_request(20_000)).await.unwrap();
    fake.pay(&order.provider_order_id, PayOutcome::Captured)
        .unwrap();
    common::run_official_client(
        "cashfree_python.py",
        vec![
            fake.base_url(),
            fake.client_id().to_string(),
            fake.client_secret().to_string(),
            order.provider_order_id.clone(),
        ],
        "official cashfree client: ok",
    )
    .await;
}
