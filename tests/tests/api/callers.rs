//! The kinds of caller beyond a merchant's key and session: the publishable
//! key (checkout.js), admins, and the customer portal's buyers.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{Api, TestServer};

/// One request with the credential header given (or none), and a JSON body for a POST.
async fn send_with(
    server: &TestServer,
    method: Method,
    path: &str,
    header: Option<(&str, &str)>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = server.client.request(method, server.url(path));
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn post_with(
    server: &TestServer,
    path: &str,
    header: (&str, &str),
    body: Value,
) -> reqwest::Response {
    send_with(server, Method::POST, path, Some(header), Some(body)).await
}

async fn get_with(server: &TestServer, path: &str, header: (&str, &str)) -> reqwest::Response {
    send_with(server, Method::GET, path, Some(header), None).await
}

#[tokio::test]
async fn a_publishable_key_opens_checkouts_of_the_merchants_unpaid_orders_and_nothing_else() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "checkout-js@example.com").await;
    let publishable = api.key.split(':').next().unwrap().to_string();
    assert!(publishable.starts_with("finvex_test_key_"));
    let order = api
        .expect(
            Method::POST,
            "/v1/orders",
            Some(json!({"amount": 50000, "currency": "INR"})),
            201,
        )
        .await;
    let id = order["id"].as_str().unwrap();

    let opened = post_with(
        &server,
        "/v1/checkout/sessions",
        ("X-Finvex-Key", &publishable),
        json!({"order_id": id}),
    )
    .await;
    assert_eq!(opened.status(), 201);
    let session: Value = opened.json().await.unwrap();
    assert_eq!(session["entity"], "checkout_session");
    assert_eq!(
        (session["order_id"].as_str(), session["amount"].as_i64()),
        (Some(id), Some(50_000))
    );
    assert_eq!(session["provider"], order["provider"]);
    assert_eq!(session["checkout"], order["checkout"]);

    // It reads nothing and creates nothing else.
    for (method, path) in [
        (Method::GET, "/v1/orders".to_string()),
        (Method::POST, "/v1/orders".to_string()),
        (Method::GET, format!("/v1/orders/{id}")),
        (Method::GET, "/v1/merchant".to_string()),
    ] {
        let refused = server
            .client
            .request(method.clone(), server.url(&path))
            .header("X-Finvex-Key", &publishable)
            .json(&json!({"amount": 100}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{method} {path}");
        let error: Value = refused.json().await.unwrap();
        assert!(error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("publishable key"));
    }

    // Another merchant's order does not exist for this key; a paid one is closed.
    let other = Api::new(&server, "other-store@example.com").await;
    let theirs = other
        .expect(
            Method::POST,
            "/v1/orders",
            Some(json!({"amount": 10000})),
            201,
        )
        .await;
    let foreign = post_with(
        &server,
        "/v1/checkout/sessions",
        ("X-Finvex-Key", &publishable),
        json!({"order_id": theirs["id"]}),
    )
    .await;
    assert_eq!(foreign.status(), 404);
    let paid = api
        .expect(
            Method::POST,
            &format!("/v1/sandbox/orders/{id}/pay"),
            Some(json!({"instrument": "success@finvex"})),
            200,
        )
        .await;
    api.expect(
        Method::POST,
        &format!("/v1/orders/{id}/verify"),
        Some(json!({"payment_id": paid["payment_id"], "signature": paid["signature"]})),
        200,
    )
    .await;
    let closed = post_with(
        &server,
        "/v1/checkout/sessions",
        ("X-Finvex-Key", &publishable),
        json!({"order_id": id}),
    )
    .await;
    assert_eq!(closed.status(), 409);

    // A key id that is no key, or a live prefix on a test key, is refused.
    let unknown = post_with(
        &server,
        "/v1/checkout/sessions",
        ("X-Finvex-Key", "finvex_test_key_01jd0000000000000000000000"),
        json!({"order_id": id}),
    )
    .await;
    assert_eq!(unknown.status(), 401);
    let wrong_mode = publishable.replace("finvex_test_", "finvex_live_");
    let refused = post_with(
        &server,
        "/v1/checkout/sessions",
        ("X-Finvex-Key", &wrong_mode),
        json!({"order_id": id}),
    )
    .await;
    assert_eq!(refused.status(), 401);
    server.stop().await;
}

#[tokio::test]
async fn checkout_sessions_answer_a_browsers_cross_origin_preflight() {
    let server = TestServer::start().await;
    let preflight = server
        .client
        .request(Method::OPTIONS, server.url("/v1/checkout/sessions"))
        .header("Origin", "https://shop.example.in")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,x-finvex-key",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let allowed = |name: &str| {
        preflight
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    assert_eq!(allowed("access-control-allow-origin"), "*");
    assert!(allowed("access-control-allow-headers").contains("x-finvex-key"));
    // Merchant routes are not for browsers on other origins.
    let orders = server
        .client
        .request(Method::OPTIONS, server.url("/v1/orders"))
        .header("Origin", "https://shop.example.in")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(orders
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    server.stop().await;
}

#[tokio::test]
async fn admins_log_in_apart_from_merchants_list_merchants_and_verify_them_for_live_mode() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "to-verify@example.com").await;
    let admin = server.admin_session("operator@example.com").await;

    // An admin is not a merchant: its credentials do not log in there, and
    // its session opens no merchant route (nor a merchant's the admin's).
    let as_merchant = send_with(
        &server,
        Method::POST,
        "/v1/auth/login",
        None,
        Some(json!({"email": "operator@example.com", "password": "an admin's long password"})),
    )
    .await;
    assert_eq!(as_merchant.status(), 401);
    let bearer = format!("Bearer {admin}");
    let merchant_route = get_with(&server, "/v1/merchant", ("Authorization", &bearer)).await;
    assert_eq!(merchant_route.status(), 401);
    let merchant_bearer = format!("Bearer {}", api.token);
    let admin_route = get_with(
        &server,
        "/v1/admin/merchants",
        ("Authorization", &merchant_bearer),
    )
    .await;
    assert_eq!(admin_route.status(), 401);
    let wrong = send_with(
        &server,
        Method::POST,
        "/v1/admin/login",
        None,
        Some(json!({"email": "operator@example.com", "password": "not the password"})),
    )
    .await;
    assert_eq!(wrong.status(), 401);

    let listed: Value = get_with(&server, "/v1/admin/merchants", ("Authorization", &bearer))
        .await
        .json()
        .await
        .unwrap();
    let merchant = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "to-verify@example.com")
        .expect("the merchant is listed")
        .clone();
    assert_eq!(merchant["role"], "merchant");
    let refused = api
        .session_call(Method::POST, "/v1/keys", Some(json!({"mode": "live"})))
        .await;
    assert_eq!(refused.status(), 403);

    let path = format!(
        "/v1/admin/merchants/{}/verify",
        merchant["id"].as_str().unwrap()
    );
    let verified = post_with(&server, &path, ("Authorization", &bearer), json!({})).await;
    assert_eq!(verified.status(), 200);
    let verified: Value = verified.json().await.unwrap();
    assert_eq!(
        (
            verified["role"].as_str(),
            verified["installation_accounts_live"].as_bool()
        ),
        (Some("verified_seller"), Some(false))
    );
    let live = api
        .session_call(Method::POST, "/v1/keys", Some(json!({"mode": "live"})))
        .await;
    assert_eq!(live.status(), 201);
    let missing = post_with(
        &server,
        "/v1/admin/merchants/merchant_01jd0000000000000000000000/verify",
        ("Authorization", &bearer),
        json!({}),
    )
    .await;
    assert_eq!(missing.status(), 404);
    server.stop().await;
}

