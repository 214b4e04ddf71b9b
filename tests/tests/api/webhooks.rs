//! Outgoing webhooks through the real server to real receivers.

use std::collections::HashSet;
use std::time::Duration;

use crate::common::receiver::{Received, Receiver};
use crate::common::{error_of, TestServer};
use serde_json::{json, Value};

/// The documented algorithm, written out independently of finvex-core.
fn documented_signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", crate::common::hmac_sha256_hex(secret, body))
}

fn assert_signed(received: &Received, secret: &str) {
    assert_eq!(
        received.header("x-finvex-signature"),
        documented_signature(secret, &received.body)
    );
    assert!(finvex_core::webhooks::signing::verify(
        secret,
        &received.body,
        received.header("x-finvex-signature")
    ));
    let event = received.json();
    assert_eq!(
        received.header("x-finvex-event-id"),
        event["id"].as_str().unwrap()
    );
    assert_eq!(
        received.header("x-finvex-timestamp"),
        event["created_at"].to_string()
    );
    // Security #13: the timestamped scheme, `t=<send time>,v1=HMAC("t.body")`.
    let header = received.header("finvex-signature");
    let (t, v1) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .unwrap_or_else(|| panic!("malformed Finvex-Signature {header:?}"));
    let sent_at: i64 = t.parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - sent_at).abs() <= 60, "t is the send time: {header}");
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(&received.body);
    let first_v1 = v1.split(",v1=").next().unwrap();
    assert_eq!(
        first_v1,
        crate::common::hmac_sha256_hex(secret, &signed),
        "{header}"
    );
    assert!(finvex_core::webhooks::signing::verify_timestamped(
        secret,
        &received.body,
        header,
        now,
        finvex_core::webhooks::signing::DEFAULT_TOLERANCE_SECS
    ));
}

