//! The Razorpay adapter against the Razorpay fake, over real HTTP.
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
use finvex_providers::fakes::{
    fake_fee, FakeLineKind, FakeSettlement, FakeSettlementLine, Fault, PayOutcome, RazorpayEvent,
    RazorpayFake,
};
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
    // 2% of 499.00 is 9.98, plus 18% GST on it (1.7964 → 1.80).
    assert_eq!(
        (captured.fee_minor, captured.tax_minor),
        (Some(998), Some(180))
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
            lines: Vec::new(),
        });
    }
    fake.add_settlement(FakeSettlement {
        amount_minor: 1,
        fee_minor: 0,
        tax_minor: 0,
        utr: "OUTSIDE".into(),
        created_at: 1_600_000_000,
        lines: Vec::new(),
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

/// 2025-06-15T19:00:00Z, which is already 2025-06-16 00:30 in India: the
/// recon report files the settlement under the Indian day.
const SETTLED_AT: i64 = 1_750_014_000;

#[tokio::test]
async fn settlement_lines_reconcile_through_the_recon_report() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    assert!(fake.settle(SETTLED_AT).is_err(), "nothing to settle yet");

    let order = rzp.create_order(&order_request(49_900)).await.unwrap();
    let (payment_id, _) = fake
        .pay(&order.provider_order_id, PayOutcome::Authorized)
        .unwrap();
    rzp.capture(&order.provider_order_id, &payment_id, Money::inr(49_900))
        .await
        .unwrap();
    let refund = rzp
        .refund(&refund_request(
            &order.provider_order_id,
            &payment_id,
            20_000,
        ))
        .await
        .unwrap();
    assert_eq!(refund.status, ProviderRefundStatus::Processed);
    // Authorised but never captured: not settled.
    let uncaptured = rzp.create_order(&order_request(10_000)).await.unwrap();
    fake.pay(&uncaptured.provider_order_id, PayOutcome::Authorized)
        .unwrap();

    let settlement_id = fake.settle(SETTLED_AT).unwrap();
    assert!(settlement_id.starts_with("setl_"));
    assert!(
        fake.settle(SETTLED_AT + 60).is_err(),
        "nothing new to settle"
    );
    // A second settlement the same Indian day: its lines share the day's report.
    let later = rzp.create_order(&order_request(30_000)).await.unwrap();
    let (later_payment, _) = fake
        .pay(&later.provider_order_id, PayOutcome::Captured)
        .unwrap();
    let later_id = fake.settle(SETTLED_AT + 3_600).unwrap();

    let list = rzp
        .list_settlements(SETTLED_AT - 86_400, SETTLED_AT + 86_400)
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let settlement = list
        .iter()
        .find(|s| s.provider_settlement_id == settlement_id)
        .unwrap();
    assert_eq!(fake_fee(49_900), (998, 180));
    assert_eq!(settlement.amount, Money::inr(49_900 - 998 - 180 - 20_000));
    assert_eq!((settlement.fees_minor, settlement.tax_minor), (998, 180));
    assert!(settlement.utr.is_some());
    assert_eq!(settlement.created_at, SETTLED_AT);

    let entries = rzp.settlement_entries(settlement).await.unwrap();
    assert_eq!(entries.len(), 2, "{entries:?}");
    let paid = entries
        .iter()
        .find(|e| e.kind == SettlementEntryKind::Payment)
        .unwrap();
    assert_eq!(paid.provider_entity_id, payment_id);
    assert_eq!(
        paid.provider_payment_id.as_deref(),
        Some(payment_id.as_str())
    );
    assert_eq!(paid.amount, Money::inr(49_900));
    assert!(paid.credit);
    assert_eq!((paid.fee_minor, paid.tax_minor), (998, 180));
    let refunded = entries
        .iter()
        .find(|e| e.kind == SettlementEntryKind::Refund)
        .unwrap();
    assert_eq!(refunded.provider_entity_id, refund.provider_refund_id);
    assert_eq!(
        refunded.provider_payment_id.as_deref(),
        Some(payment_id.as_str())
    );
    assert_eq!(refunded.amount, Money::inr(20_000));
    assert!(!refunded.credit);
    assert_eq!((refunded.fee_minor, refunded.tax_minor), (0, 0));
    assert_reconciles(settlement, &entries);

    let later_settlement = list
        .iter()
        .find(|s| s.provider_settlement_id == later_id)
        .unwrap();
    let later_entries = rzp.settlement_entries(later_settlement).await.unwrap();
    assert_eq!(later_entries.len(), 1);
    assert_eq!(later_entries[0].provider_entity_id, later_payment);
    assert_reconciles(later_settlement, &later_entries);
    assert!(fake
        .requests()
        .iter()
        .any(|r| r.method == "GET" && r.path == "/v1/settlements/recon/combined"));
}

/// Calls the fake directly, with the fake's keys unless `auth` is false.
async fn raw_get(
    fake: &RazorpayFake,
    path_and_query: &str,
    auth: bool,
) -> (u16, serde_json::Value) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut request = client.get(format!("{}{path_and_query}", fake.base_url()));
    if auth {
        request = request.basic_auth(fake.key_id(), Some(fake.key_secret()));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_str(&response.text().await.unwrap()).unwrap(),
    )
}

