//! The payment flow through the real Razorpay and Cashfree adapters, talking
//! HTTP to the providers' contract fakes: routing, failover, verification,
//! refunds and incoming provider webhooks.

use crate::common::{error_of, Api, TestServer};
use finvex_providers::fakes::{
    CashfreeEvent, CashfreeFake, Fault, PayOutcome, RazorpayEvent, RazorpayFake,
};
use finvex_server::config::{CashfreeSettings, RazorpaySettings};
use serde_json::{json, Value};

async fn with_fakes(razorpay: &RazorpayFake, cashfree: &CashfreeFake) -> TestServer {
    with_fakes_and(razorpay, cashfree, |_| {}).await
}

/// The server with both fakes as the installation's accounts, then `adjust`.
async fn with_fakes_and(
    razorpay: &RazorpayFake,
    cashfree: &CashfreeFake,
    adjust: impl FnOnce(&mut finvex_server::config::Config) + Send + 'static,
) -> TestServer {
    let (rzp_url, rzp_id, rzp_secret, rzp_hook) = (
        razorpay.base_url(),
        razorpay.key_id().to_string(),
        razorpay.key_secret().to_string(),
        razorpay.webhook_secret().to_string(),
    );
    let (cf_url, cf_id, cf_secret) = (
        cashfree.base_url(),
        cashfree.client_id().to_string(),
        cashfree.client_secret().to_string(),
    );
    TestServer::start_with(move |c| {
        c.razorpay = Some(RazorpaySettings {
            mode: "test".into(),
            base_url: rzp_url,
            key_id: rzp_id,
            key_secret: rzp_secret,
            webhook_secret: rzp_hook,
            timeout_ms: 2_000,
        });
        c.cashfree = Some(CashfreeSettings {
            mode: "test".into(),
            base_url: cf_url,
            client_id: cf_id,
            client_secret: cf_secret,
            timeout_ms: 2_000,
        });
        adjust(c);
    })
    .await
}

