//! The foundation's promises, checked through real HTTP.

use crate::common::{error_of, TestServer};
use serde_json::{json, Value};

#[tokio::test]
async fn a_newcomer_curls_the_merchant_with_the_printed_key() {
    let server = TestServer::start().await;
    let key = server
        .demo_key
        .clone()
        .expect("an empty database creates a demo merchant");
    let response = server
        .client
        .get(server.url("/v1/merchant"))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let merchant: Value = response.json().await.unwrap();
    assert_eq!(merchant["entity"], "merchant");
    assert_eq!(merchant["email"], "demo@finvex.local");
    assert!(merchant["id"].as_str().unwrap().starts_with("merchant_"));
    server.stop().await;
}

#[tokio::test]
async fn wrong_or_missing_credentials_get_401_json() {
    let server = TestServer::start().await;
    let key = server.demo_key.clone().unwrap();
    let (prefix, _) = key.split_once(':').unwrap();
    let wrong_secret = format!("{prefix}:{}", "0".repeat(64));
    let live_prefix = key.replacen("finvex_test_", "finvex_live_", 1);
    for header in [
        Some(wrong_secret),
        Some(live_prefix),
        Some("garbage".to_string()),
        None,
    ] {
        let mut request = server.client.get(server.url("/v1/merchant"));
        if let Some(value) = &header {
            request = request.header("X-Finvex-Key", value);
        }
        let (status, error) = error_of(request.send().await.unwrap()).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (401, Some("unauthenticated")),
            "{header:?}"
        );
    }
    let (status, _) = error_of(
        server
            .client
            .get(server.url("/v1/merchant"))
            .bearer_auth("not.a.jwt")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    server.stop().await;
}