fn line(kind: FakeLineKind, entity_id: &str, amount_minor: i64) -> FakeSettlementLine {
    let (fee_minor, tax_minor) = match kind {
        FakeLineKind::Payment => fake_fee(amount_minor),
        FakeLineKind::Refund => (0, 0),
    };
    FakeSettlementLine {
        kind,
        entity_id: entity_id.into(),
        payment_id: "pay_FakeLinePay0001".into(),
        order_id: "order_FakeLineOrd001".into(),
        amount_minor,
        fee_minor,
        tax_minor,
    }
}

#[tokio::test]
async fn fake_recon_report_validates_pages_and_has_the_documented_shape() {
    let fake = RazorpayFake::start().await.unwrap();
    let recon = "/v1/settlements/recon/combined";
    let (status, body) = raw_get(&fake, &format!("{recon}?year=2025"), true).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "BAD_REQUEST_ERROR");
    assert_eq!(body["error"]["field"], "month");
    for bad in [
        "month=6",
        "year=2025&month=13",
        "year=2025&month=6&day=31",
        "year=2025&month=6&count=0",
        "year=2025&month=6&count=101",
        "year=2025&month=6&skip=-1",
        "year=2025&month=six",
    ] {
        let (status, body) = raw_get(&fake, &format!("{recon}?{bad}"), true).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["error"]["code"], "BAD_REQUEST_ERROR", "{bad}");
    }
    let (status, _) = raw_get(&fake, &format!("{recon}?year=2025&month=6"), false).await;
    assert_eq!(status, 401);

    let lines = vec![
        line(FakeLineKind::Payment, "pay_FakeLinePay0001", 100_000),
        line(FakeLineKind::Refund, "rfnd_FakeLineRfd001", 25_000),
    ];
    let (fee, gst) = fake_fee(100_000);
    let id = fake.add_settlement(FakeSettlement {
        amount_minor: 100_000 - fee - gst - 25_000,
        fee_minor: fee,
        tax_minor: gst,
        utr: "1750014000abcdef".into(),
        created_at: SETTLED_AT,
        lines,
    });
    // Filed under the Indian day (16 June), not the UTC one (15 June).
    let (_, day) = raw_get(&fake, &format!("{recon}?year=2025&month=06&day=16"), true).await;
    assert_eq!(day["entity"], "collection");
    assert_eq!(day["count"], 2);
    let (_, utc_day) = raw_get(&fake, &format!("{recon}?year=2025&month=6&day=15"), true).await;
    assert_eq!(utc_day["count"], 0);
    let (_, month) = raw_get(&fake, &format!("{recon}?year=2025&month=6"), true).await;
    assert_eq!(month["count"], 2);
    let (_, first) = raw_get(&fake, &format!("{recon}?year=2025&month=6&count=1"), true).await;
    let (_, second) = raw_get(
        &fake,
        &format!("{recon}?year=2025&month=6&count=1&skip=1"),
        true,
    )
    .await;
    assert_eq!(first["items"][0]["type"], "payment");
    assert_eq!(second["items"][0]["type"], "refund");

    let payment = &first["items"][0];
    for key in [
        "entity_id",
        "type",
        "debit",
        "credit",
        "amount",
        "currency",
        "fee",
        "tax",
        "on_hold",
        "settled",
        "created_at",
        "settled_at",
        "settlement_id",
        "posted_at",
        "credit_type",
        "description",
        "notes",
        "payment_id",
        "settlement_utr",
        "order_id",
        "order_receipt",
        "method",
        "card_network",
        "card_issuer",
        "card_type",
        "dispute_id",
    ] {
        assert!(payment.get(key).is_some(), "missing {key}: {payment}");
    }
    assert_eq!(payment["entity_id"], "pay_FakeLinePay0001");
    assert_eq!(payment["settlement_id"], id.as_str());
    assert_eq!(payment["amount"], 100_000);
    // `fee` includes the GST, as on Razorpay payments; credit is what is paid out.
    assert_eq!(payment["fee"], fee + gst);
    assert_eq!(payment["tax"], gst);
    assert_eq!(payment["credit"], 100_000 - fee - gst);
    assert_eq!(payment["debit"], 0);
    assert_eq!(payment["settled_at"], SETTLED_AT);
    let refund = &second["items"][0];
    assert_eq!(refund["entity_id"], "rfnd_FakeLineRfd001");
    assert_eq!(refund["payment_id"], "pay_FakeLinePay0001");
    assert_eq!(refund["debit"], 25_000);
    assert_eq!(refund["credit"], 0);
    assert_eq!(
        (refund["fee"].as_i64(), refund["tax"].as_i64()),
        (Some(0), Some(0))
    );
}

