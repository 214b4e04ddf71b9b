//! Merchants' own provider accounts: credentials checked, sealed at rest and
//! never shown again; orders and webhooks served by the merchant's account;
//! each merchant's own sandbox secret, with which it verifies signatures.

use crate::common::{error_of, hmac_sha256_hex, Api, TestServer};
use finvex_core::providers::accounts::ProviderAccountStore;
use finvex_providers::fakes::{CashfreeFake, PayOutcome, RazorpayEvent, RazorpayFake};

use serde_json::{json, Value};

#[tokio::test]
async fn merchants_connect_their_own_accounts_sealed_at_rest() {
    let (razorpay, cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let (rzp_url, cf_url) = (razorpay.base_url(), cashfree.base_url());
    // No installation account: only what merchants connect themselves.
    let server = TestServer::start_with(move |c| {
        c.razorpay_api_url = rzp_url;
        c.cashfree_test_api_url = cf_url;
        c.provider_timeout_ms = 2_000;
    })
    .await;
    let alice = Api::new(&server, "alice-accounts@example.com").await;
    let bob = Api::new(&server, "bob-accounts@example.com").await;
    let creds = json!({
        "key_id": razorpay.key_id(),
        "key_secret": razorpay.key_secret(),
        "webhook_secret": razorpay.webhook_secret(),
    });

    // Checked before they are kept: fields, mode, and the provider's own answer.
    for (body, status, field) in [
        (
            json!({"key_id": razorpay.key_id()}),
            400,
            Some("key_secret"),
        ),
        (
            json!({"key_id": "rzp_live_x", "key_secret": "s", "webhook_secret": "w"}),
            400,
            Some("key_id"),
        ),
        (
            json!({"client_id": "x", "key_id": razorpay.key_id()}),
            400,
            Some("client_id"),
        ),
        (
            json!({"key_id": razorpay.key_id(), "key_secret": "wrong", "webhook_secret": "w"}),
            422,
            None,
        ),
    ] {
        let (got, err) = error_of(
            alice
                .session_put("/v1/providers/razorpay/credentials", body)
                .await,
        )
        .await;
        assert_eq!((got, err["field"].as_str()), (status, field), "{err}");
    }
    let (got, _) = error_of(
        alice
            .session_put("/v1/providers/sandbox/credentials", creds.clone())
            .await,
    )
    .await;
    assert_eq!(got, 404);

    let account = alice
        .ok(
            alice
                .session_put("/v1/providers/razorpay/credentials", creds.clone())
                .await,
            200,
        )
        .await;
    let text = account.to_string();
    assert!(
        !text.contains(razorpay.key_secret()) && !text.contains(razorpay.webhook_secret()),
        "{text}"
    );
    assert_eq!(account["public_id"], razorpay.key_id());
    let listed = alice
        .ok(alice.get("/v1/providers/credentials").await, 200)
        .await;
    assert_eq!(listed["items"][0]["provider"], "razorpay");
    assert!(!listed.to_string().contains(razorpay.key_secret()));
    let none = bob
        .ok(bob.get("/v1/providers/credentials").await, 200)
        .await;
    assert_eq!(none["count"], 0);

    // Sealed at rest: the database holds no secret.
    let store = finvex_core::store::SqlStore::open(&server.database_url)
        .await
        .unwrap();
    let merchant: Value = alice.ok(alice.get("/v1/merchant").await, 200).await;
    let scope = finvex_core::Scope::new(
        finvex_core::ids::MerchantId::parse(merchant["id"].as_str().unwrap()).unwrap(),
        finvex_core::Mode::Test,
    );
    let stored = store.provider_accounts(&scope).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].sealed.starts_with("v1."));
    assert!(!stored[0].sealed.contains(razorpay.key_secret()));
    assert!(!stored[0].sealed.contains(razorpay.webhook_secret()));

    // Alice's orders go to her Razorpay account; Bob's to his sandbox.
    let order = alice
        .ok(
            alice.post("/v1/orders", json!({"amount": 30000})).await,
            201,
        )
        .await;
    assert_eq!(order["provider"], "razorpay", "{order}");
    let theirs = bob
        .ok(bob.post("/v1/orders", json!({"amount": 30000})).await, 201)
        .await;
    assert_eq!(theirs["provider"], "sandbox", "{theirs}");

    // Razorpay posts to Alice's own webhook URL, signed with her secret.
    let (payment_id, _) = razorpay
        .pay(
            order["provider_order_id"].as_str().unwrap(),
            PayOutcome::Captured,
        )
        .unwrap();
    let own_url = server.url(account["webhook_path"].as_str().unwrap());
    let sent = razorpay
        .send_webhook(&own_url, RazorpayEvent::PaymentCaptured(payment_id.clone()))
        .await
        .unwrap();
    assert_eq!(sent.status, 200, "{sent:?}");
    let paid = alice
        .ok(
            alice
                .get(&format!("/v1/orders/{}", order["id"].as_str().unwrap()))
                .await,
            200,
        )
        .await;
    assert_eq!(paid["status"], "paid");
    // The same event at Bob's URL: Bob has no Razorpay account.
    let bob_merchant: Value = bob.ok(bob.get("/v1/merchant").await, 200).await;
    let bob_url = server.url(&format!(
        "/v1/providers/razorpay/webhook/{}/test",
        bob_merchant["id"].as_str().unwrap()
    ));
    let sent = razorpay
        .send_webhook(&bob_url, RazorpayEvent::PaymentCaptured(payment_id))
        .await
        .unwrap();
    assert_eq!(sent.status, 404, "{sent:?}");

    // Disconnected: Alice is back on the sandbox.
    let response = alice
        .session_call(
            reqwest::Method::DELETE,
            "/v1/providers/razorpay/credentials",
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let after = alice
        .ok(
            alice.post("/v1/orders", json!({"amount": 30000})).await,
            201,
        )
        .await;
    assert_eq!(after["provider"], "sandbox", "{after}");
    let response = alice
        .session_call(
            reqwest::Method::DELETE,
            "/v1/providers/razorpay/credentials",
            None,
        )
        .await;
    assert_eq!(response.status(), 404);

    // Cashfree credentials are checked against Cashfree too.
    let cf = json!({"client_id": cashfree.client_id(), "client_secret": cashfree.client_secret()});
    let connected = bob
        .ok(
            bob.session_put("/v1/providers/cashfree/credentials", cf)
                .await,
            200,
        )
        .await;
    assert_eq!(connected["public_id"], cashfree.client_id());
    let (status, err) = error_of(bob.post("/v1/orders", json!({"amount": 30000})).await).await;
    assert_eq!(
        status, 422,
        "Cashfree's refusal is the merchant's to fix, not an outage: {err}"
    );
    assert!(err["message"].as_str().unwrap().contains("phone"), "{err}");
    let routed = bob
        .ok(
            bob.post(
                "/v1/orders",
                json!({"amount": 30000, "customer": {"phone": "+919876543210"}}),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(routed["provider"], "cashfree", "{routed}");
}

#[tokio::test]
async fn each_merchant_verifies_sandbox_signatures_with_its_own_secret() {
    let server = TestServer::start().await;
    let alice = Api::new(&server, "alice-sandbox@example.com").await;
    let bob = Api::new(&server, "bob-sandbox@example.com").await;
    let mine = alice
        .ok(alice.get("/v1/sandbox/credentials").await, 200)
        .await;
    let theirs = bob.ok(bob.get("/v1/sandbox/credentials").await, 200).await;
    assert_ne!(mine["key_secret"], theirs["key_secret"]);

    let order = alice
        .ok(
            alice.post("/v1/orders", json!({"amount": 50000})).await,
            201,
        )
        .await;
    let paid = alice
        .ok(
            alice
                .post(
                    &format!("/v1/sandbox/orders/{}/pay", order["id"].as_str().unwrap()),
                    json!({"instrument": "success@finvex"}),
                )
                .await,
            200,
        )
        .await;
    // What an integration does on its server, as with Razorpay's key secret.
    let message = format!(
        "{}|{}",
        order["provider_order_id"].as_str().unwrap(),
        paid["payment_id"].as_str().unwrap()
    );
    assert_eq!(
        paid["signature"].as_str().unwrap(),
        hmac_sha256_hex(mine["key_secret"].as_str().unwrap(), message.as_bytes())
    );
    assert_ne!(
        paid["signature"].as_str().unwrap(),
        hmac_sha256_hex(theirs["key_secret"].as_str().unwrap(), message.as_bytes())
    );

    // Bob cannot pay or verify Alice's sandbox order.
    let (status, _) = error_of(
        bob.post(
            &format!("/v1/sandbox/orders/{}/pay", order["id"].as_str().unwrap()),
            json!({"instrument": "success@finvex"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
}

/// Security #3: replacing or removing the account money goes to is a
/// dashboard action; a leaked API key gets 403 and changes nothing.
#[tokio::test]
async fn an_api_key_cannot_replace_or_remove_provider_credentials() {
    let razorpay = RazorpayFake::start().await.unwrap();
    let url = razorpay.base_url();
    let server = TestServer::start_with(move |c| c.razorpay_api_url = url).await;
    let alice = Api::new(&server, "alice-leaked-key@example.com").await;
    let creds = json!({
        "key_id": razorpay.key_id(),
        "key_secret": razorpay.key_secret(),
        "webhook_secret": razorpay.webhook_secret(),
    });
    let (status, err) = error_of(
        alice
            .put("/v1/providers/razorpay/credentials", creds.clone())
            .await,
    )
    .await;
    assert_eq!(status, 403, "{err}");
    alice
        .ok(
            alice
                .session_put("/v1/providers/razorpay/credentials", creds)
                .await,
            200,
        )
        .await;
    let (status, _) = error_of(
        alice
            .call(
                reqwest::Method::DELETE,
                "/v1/providers/razorpay/credentials",
                None,
            )
            .await,
    )
    .await;
    assert_eq!(status, 403);
    let listed = alice
        .ok(alice.get("/v1/providers/credentials").await, 200)
        .await;
    assert_eq!(listed["count"], 1, "still connected: {listed}");
}

/// Security #6: a merchant signs the webhooks of its own account, so a body
/// it signed proves nothing about a payment. A forged "captured" for an
/// unpaid order is checked with the provider first and changes nothing.
#[tokio::test]
async fn a_forged_merchant_signed_webhook_does_not_pay_an_order() {
    let razorpay = RazorpayFake::start().await.unwrap();
    let url = razorpay.base_url();
    let server = TestServer::start_with(move |c| {
        c.razorpay_api_url = url;
        c.provider_timeout_ms = 2_000;
    })
    .await;
    let mallory = Api::new(&server, "mallory-forges@example.com").await;
    let account = mallory.connect_razorpay(&razorpay).await;
    let unpaid = mallory
        .ok(
            mallory.post("/v1/orders", json!({"amount": 30000})).await,
            201,
        )
        .await;
    let paid = mallory
        .ok(
            mallory.post("/v1/orders", json!({"amount": 30000})).await,
            201,
        )
        .await;
    let (real_payment, _) = razorpay
        .pay(
            paid["provider_order_id"].as_str().unwrap(),
            PayOutcome::Captured,
        )
        .unwrap();
    // A genuine event, rewritten to claim the unpaid order with an invented payment.
    let genuine = razorpay
        .build_webhook(&RazorpayEvent::PaymentCaptured(real_payment.clone()))
        .unwrap();
    let forged_body = String::from_utf8(genuine.body)
        .unwrap()
        .replace(
            paid["provider_order_id"].as_str().unwrap(),
            unpaid["provider_order_id"].as_str().unwrap(),
        )
        .replace(&real_payment, "pay_Forged000000001");
    let signature = hmac_sha256_hex(razorpay.webhook_secret(), forged_body.as_bytes());
    let response = server
        .client
        .post(server.url(account["webhook_path"].as_str().unwrap()))
        .header("x-razorpay-signature", signature)
        .header("x-razorpay-event-id", "evt_forged_1")
        .header("content-type", "application/json")
        .body(forged_body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let order = mallory
        .ok(
            mallory
                .get(&format!("/v1/orders/{}", unpaid["id"].as_str().unwrap()))
                .await,
            200,
        )
        .await;
    assert_ne!(
        order["status"], "paid",
        "forged webhook ({status}) paid {order}"
    );
    let payments = mallory.ok(mallory.get("/v1/payments").await, 200).await;
    assert!(
        !payments.to_string().contains("pay_Forged000000001"),
        "{payments}"
    );
}