async fn post(server: &TestServer, key: &str, path: &str, body: Value) -> (u16, Value) {
    let response = server
        .client
        .post(server.url(path))
        .header("X-Finvex-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn razorpay_flow_through_the_real_adapter() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes(&razorpay, &cashfree).await;
    let (_, key) = server.merchant_with_key("rzp@example.com").await;
    let (status, order) = post(&server, &key, "/v1/orders", json!({"amount": 50000, "customer": {"email": "anil@example.com", "phone": "+919876543210"}})).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(
        order["provider"], "razorpay",
        "the first configured provider wins by default: {order}"
    );
    let provider_order = order["provider_order_id"].as_str().unwrap();
    assert!(provider_order.starts_with("order_"));
    assert_eq!(order["checkout"]["order_id"], provider_order);

    let (payment_id, signature) = razorpay
        .pay(provider_order, PayOutcome::Authorized)
        .unwrap();
    let (_, forged) = post(
        &server,
        &key,
        &format!("/v1/orders/{}/verify", order["id"].as_str().unwrap()),
        json!({"payment_id": payment_id, "signature": "ab".repeat(32)}),
    )
    .await;
    assert_eq!(forged["verified"], false);
    let (status, verified) = post(
        &server,
        &key,
        &format!("/v1/orders/{}/verify", order["id"].as_str().unwrap()),
        json!({"payment_id": payment_id, "signature": signature}),
    )
    .await;
    assert_eq!(
        (status, verified["verified"].clone()),
        (200, json!(true)),
        "{verified}"
    );
    assert_eq!(
        verified["payment"]["status"], "captured",
        "verify captures at Razorpay"
    );
    let pid = verified["payment"]["id"].as_str().unwrap();

    let (status, refund) = post(
        &server,
        &key,
        &format!("/v1/payments/{pid}/refund"),
        json!({"amount": 10000}),
    )
    .await;
    assert_eq!(
        (status, refund["status"].as_str()),
        (201, Some("processed")),
        "{refund}"
    );
    assert!(refund["provider_refund_id"]
        .as_str()
        .unwrap()
        .starts_with("rfnd_"));
    let (status, error) = post(
        &server,
        &key,
        &format!("/v1/payments/{pid}/refund"),
        json!({"amount": 45000}),
    )
    .await;
    assert_eq!(
        (status, error["error"]["field"].as_str()),
        (422, Some("amount"))
    );
    server.stop().await;
}

#[tokio::test]
async fn cashfree_flow_converts_rupees_exactly() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes(&razorpay, &cashfree).await;
    let (_, key) = server.merchant_with_key("cf@example.com").await;
    let (status, order) = post(&server, &key, "/v1/orders", json!({"amount": 49999, "provider": "cashfree", "customer": {"email": "anil@example.com", "phone": "9876543210"}})).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["provider"], "cashfree");
    assert!(order["checkout"]["payment_session_id"].is_string());
    let cf_payment = cashfree
        .pay(
            order["provider_order_id"].as_str().unwrap(),
            PayOutcome::Captured,
        )
        .unwrap();
    // Cashfree's checkout hands out no signature: verification fetches the payment.
    let (status, verified) = post(
        &server,
        &key,
        &format!("/v1/orders/{}/verify", order["id"].as_str().unwrap()),
        json!({"payment_id": cf_payment}),
    )
    .await;
    assert_eq!(
        (status, verified["verified"].clone()),
        (200, json!(true)),
        "{verified}"
    );
    assert_eq!(
        verified["payment"]["amount"], 49_999,
        "Rs 499.99 came back as 49999 paise"
    );
    let pid = verified["payment"]["id"].as_str().unwrap();
    let (status, refund) = post(
        &server,
        &key,
        &format!("/v1/payments/{pid}/refund"),
        json!({"amount": 1}),
    )
    .await;
    assert_eq!(status, 201, "{refund}");
    assert_eq!(refund["status"], "pending", "Cashfree refunds settle later");

    // The refund's outcome arrives by webhook.
    cashfree
        .complete_refund(
            order["provider_order_id"].as_str().unwrap(),
            refund["id"].as_str().unwrap(),
            true,
        )
        .unwrap();
    let sent = cashfree
        .send_webhook(
            &server.url("/v1/providers/cashfree/webhook"),
            CashfreeEvent::RefundStatus {
                order_id: order["provider_order_id"].as_str().unwrap().into(),
                refund_id: refund["id"].as_str().unwrap().into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 200);
    let refund: Value = server
        .client
        .get(server.url(&format!("/v1/refunds/{}", refund["id"].as_str().unwrap())))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(refund["status"], "processed");
    server.stop().await;
}

#[tokio::test]
async fn a_failing_provider_fails_over_and_the_reason_is_recorded() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes(&razorpay, &cashfree).await;
    let (_, key) = server.merchant_with_key("failover@example.com").await;
    razorpay.set_fault(Fault::ServerError(503));
    let (status, order) = post(&server, &key, "/v1/orders", json!({"amount": 50000, "customer": {"email": "anil@example.com", "phone": "+919876543210"}})).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["provider"], "cashfree");
    let reason = order["routing"]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("razorpay") && reason.ends_with("failed over to cashfree"),
        "{reason}"
    );
    assert_eq!(order["routing"]["attempts"].as_array().unwrap().len(), 2);

    // Both down: a clear 503, not a 500.
    cashfree.set_fault(Fault::ServerError(502));
    let response = server
        .client
        .post(server.url("/v1/orders"))
        .header("X-Finvex-Key", &key)
        .json(&json!({"amount": 50000, "customer": {"phone": "+919876543210"}}))
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(response).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (503, Some("service_unavailable"))
    );
    server.stop().await;
}

