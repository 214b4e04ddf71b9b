//! The security review's remaining items, end to end on the real server:
//! webhook targets in other spellings, unauthenticated webhook URLs with
//! made-up tenants, account enumeration at signup, unbounded customer
//! names, and settlement syncs against the installation's account.

use crate::common::{error_of, Api, TestServer};
use finvex_providers::fakes::{CashfreeFake, RazorpayFake};
use serde_json::json;

/// #14: loopback and the cloud metadata address in other spellings are
/// refused when the endpoint is created, not only when a delivery is sent.
#[tokio::test]
async fn webhook_urls_in_other_spellings_of_internal_addresses_are_refused() {
    let server = TestServer::start_with(|c| c.webhook_allow_private = false).await;
    let api = Api::new(&server, "ssrf@example.com").await;
    for url in [
        "http://0x7f000001/x",
        "http://2130706433/x",
        "http://[64:ff9b::a9fe:a9fe]/x",
        "http://[::127.0.0.1]/x",
        "http://[2002:a9fe:a9fe::]/x",
        "http://[fec0::1]/x",
    ] {
        let (status, err) = error_of(api.post("/v1/webhooks", json!({"url": url})).await).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (400, Some("url")),
            "{url}: {err}"
        );
    }
    let ok = api
        .post(
            "/v1/webhooks",
            json!({"url": "https://hooks.example.com/finvex"}),
        )
        .await;
    assert_eq!(ok.status(), 201);
    server.stop().await;
}

/// #15: webhook URLs anyone can call with made-up merchant ids answer 404
/// and never take a place in the provider-account cache.
#[tokio::test]
async fn made_up_tenants_on_provider_webhook_urls_do_not_fill_the_cache() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "cache-owner@example.com").await;
    api.ok(api.post("/v1/orders", json!({"amount": 10000})).await, 201)
        .await;
    let before = server.state.gateway.cached_account_sets();
    for _ in 0..50 {
        let id = finvex_core::ids::MerchantId::generate();
        let response = server
            .client
            .post(server.url(&format!("/v1/providers/razorpay/webhook/{id}/test")))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
    assert_eq!(server.state.gateway.cached_account_sets(), before);
    server.stop().await;
}

/// #15: probing which emails have accounts spends the address's failure
/// budget: after it, the address gets 429 for the rest of the minute.
#[tokio::test]
async fn signup_probes_for_taken_emails_are_throttled() {
    let server = TestServer::start_with(|c| c.auth_failures_per_minute = 3).await;
    server.signup("taken@example.com").await;
    let probe = || {
        server
            .client
            .post(server.url("/v1/auth/signup"))
            .json(&json!({"name": "x", "email": "taken@example.com", "password": "a long password 2"}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(probe().await.unwrap().status(), 409);
    }
    assert_eq!(probe().await.unwrap().status(), 429);
    server.stop().await;
}

/// #15: a customer name is bounded like every other field.
#[tokio::test]
async fn customer_names_are_bounded() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "long-names@example.com").await;
    let (status, err) = error_of(
        api.post(
            "/v1/orders",
            json!({"amount": 10000, "customer": {"name": "n".repeat(101)}}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (400, Some("customer.name"))
    );
    api.ok(
        api.post(
            "/v1/orders",
            json!({"amount": 10000, "customer": {"name": "n".repeat(100)}}),
        )
        .await,
        201,
    )
    .await;
    server.stop().await;
}

/// #15: a tenant may make the installation's account list its settlements
/// once per 15 minutes, not on every request.
#[tokio::test]
async fn settlement_syncs_against_the_installation_account_are_throttled() {
    let (razorpay, _cashfree) = (
        RazorpayFake::start().await.unwrap(),
        CashfreeFake::start().await.unwrap(),
    );
    let settings = crate::common::razorpay_settings(&razorpay, "test");
    let server = TestServer::start_with(move |c| c.razorpay = Some(settings)).await;
    let api = Api::new(&server, "sync-often@example.com").await;
    let first = api
        .ok(api.post("/v1/settlements/sync", json!({})).await, 200)
        .await;
    assert!(first["errors"].as_array().unwrap().is_empty(), "{first}");
    let listed = |razorpay: &RazorpayFake| {
        razorpay
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/v1/settlements"))
            .count()
    };
    let asked = listed(&razorpay);
    assert!(asked >= 1);
    let second = api
        .ok(api.post("/v1/settlements/sync", json!({})).await, 200)
        .await;
    assert!(
        second["errors"][0].as_str().unwrap().contains("15 minutes"),
        "{second}"
    );
    assert_eq!(
        listed(&razorpay),
        asked,
        "the second sync asked Razorpay nothing"
    );
    server.stop().await;
}