/// Razorpay's official clients list orders (`GET /v1/orders`) and read every
/// error as `{"error": {"code", "description", ...}}`: the fake serves the
/// list and answers unknown routes and methods in that shape, never with an
/// empty body.
#[tokio::test]
async fn orders_are_listed_and_unknown_methods_answer_razorpay_errors() {
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    let first = rzp.create_order(&order_request(10_000)).await.unwrap();
    let second = rzp.create_order(&order_request(20_000)).await.unwrap();
    let client = reqwest::Client::new();
    let get = |path: &str| {
        client
            .get(format!("{}{path}", fake.base_url()))
            .basic_auth(fake.key_id(), Some(fake.key_secret()))
            .send()
    };
    let json = |text: String| serde_json::from_str::<serde_json::Value>(&text).unwrap();
    let listed = json(
        get("/v1/orders?count=10")
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(listed["entity"], "collection");
    assert_eq!(listed["count"], 2);
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&first.provider_order_id.as_str()));
    assert!(ids.contains(&second.provider_order_id.as_str()));
    let paged = json(
        get("/v1/orders?count=1&skip=1")
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(paged["count"], 1);
    let bad = get("/v1/orders?count=0").await.unwrap();
    assert_eq!(bad.status(), 400);

    for response in [
        client
            .delete(format!("{}/v1/orders", fake.base_url()))
            .basic_auth(fake.key_id(), Some(fake.key_secret()))
            .send()
            .await
            .unwrap(),
        get("/v1/no-such-resource").await.unwrap(),
    ] {
        assert!(response.status().is_client_error());
        let body = json(response.text().await.unwrap());
        assert_eq!(body["error"]["code"], "BAD_REQUEST_ERROR", "{body}");
        assert!(body["error"]["description"].is_string(), "{body}");
    }
}

/// Razorpay's official Python client works against the fake (the contract
/// is the provider's, not ours). CI installs the client (`pip install
/// razorpay`); elsewhere the test is skipped when Python lacks it.
#[tokio::test]
async fn the_official_razorpay_python_client_works_against_the_fake() {
    if !common::has_official_client("razorpay", "razorpay") {
        return;
    }
    let fake = RazorpayFake::start().await.unwrap();
    let rzp = adapter(&fake, 5_000);
    let order = rzp.create_order(&order_request(20_000)).await.unwrap();
    let (payment_id, signature) = fake
        .pay(&order.provider_order_id, PayOutcome::Captured)
        .unwrap();
    common::run_official_client(
        "razorpay_python.py",
        vec![
            fake.base_url(),
            fake.key_id().to_string(),
            fake.key_secret().to_string(),
            order.provider_order_id.clone(),
            payment_id,
            signature,
        ],
        "official razorpay client: ok",
    )
    .await;
}