#[tokio::test]
async fn provider_webhooks_are_verified_deduplicated_and_never_move_state_back() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes(&razorpay, &cashfree).await;
    let (_, key) = server.merchant_with_key("hooks-in@example.com").await;
    let (_, order) = post(&server, &key, "/v1/orders", json!({"amount": 20000})).await;
    let provider_order = order["provider_order_id"].as_str().unwrap();
    let (payment_id, _) = razorpay.pay(provider_order, PayOutcome::Captured).unwrap();
    let hook_url = server.url("/v1/providers/razorpay/webhook");

    let captured = razorpay
        .build_webhook(&RazorpayEvent::PaymentCaptured(payment_id.clone()))
        .unwrap();
    let send = |headers: Vec<(String, String)>, body: Vec<u8>| {
        let mut request = server.client.post(&hook_url).body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let first: Value = send(captured.headers.clone(), captured.body.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["status"], "processed", "{first}");
    let again: Value = send(captured.headers.clone(), captured.body.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["status"], "duplicate");
    let mut tampered = captured.body.clone();
    let at = tampered.iter().position(|b| *b == b'2').unwrap();
    tampered[at] = b'9';
    let response = send(captured.headers.clone(), tampered).await.unwrap();
    assert_eq!(response.status(), 401);

    let order_now: Value = server
        .client
        .get(server.url(&format!("/v1/orders/{}", order["id"].as_str().unwrap())))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(order_now["status"], "paid");
    // A late payment.authorized after the capture changes nothing.
    let late = razorpay
        .build_webhook(&RazorpayEvent::PaymentAuthorized(payment_id.clone()))
        .unwrap();
    let late_answer = send(late.headers, late.body).await.unwrap();
    assert_eq!(late_answer.status(), 200);
    let payments: Value = server
        .client
        .get(server.url("/v1/payments"))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(payments["count"], 1);
    assert_eq!(payments["items"][0]["status"], "captured");
    server.stop().await;
}

/// Polls `path` until `done` holds (the reconciler runs every 100 ms here).
async fn eventually(api: &Api<'_>, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let body = api.ok(api.get(path).await, 200).await;
        if done(&body) {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "{path} never reached the expected state: {}",
        api.ok(api.get(path).await, 200).await
    );
}

#[tokio::test]
async fn the_reconciler_settles_what_no_webhook_reported() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes_and(&razorpay, &cashfree, |c| {
        if let Some(r) = c.razorpay.as_mut() {
            r.timeout_ms = 500;
        }
        c.reconcile_interval_ms = 100;
        c.reconcile_min_age_secs = 1;
    })
    .await;
    let api = Api::new(&server, "reconcile@example.com").await;

    // The customer pays at Razorpay, but neither the browser's verify call
    // nor Razorpay's webhook ever reaches us.
    let order = api
        .ok(api.post("/v1/orders", json!({"amount": 25000})).await, 201)
        .await;
    razorpay
        .pay(
            order["provider_order_id"].as_str().unwrap(),
            PayOutcome::Authorized,
        )
        .unwrap();
    let order_path = format!("/v1/orders/{}", order["id"].as_str().unwrap());
    eventually(&api, &order_path, |o| o["status"] == "paid").await;
    let payments = api.ok(api.get("/v1/payments").await, 200).await;
    assert_eq!(payments["items"][0]["status"], "captured", "{payments}");
    let pid = payments["items"][0]["id"].as_str().unwrap().to_string();

    // A refund whose answer never comes back stays pending, then the
    // reconciler asks again with the same idempotency key: one refund.
    razorpay.set_fault(Fault::Timeout(std::time::Duration::from_secs(2)));
    let refund = api
        .ok(
            api.post(
                &format!("/v1/payments/{pid}/refund"),
                json!({"amount": 5000}),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(refund["status"], "pending", "{refund}");
    razorpay.set_fault(Fault::None);
    let refund_path = format!("/v1/refunds/{}", refund["id"].as_str().unwrap());
    let done = eventually(&api, &refund_path, |r| r["status"] == "processed").await;
    assert!(done["provider_refund_id"]
        .as_str()
        .unwrap()
        .starts_with("rfnd_"));
    let keys: Vec<Option<String>> = razorpay
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/refund"))
        .map(|r| r.idempotency_key)
        .collect();
    assert!(keys.len() >= 2, "asked again after the timeout: {keys:?}");
    assert!(
        keys.iter().all(|k| k.as_deref() == refund["id"].as_str()),
        "every attempt carries the refund's own idempotency key: {keys:?}"
    );
    let payment = api
        .ok(api.get(&format!("/v1/payments/{pid}")).await, 200)
        .await;
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["amount_refunded"].as_i64()
        ),
        (Some("partially_refunded"), Some(5000))
    );
    server.stop().await;
}