async fn create_endpoint(server: &TestServer, key: &str, url: &str, events: Value) -> Value {
    let response = server
        .client
        .post(server.url("/v1/webhooks"))
        .header("X-Finvex-Key", key)
        .json(&json!({"url": url, "events": events, "description": "test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn get(server: &TestServer, key: &str, path: &str) -> Value {
    let response = server
        .client
        .get(server.url(path))
        .header("X-Finvex-Key", key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

/// Creates `n` API keys: each emits an `api_key.created` event.
/// `n` `api_key.created` events; each key is revoked again, so the
/// merchant stays under its cap of active keys.
async fn make_events(server: &TestServer, token: &str, n: usize) {
    for i in 0..n {
        let key = server
            .create_key(token, json!({"name": format!("k{i}")}))
            .await;
        let revoked = server
            .client
            .delete(server.url(&format!("/v1/keys/{}", key["id"].as_str().unwrap())))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(revoked.status(), 200);
    }
}

#[tokio::test]
async fn events_reach_a_receiver_signed_and_listed() {
    let server = TestServer::start().await;
    let (token, key) = server.merchant_with_key("hooks@example.com").await;
    let receiver = Receiver::start().await;
    let endpoint =
        create_endpoint(&server, &key, &receiver.url(), json!(["api_key.created"])).await;
    let secret = endpoint["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let listed = get(&server, &key, "/v1/webhooks").await;
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is shown once"
    );

    make_events(&server, &token, 3).await;
    let received = receiver.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 3);
    for r in &received {
        assert_signed(r, &secret);
        let event = r.json();
        assert_eq!(event["event"], "api_key.created");
        assert_eq!(event["mode"], "test");
        assert!(event["data"]["id"].as_str().unwrap().starts_with("key_"));
        assert!(
            event["data"].get("secret_key").is_none(),
            "event data never carries the key's secret"
        );
    }

    let events = get(&server, &key, "/v1/events?count=100").await;
    let created: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "api_key.created")
        .collect();
    assert_eq!(
        created.len(),
        4,
        "the merchant's first key plus three: {events}"
    );
    let one = get(
        &server,
        &key,
        &format!("/v1/events/{}", received[0].json()["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        one,
        received[0].json(),
        "the stored event is the delivered payload"
    );

    let deliveries = get(
        &server,
        &key,
        &format!(
            "/v1/webhooks/{}/deliveries",
            endpoint["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(deliveries["count"], 3);
    assert!(deliveries["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "succeeded" && d["attempts"] == 1));
    server.stop().await;
}

#[tokio::test]
async fn the_test_endpoint_reports_the_delivery() {
    let server = TestServer::start().await;
    let (_, key) = server.merchant_with_key("ping@example.com").await;
    let receiver = Receiver::start().await;
    let endpoint = create_endpoint(&server, &key, &receiver.url(), json!("*")).await;
    let id = endpoint["id"].as_str().unwrap();
    let result: Value = server
        .client
        .post(server.url(&format!("/v1/webhooks/{id}/test")))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(result["success"], true, "{result}");
    assert_eq!(result["status_code"], 200);
    assert!(result["latency_ms"].is_i64());
    let got = receiver.received();
    assert_eq!(
        got.len(),
        1,
        "the worker does not send the test event a second time"
    );
    assert_eq!(got[0].json()["event"], "webhook.test");
    assert_signed(&got[0], endpoint["secret"].as_str().unwrap());

    receiver.answer_with(500);
    let result: Value = server
        .client
        .post(server.url(&format!("/v1/webhooks/{id}/test")))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (result["success"].clone(), result["status_code"].clone()),
        (json!(false), json!(500))
    );
    server.stop().await;
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_the_event_once_it_is_up() {
    let server = TestServer::start().await;
    let (token, key) = server.merchant_with_key("down@example.com").await;
    let address = Receiver::reserve_port();
    let endpoint = create_endpoint(
        &server,
        &key,
        &format!("http://{address}/hook"),
        json!(["api_key.created"]),
    )
    .await;
    let id = endpoint["id"].as_str().unwrap().to_string();
    make_events(&server, &token, 1).await;

    // Wait until at least two attempts have failed.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let delivery = loop {
        let list = get(&server, &key, &format!("/v1/webhooks/{id}/deliveries")).await;
        let delivery = list["items"][0].clone();
        if delivery["attempts"].as_i64().unwrap_or(0) >= 2 || tokio::time::Instant::now() > deadline
        {
            break delivery;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(delivery["status"], "pending");
    assert!(delivery["next_attempt_at_ms"].is_i64());
    assert!(delivery["last_error"].as_str().unwrap().contains("connect"));

    let receiver = Receiver::start_on(tokio::net::TcpListener::bind(address).await.unwrap());
    let received = receiver.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(received.len(), 1);
    assert_signed(&received[0], endpoint["secret"].as_str().unwrap());
    // The attempt is recorded once the worker's round ends, just after the
    // receiver has answered: wait for it (bounded).
    let path = format!(
        "/v1/webhooks/{id}/deliveries/{}",
        delivery["id"].as_str().unwrap()
    );
    let recorded_by = tokio::time::Instant::now() + Duration::from_secs(5);
    let detail = loop {
        let detail = get(&server, &key, &path).await;
        if detail["status"] != "pending" || tokio::time::Instant::now() > recorded_by {
            break detail;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let log = detail["attempt_log"].as_array().unwrap();
    assert!(log.len() >= 3, "every attempt is logged: {detail}");
    assert!(log[..log.len() - 1]
        .iter()
        .all(|a| a["status_code"].is_null()));
    assert_eq!(log.last().unwrap()["status_code"], 200);
    assert_eq!(detail["status"], "succeeded");
    server.stop().await;
}

#[tokio::test]
async fn manual_retry_and_secret_rotation() {
    let server = TestServer::start().await;
    let (_, key) = server.merchant_with_key("rotate@example.com").await;
    let receiver = Receiver::start().await;
    let endpoint = create_endpoint(&server, &key, &receiver.url(), json!("*")).await;
    let id = endpoint["id"].as_str().unwrap();
    let old_secret = endpoint["secret"].as_str().unwrap();
    let test: Value = server
        .client
        .post(server.url(&format!("/v1/webhooks/{id}/test")))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let rotated: Value = server
        .client
        .post(server.url(&format!("/v1/webhooks/{id}/rotate-secret")))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_secret = rotated["secret"].as_str().unwrap();
    assert_ne!(new_secret, old_secret);

    let retried = server
        .client
        .post(server.url(&format!(
            "/v1/webhooks/{id}/deliveries/{}/retry",
            test["delivery_id"].as_str().unwrap()
        )))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(retried.status(), 200);
    let got = receiver.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 2, "the retried delivery is sent again");
    assert_eq!(
        got[0].json()["id"],
        got[1].json()["id"],
        "same event id, so receivers can de-duplicate"
    );
    assert_signed(&got[1], new_secret);
    let previous = got[1].header("x-finvex-signature-previous");
    assert_eq!(
        previous,
        documented_signature(old_secret, &got[1].body),
        "the old secret keeps verifying for 24 h"
    );
    server.stop().await;
}

#[tokio::test]
async fn endpoints_are_validated_and_isolated() {
    let server = TestServer::start_with(|c| c.webhook_allow_private = false).await;
    let (_, key) = server.merchant_with_key("ssrf@example.com").await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest",
        "ftp://example.com/x",
        "http://localhost/x",
    ] {
        let (status, error) = error_of(
            server
                .client
                .post(server.url("/v1/webhooks"))
                .header("X-Finvex-Key", &key)
                .json(&json!({"url": url}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some("url")),
            "{url}"
        );
    }
    let (status, error) = error_of(
        server
            .client
            .post(server.url("/v1/webhooks"))
            .header("X-Finvex-Key", &key)
            .json(&json!({"url": "https://example.com/hook", "events": ["Not An Event"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, error["field"].as_str()), (400, Some("events")));
    // Well formed but not in the catalogue: a typo would subscribe to nothing.
    let (status, error) = error_of(
        server
            .client
            .post(server.url("/v1/webhooks"))
            .header("X-Finvex-Key", &key)
            .json(&json!({"url": "https://example.com/hook", "events": ["payment.capture"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (400, Some("events")),
        "{error}"
    );
    let types = get(&server, &key, "/v1/events/types").await;
    let names: Vec<&str> = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["type"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"payment.captured") && names.contains(&"refund.processed"),
        "{types}"
    );
    assert!(types["items"][0]["description"].is_string());

    let created = create_endpoint(&server, &key, "https://example.com/hook", json!("*")).await;
    let id = created["id"].as_str().unwrap();
    let (_, other_key) = server.merchant_with_key("other@example.com").await;
    for path in [
        format!("/v1/webhooks/{id}/deliveries"),
        format!("/v1/webhooks/{id}/deliveries/finvex_whd_01jd0000000000000000000000"),
    ] {
        let (status, _) = error_of(
            server
                .client
                .get(server.url(&path))
                .header("X-Finvex-Key", &other_key)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = error_of(
        server
            .client
            .delete(server.url(&format!("/v1/webhooks/{id}")))
            .header("X-Finvex-Key", &other_key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    let others = get(&server, &other_key, "/v1/events").await;
    assert!(others["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| !e.to_string().contains(id)));
    let deleted = server
        .client
        .delete(server.url(&format!("/v1/webhooks/{id}")))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    assert_eq!(get(&server, &key, "/v1/webhooks").await["count"], 0);
    server.stop().await;
}

#[tokio::test]
async fn two_instances_on_postgres_deliver_each_event_once() {
    let Some(url) = crate::common::postgres_url() else {
        return;
    };
    // Both instances share the database's master key (TestServer derives
    // the one key of the shared test database).
    let configure = |c: &mut finvex_server::config::Config| {
        c.database_url = url.clone();
        c.webhook_poll_ms = 20;
        c.webhook_batch = 4;
    };
    let first = TestServer::start_with(configure).await;
    let second = TestServer::start_with(configure).await;
    let email = format!(
        "pg-hooks-{}@example.com",
        finvex_core::ids::MerchantId::generate()
    );
    let (token, key) = first.merchant_with_key(&email).await;
    let receiver = Receiver::start().await;
    let endpoint =
        create_endpoint(&second, &key, &receiver.url(), json!(["api_key.created"])).await;
    const N: usize = 40;
    make_events(&first, &token, N).await;
    let received = receiver.wait_for(N, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received_after = receiver.received();
    let ids: HashSet<String> = received_after
        .iter()
        .map(|r| r.json()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(received.len(), N);
    assert_eq!(ids.len(), N, "every event arrived");
    assert_eq!(received_after.len(), N, "and none twice");
    for r in &received_after {
        assert_signed(r, endpoint["secret"].as_str().unwrap());
    }
    first.stop().await;
    second.stop().await;
}