#[tokio::test]
async fn a_merchant_opens_the_customer_portal_for_one_buyer_of_its_store() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "portal-store@example.com").await;
    let created = api
        .expect(
            Method::POST,
            "/v1/portal/sessions",
            Some(json!({"customer_email": "Buyer@Example.com"})),
            201,
        )
        .await;
    assert_eq!(
        (
            created["entity"].as_str(),
            created["customer_email"].as_str(),
            created["mode"].as_str()
        ),
        (
            Some("portal_session"),
            Some("buyer@example.com"),
            Some("test")
        )
    );
    let bearer = format!("Bearer {}", created["token"].as_str().unwrap());
    let me: Value = get_with(&server, "/v1/portal/session", ("Authorization", &bearer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["customer_email"], "buyer@example.com");
    let merchant = api.expect(Method::GET, "/v1/merchant", None, 200).await;
    assert_eq!(me["merchant_id"], merchant["id"]);

    // The buyer's session is no merchant's: the store's data stays closed.
    let orders = get_with(&server, "/v1/orders", ("Authorization", &bearer)).await;
    assert_eq!(orders.status(), 401);
    // And a merchant session is no buyer's.
    let merchant_bearer = format!("Bearer {}", api.token);
    let portal = get_with(
        &server,
        "/v1/portal/session",
        ("Authorization", &merchant_bearer),
    )
    .await;
    assert_eq!(portal.status(), 401);
    let invalid = api
        .call(
            Method::POST,
            "/v1/portal/sessions",
            Some(json!({"customer_email": "not an email"})),
        )
        .await;
    assert_eq!(invalid.status(), 400);
    server.stop().await;
}