/// Security #4: Razorpay applies a refund, but the answer is lost (our
/// request times out after the provider call, so nothing records it); the
/// client retries with the same Idempotency-Key once the key's in-progress
/// record is taken over. Exactly one refund reaches the provider.
#[tokio::test]
async fn a_retried_refund_after_a_lost_answer_refunds_once() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes_and(&razorpay, &cashfree, |c| {
        if let Some(r) = c.razorpay.as_mut() {
            r.timeout_ms = 5_000;
        }
        c.request_timeout_ms = 500;
        c.reconcile_interval_ms = 0;
    })
    .await;
    let api = Api::new(&server, "refund-once@example.com").await;
    let (_, payment) = api.paid_at_razorpay(&razorpay, 40000).await;
    let pid = payment["id"].as_str().unwrap().to_string();
    let refund_path = format!("/v1/payments/{pid}/refund");
    let refund_once = |api: &Api<'_>| {
        let request = server
            .client
            .post(server.url(&refund_path))
            .header("X-Finvex-Key", &api.key)
            .header("Idempotency-Key", "refund-order-40000-half")
            .json(&json!({"amount": 10000}));
        request.send()
    };

    // Razorpay applies the refund and holds its answer past our timeout.
    razorpay.set_fault(Fault::Timeout(std::time::Duration::from_secs(2)));
    let first = refund_once(&api).await.unwrap();
    assert_eq!(first.status(), 503, "the request timed out");
    razorpay.set_fault(Fault::None);
    // The key's in-progress record is taken over once it is older than the
    // takeover window; age it rather than wait two minutes.
    let store = finvex_core::store::SqlStore::open(&server.database_url)
        .await
        .unwrap();
    use finvex_core::store::sql::Executor;
    store
        .db()
        .execute(
            "UPDATE idempotency_keys SET created_at = created_at - 600, locked_at = locked_at - 600",
            &[],
        )
        .await
        .unwrap();
    let retried = refund_once(&api).await.unwrap();
    let status = retried.status().as_u16();
    let refund: Value = retried.json().await.unwrap();
    assert_eq!(status, 201, "{refund}");
    assert_eq!(refund["status"], "processed", "{refund}");

    let keys: Vec<Option<String>> = razorpay
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/refund"))
        .map(|r| r.idempotency_key)
        .collect();
    assert!(
        keys.iter().all(|k| k.as_deref() == refund["id"].as_str()),
        "one refund at Razorpay, asked for under one key: {keys:?}"
    );
    let refunds = api.ok(api.get("/v1/refunds").await, 200).await;
    assert_eq!(refunds["count"], 1, "{refunds}");
    let payment = api
        .ok(api.get(&format!("/v1/payments/{pid}")).await, 200)
        .await;
    assert_eq!(payment["amount_refunded"], 10000, "{payment}");
    server.stop().await;
}