#[tokio::test]
async fn signup_login_keys_and_revocation() {
    let server = TestServer::start().await;
    let token = server.signup("Founder@Acme.in").await;
    let (status, error) = error_of(
        server
            .client
            .post(server.url("/v1/auth/signup"))
            .json(
                &json!({"name": "Twin", "email": "founder@acme.in", "password": "another long pw"}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (409, Some("email")),
        "emails are case-insensitive and unique"
    );

    let login = server
        .client
        .post(server.url("/v1/auth/login"))
        .json(&json!({"email": "founder@acme.in", "password": "a long password 1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let session: Value = login.json().await.unwrap();
    assert_eq!(session["token_type"], "Bearer");
    let (status, _) = error_of(
        server
            .client
            .post(server.url("/v1/auth/login"))
            .json(&json!({"email": "founder@acme.in", "password": "wrong password!"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);

    let created = server.create_key(&token, json!({"name": "backend"})).await;
    let secret_key = created["secret_key"].as_str().unwrap().to_string();
    assert!(secret_key.starts_with("finvex_test_key_"));
    assert_eq!(created["mode"], "test");
    // Live keys are for merchants the operator verified (security #2).
    let refused = server
        .client
        .post(server.url("/v1/keys"))
        .bearer_auth(&token)
        .json(&json!({"mode": "live"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    server
        .state
        .auth
        .verify_merchant("founder@acme.in", false)
        .await
        .unwrap();
    let live = server.create_key(&token, json!({"mode": "live"})).await;
    assert!(live["secret_key"]
        .as_str()
        .unwrap()
        .starts_with("finvex_live_"));

    // The key works, and the secret is never shown again.
    let me: Value = server
        .client
        .get(server.url("/v1/merchant"))
        .header("X-Finvex-Key", &secret_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "founder@acme.in");
    let list: Value = server
        .client
        .get(server.url("/v1/keys"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["entity"], "collection");
    assert_eq!(
        list["count"], 1,
        "the session's mode (test) is listed: {list}"
    );
    assert!(!list
        .to_string()
        .contains(secret_key.split(':').nth(1).unwrap()));
    let live_list: Value = server
        .client
        .get(server.url("/v1/keys?mode=live"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(live_list["count"], 1);

    // An API key cannot manage keys.
    let (status, error) = error_of(
        server
            .client
            .post(server.url("/v1/keys"))
            .header("X-Finvex-Key", &secret_key)
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, error["code"].as_str()), (403, Some("forbidden")));

    let key_id = created["id"].as_str().unwrap();
    let revoked = server
        .client
        .delete(server.url(&format!("/v1/keys/{key_id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.unwrap();
    assert!(revoked["revoked_at"].is_i64());
    let (status, _) = error_of(
        server
            .client
            .get(server.url("/v1/merchant"))
            .header("X-Finvex-Key", &secret_key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401, "a revoked key stops working");
    server.stop().await;
}

#[tokio::test]
async fn tenants_cannot_touch_each_other() {
    let server = TestServer::start().await;
    let alice = server.signup("alice@example.com").await;
    let bob = server.signup("bob@example.com").await;
    let alice_key = server.create_key(&alice, json!({})).await;
    let id = alice_key["id"].as_str().unwrap();
    let (status, _) = error_of(
        server
            .client
            .delete(server.url(&format!("/v1/keys/{id}")))
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    let bobs: Value = server
        .client
        .get(server.url("/v1/keys"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bobs["count"], 0);
    let still: Value = server
        .client
        .get(server.url("/v1/merchant"))
        .header("X-Finvex-Key", alice_key["secret_key"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(still["email"], "alice@example.com");
    server.stop().await;
}

#[tokio::test]
async fn the_301st_request_in_a_minute_gets_429() {
    let server = TestServer::start().await;
    let key = server.demo_key.clone().unwrap();
    for i in 0..300 {
        let response = server
            .client
            .get(server.url("/v1/merchant"))
            .header("X-Finvex-Key", &key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "request {i}");
        let remaining: u32 = response.headers()["x-ratelimit-remaining"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            remaining <= 299 - i.min(299) + 1,
            "remaining {remaining} after {i}"
        );
        assert_eq!(response.headers()["x-ratelimit-limit"], "300");
    }
    let response = server
        .client
        .get(server.url("/v1/merchant"))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
    let (_, error) = error_of(response).await;
    assert_eq!(error["code"], "rate_limited");
    server.stop().await;
}

#[tokio::test]
async fn unauthenticated_endpoints_are_limited_per_ip() {
    let server = TestServer::start_with(|c| c.public_rate_limit_per_minute = 3).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = server
            .client
            .post(server.url("/v1/auth/login"))
            .json(&json!({"email": "x@example.com", "password": "whatever123"}))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, vec![401, 401, 401, 429]);
    server.stop().await;
}

#[tokio::test]
async fn idempotency_keys_replay_conflict_and_serialise() {
    let server = TestServer::start().await;
    let token = server.signup("idem@example.com").await;
    let post = |body: Value, key: &str| {
        server
            .client
            .post(server.url("/v1/keys"))
            .bearer_auth(&token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };

    let first = post(json!({"name": "ci"}), "create-ci-key").await.unwrap();
    assert_eq!(first.status(), 201);
    let first_body = first.text().await.unwrap();
    let replay = post(json!({"name": "ci"}), "create-ci-key").await.unwrap();
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(
        replay.text().await.unwrap(),
        first_body,
        "a replay returns the same body"
    );
    let list: Value = server
        .client
        .get(server.url("/v1/keys"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["count"], 1, "the replay did not create a second key");

    let (status, error) = error_of(
        post(json!({"name": "other"}), "create-ci-key")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (409, Some("idempotency_key_reused"))
    );

    // Concurrent duplicates: exactly one runs.
    let attempts =
        futures::future::join_all((0..10).map(|_| post(json!({"name": "race"}), "race-key"))).await;
    let mut created_ids = std::collections::HashSet::new();
    for response in attempts {
        let response = response.unwrap();
        match response.status().as_u16() {
            201 => {
                let body: Value = response.json().await.unwrap();
                created_ids.insert(body["id"].as_str().unwrap().to_string());
            }
            409 => assert_eq!(
                error_of(response).await.1["code"],
                "idempotency_in_progress"
            ),
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(
        created_ids.len(),
        1,
        "every success is the same key: {created_ids:?}"
    );
    let list: Value = server
        .client
        .get(server.url("/v1/keys?count=100"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["count"], 2);
    server.stop().await;
}

#[tokio::test]
async fn bad_input_gets_a_400_naming_the_field() {
    let server = TestServer::start().await;
    let send = |body: &'static str| {
        server
            .client
            .post(server.url("/v1/auth/signup"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let cases = [
        (
            r#"{"name":"A","email":"a@example.com","password":"long password","plan":"x"}"#,
            "plan",
        ),
        (
            r#"{"name":"A","email":"a@example.com","password":12345678901}"#,
            "password",
        ),
        (
            r#"{"name":"A","email":"not-an-email","password":"long password"}"#,
            "email",
        ),
        (
            r#"{"name":"A","email":"a@example.com","password":"short"}"#,
            "password",
        ),
        (r#"{"name":"A","email":"a@example.com"}"#, "password"),
        (r#"{"name":"#, "name"),
        ("not json", "body"),
    ];
    for (body, field) in cases {
        let (status, error) = error_of(send(body).await.unwrap()).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some(field)),
            "{body}: {error}"
        );
    }
    let token = server.signup("fields@example.com").await;
    let (status, error) = error_of(
        server
            .client
            .get(server.url("/v1/keys?count=1000"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, error["field"].as_str()), (400, Some("count")));
    let (status, error) = error_of(
        server
            .client
            .get(server.url("/v1/keys?colour=red"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, error["field"].as_str()), (400, Some("colour")));
    let (status, _) = error_of(
        server
            .client
            .get(server.url("/v1/nowhere"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    server.stop().await;
}

#[tokio::test]
async fn oversized_bodies_get_413_json() {
    let server = TestServer::start_with(|c| c.body_limit_bytes = 1024).await;
    let big = format!(
        r#"{{"name":"{}","email":"a@example.com","password":"long password"}}"#,
        "x".repeat(4096)
    );
    let (status, error) = error_of(
        server
            .client
            .post(server.url("/v1/auth/signup"))
            .body(big)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (413, Some("payload_too_large"))
    );
    server.stop().await;
}

#[tokio::test]
async fn health_and_readiness() {
    let server = TestServer::start().await;
    let health: Value = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let ready: Value = server
        .client
        .get(server.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready, json!({"status": "ready", "store": "sqlite"}));
    let response = server
        .client
        .get(server.url("/healthz"))
        .header("x-request-id", "trace-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["x-request-id"],
        "trace-123",
        "a caller's request id is kept"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_same_flow_runs_on_postgres() {
    let Some(url) = crate::common::postgres_url() else {
        return;
    };
    let server = TestServer::start_with(|c| c.database_url = url).await;
    let email = format!(
        "pg-{}@example.com",
        finvex_core::ids::MerchantId::generate()
    );
    let token = server.signup(&email).await;
    let key = server.create_key(&token, json!({})).await;
    let response = server
        .client
        .get(server.url("/v1/merchant"))
        .header("X-Finvex-Key", key["secret_key"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let ready: Value = server
        .client
        .get(server.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["store"], "postgres");
    let replay = |name: &'static str| {
        server
            .client
            .post(server.url("/v1/keys"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "pg-key")
            .json(&json!({"name": name}))
            .send()
    };
    let first = replay("a").await.unwrap().text().await.unwrap();
    assert_eq!(replay("a").await.unwrap().text().await.unwrap(), first);
    server.stop().await;
}

/// Security #10: nothing secret sits in the database in plain text: a new
/// API key's secret and a webhook's signing secret (both in stored
/// idempotent responses) are sealed, and the session-signing secret is
/// derived from a sealed instance secret instead of being kept as is.
#[tokio::test]
async fn secrets_in_stored_responses_and_settings_are_sealed() {
    use finvex_core::store::sql::Executor;
    let server = TestServer::start().await;
    let token = server.signup("sealed-at-rest@example.com").await;
    let create = || {
        server
            .client
            .post(server.url("/v1/keys"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "key-at-rest-1")
            .json(&json!({"name": "backend"}))
            .send()
    };
    let first: Value = create().await.unwrap().json().await.unwrap();
    let secret = first["secret_key"].as_str().unwrap().to_string();
    let replayed = create().await.unwrap();
    assert_eq!(replayed.headers()["idempotent-replayed"], "true");
    let replayed: Value = replayed.json().await.unwrap();
    assert_eq!(
        replayed["secret_key"],
        secret.as_str(),
        "the replay still answers"
    );
    let key = secret.clone();
    let hook: Value = server
        .client
        .post(server.url("/v1/webhooks"))
        .header("X-Finvex-Key", &key)
        .header("Idempotency-Key", "hook-at-rest-1")
        .json(&json!({"url": "https://example.com/hooks", "events": ["*"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hook_secret = hook["secret"].as_str().unwrap().to_string();

    let store = finvex_core::store::SqlStore::open(&server.database_url)
        .await
        .unwrap();
    let mut at_rest = String::new();
    for table in [
        "idempotency_keys",
        "instance_settings",
        "events",
        "webhook_endpoints",
    ] {
        for row in store
            .db()
            .query(&format!("SELECT * FROM {table}"), &[])
            .await
            .unwrap()
        {
            at_rest.push_str(&format!("{row:?}\n"));
        }
    }
    let secret_part = secret.split(':').nth(1).unwrap();
    assert!(!at_rest.contains(secret_part), "API key secret at rest");
    assert!(!at_rest.contains(&hook_secret), "webhook secret at rest");
    assert!(
        !at_rest.contains("jwt_secret"),
        "no plain session secret: {at_rest}"
    );
    let settings = store
        .db()
        .query("SELECT name, value FROM instance_settings", &[])
        .await
        .unwrap();
    for row in settings {
        assert!(
            row.text(1).unwrap().starts_with("v1."),
            "{} is not sealed",
            row.text(0).unwrap()
        );
    }
    server.stop().await;
}

/// Security #11: a free account cannot mint unbounded keys or endpoints
/// (every endpoint multiplies the deliveries each event causes).
#[tokio::test]
async fn api_keys_and_webhook_endpoints_are_capped_per_merchant() {
    let server = TestServer::start().await;
    let (token, key) = server.merchant_with_key("caps@example.com").await;
    // One key exists already (merchant_with_key); fill up to the cap.
    for _ in 1..finvex_core::auth::MAX_ACTIVE_KEYS_PER_MODE {
        server.create_key(&token, json!({})).await;
    }
    let refused = server
        .client
        .post(server.url("/v1/keys"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let (status, err) = error_of(refused).await;
    assert_eq!(status, 422, "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("at most"),
        "{err}"
    );
    let create_hook = || {
        server
            .client
            .post(server.url("/v1/webhooks"))
            .header("X-Finvex-Key", &key)
            .json(&json!({"url": "https://example.com/hooks", "events": ["*"]}))
            .send()
    };
    for _ in 0..finvex_core::webhooks::MAX_ENDPOINTS_PER_MODE {
        assert_eq!(create_hook().await.unwrap().status(), 201);
    }
    let (status, err) = error_of(create_hook().await.unwrap()).await;
    assert_eq!(status, 422, "{err}");
    server.stop().await;
}

/// Security #8: failed authentications count per client address; past the
/// budget the address is refused before any check, even with a good key.
#[tokio::test]
async fn repeated_failed_authentications_lock_out_the_address() {
    let server = TestServer::start_with(|c| c.auth_failures_per_minute = 5).await;
    let (_, key) = server.merchant_with_key("guessed@example.com").await;
    let wrong = key.replacen(':', ":0", 1);
    for _ in 0..5 {
        let response = server
            .client
            .get(server.url("/v1/merchant"))
            .header("X-Finvex-Key", &wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    for credential in [wrong.as_str(), key.as_str()] {
        let response = server
            .client
            .get(server.url("/v1/merchant"))
            .header("X-Finvex-Key", credential)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429, "locked out for the minute");
    }
    // Spoofing X-Forwarded-For does not help: no proxy is trusted.
    let spoofed = server
        .client
        .get(server.url("/v1/merchant"))
        .header("X-Finvex-Key", &key)
        .header("X-Forwarded-For", "198.51.100.99")
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), 429);
    server.stop().await;
}

/// Security #9: two instances on one Postgres enforce one limit between
/// them, not one each (each takes its quota from the database in chunks of
/// a twentieth of the limit: here 2 of 40).
#[tokio::test]
async fn two_instances_on_postgres_share_one_rate_limit() {
    let Some(url) = crate::common::postgres_url() else {
        return;
    };
    let configure = |c: &mut finvex_server::config::Config| {
        c.database_url = url.clone();
        c.rate_limit_per_minute = 40;
    };
    let first = TestServer::start_with(configure).await;
    let second = TestServer::start_with(configure).await;
    let email = format!(
        "shared-limit-{}@example.com",
        finvex_core::ids::MerchantId::generate()
    );
    let (_, key) = first.merchant_with_key(&email).await;
    let mut statuses = Vec::new();
    for i in 0..50 {
        let server = if i % 2 == 0 { &first } else { &second };
        let response = server
            .client
            .get(server.url("/v1/merchant"))
            .header("X-Finvex-Key", &key)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    let allowed = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(allowed, 40, "{statuses:?}");
    assert!(statuses[40..].iter().all(|s| *s == 429), "{statuses:?}");
    first.stop().await;
    second.stop().await;
}