/// Security #2: signing up gives test mode only. Live mode (keys, sessions,
/// orders) needs the operator's verification, and the installation's own
/// live accounts serve only the merchants the operator allows.
#[tokio::test]
async fn live_mode_is_for_verified_merchants_and_installation_accounts_for_allowed_ones() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes_and(&razorpay, &cashfree, |c| {
        if let Some(r) = c.razorpay.as_mut() {
            r.mode = "live".into();
        }
        c.cashfree = None;
    })
    .await;
    let live_key = |token: String| {
        let server = &server;
        async move {
            let response = server
                .client
                .post(server.url("/v1/keys"))
                .bearer_auth(&token)
                .json(&json!({"mode": "live"}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (
                status,
                body["secret_key"].as_str().unwrap_or("").to_string(),
            )
        }
    };

    // Anyone who signs up: no live key, no live session.
    let stranger = server.signup("stranger-live@example.com").await;
    assert_eq!(live_key(stranger.clone()).await.0, 403);
    let live_session = server
        .client
        .get(server.url("/v1/merchant"))
        .bearer_auth(&stranger)
        .header("X-Finvex-Mode", "live")
        .send()
        .await
        .unwrap();
    assert_eq!(live_session.status(), 403);

    // Verified, without the installation's accounts: its own accounts only.
    let own = server.signup("own-accounts-live@example.com").await;
    server
        .state
        .auth
        .verify_merchant("own-accounts-live@example.com", false)
        .await
        .unwrap();
    let (status, own_key) = live_key(own).await;
    assert_eq!(status, 201);
    let (status, err) = post(&server, &own_key, "/v1/orders", json!({"amount": 50000})).await;
    assert!(
        (400..500).contains(&status),
        "no installation account for this merchant: {status} {err}"
    );

    // Verified and allowed: the installation's live Razorpay account serves it.
    let allowed = server.signup("allowed-live@example.com").await;
    let merchant = server
        .state
        .auth
        .verify_merchant("allowed-live@example.com", true)
        .await
        .unwrap();
    assert!(merchant.installation_accounts_live);
    let (status, allowed_key) = live_key(allowed).await;
    assert_eq!(status, 201);
    let (status, order) = post(
        &server,
        &allowed_key,
        "/v1/orders",
        json!({"amount": 50000}),
    )
    .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(
        (order["provider"].as_str(), order["mode"].as_str()),
        (Some("razorpay"), Some("live"))
    );

    // A merchant demoted later loses live mode at once, keys included.
    let id = finvex_core::ids::MerchantId::parse(merchant.id.as_str()).unwrap();
    server
        .state
        .auth
        .set_role(&id, finvex_core::merchants::Role::Merchant)
        .await
        .unwrap();
    let (status, _) = post(
        &server,
        &allowed_key,
        "/v1/orders",
        json!({"amount": 50000}),
    )
    .await;
    assert_eq!(status, 403);
    server.stop().await;
}

/// Security #7: two merchants on the installation's Cashfree account pick
/// the same Idempotency-Key. Each gets its own order: the key Cashfree sees
/// is derived per tenant, never the merchant's raw key.
#[tokio::test]
async fn tenants_sharing_an_account_never_collide_on_idempotency_keys() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let server = with_fakes_and(&razorpay, &cashfree, |c| c.razorpay = None).await;
    let mut orders = Vec::new();
    for email in ["first-tenant@example.com", "second-tenant@example.com"] {
        let api = Api::new(&server, email).await;
        let response = server
            .client
            .post(server.url("/v1/orders"))
            .header("X-Finvex-Key", &api.key)
            .header("Idempotency-Key", "order-0001")
            .json(&json!({"amount": 50000, "customer": {"phone": "+919876543210"}}))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let order: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{email}: {order}");
        assert_eq!(order["provider"], "cashfree");
        orders.push(order);
    }
    assert_ne!(
        orders[0]["provider_order_id"],
        orders[1]["provider_order_id"]
    );
    let keys: Vec<String> = cashfree
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/orders"))
        .filter_map(|r| r.idempotency_key)
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert_ne!(keys[0], keys[1]);
    assert!(keys.iter().all(|k| !k.contains("order-0001")), "{keys:?}");
    server.stop().await;
}
