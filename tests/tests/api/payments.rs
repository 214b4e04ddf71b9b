//! The seed's integration guide with curl's eyes: orders through the offline
//! sandbox, verification, payments and refunds.

use crate::common::{error_of, Api, TestServer};
use serde_json::json;

#[tokio::test]
async fn the_seed_flow_runs_with_curl_alone() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "seed@example.com").await;
    // Step 2, the seed's body verbatim.
    let order = api
        .expect(
            reqwest::Method::POST,
            "/v1/orders",
            Some(json!({"amount": 50000, "currency": "INR", "description": "Pro Plan", "customer": {"name": "Anil Kumar", "email": "anil@example.com", "phone": "+919876543210"}})),
            201,
        )
        .await;
    let id = order["id"].as_str().unwrap();
    assert!(id.starts_with("finvex_ord_"));
    assert_eq!(
        (order["status"].as_str(), order["amount_due"].as_i64()),
        (Some("created"), Some(50_000))
    );
    assert_eq!(order["routing"]["provider"], "sandbox");
    assert!(order["routing"]["reason"].is_string());

    // Step 3: the customer pays at the sandbox checkout.
    let paid = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/sandbox/orders/{id}/pay"),
            Some(json!({"instrument": "success@finvex"})),
            200,
        )
        .await;
    assert_eq!(paid["status"], "authorized");

    // Step 4: verify with exactly what the checkout returned.
    let tampered = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/orders/{id}/verify"),
            Some(json!({"payment_id": paid["payment_id"], "signature": "0".repeat(64)})),
            200,
        )
        .await;
    assert_eq!(tampered["verified"], false);
    let verified = api
        .expect(reqwest::Method::POST, &format!("/v1/orders/{id}/verify"), Some(json!({"order_id": id, "payment_id": paid["payment_id"], "signature": paid["signature"]})), 200)
        .await;
    assert_eq!(verified["verified"], true);
    let payment = &verified["payment"];
    assert_eq!(
        (payment["status"].as_str(), payment["amount"].as_i64()),
        (Some("captured"), Some(50_000))
    );
    assert!(payment["id"].as_str().unwrap().starts_with("finvex_pay_"));
    // Verifying twice changes nothing.
    let again = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/orders/{id}/verify"),
            Some(json!({"payment_id": paid["payment_id"], "signature": paid["signature"]})),
            200,
        )
        .await;
    assert_eq!(again["payment"]["id"], payment["id"]);

    let order = api
        .expect(reqwest::Method::GET, &format!("/v1/orders/{id}"), None, 200)
        .await;
    assert_eq!(
        (
            order["status"].as_str(),
            order["amount_paid"].as_i64(),
            order["amount_due"].as_i64()
        ),
        (Some("paid"), Some(50_000), Some(0))
    );
    let payments = api
        .expect(reqwest::Method::GET, "/v1/payments", None, 200)
        .await;
    assert_eq!(payments["count"], 1);
    let events = api
        .expect(reqwest::Method::GET, "/v1/events?count=100", None, 200)
        .await;
    let names: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for expected in [
        "order.created",
        "payment.authorized",
        "payment.captured",
        "order.paid",
    ] {
        assert_eq!(
            names.iter().filter(|n| **n == expected).count(),
            1,
            "{expected} once in {names:?}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn failed_and_pending_instruments() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "fail@example.com").await;
    let order = api
        .expect(
            reqwest::Method::POST,
            "/v1/orders",
            Some(json!({"amount": 10000})),
            201,
        )
        .await;
    let id = order["id"].as_str().unwrap();
    let failed = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/sandbox/orders/{id}/pay"),
            Some(json!({"instrument": "failure@finvex"})),
            200,
        )
        .await;
    assert_eq!(failed["status"], "failed");
    let verify = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/orders/{id}/verify"),
            Some(json!({"payment_id": failed["payment_id"], "signature": failed["signature"]})),
            200,
        )
        .await;
    assert_eq!(verify["verified"], false);
    assert_eq!(
        api.expect(reqwest::Method::GET, &format!("/v1/orders/{id}"), None, 200)
            .await["status"],
        "attempted"
    );

    // A retry with a good card then pays the same order.
    let pending = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/sandbox/orders/{id}/pay"),
            Some(json!({"instrument": "pending@finvex"})),
            200,
        )
        .await;
    assert_eq!(pending["status"], "pending");
    let paid = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/sandbox/orders/{id}/pay"),
            Some(json!({"instrument": "4111 1111 1111 1111"})),
            200,
        )
        .await;
    let verify = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/orders/{id}/verify"),
            Some(json!({"payment_id": paid["payment_id"], "signature": paid["signature"]})),
            200,
        )
        .await;
    assert_eq!(verify["verified"], true);
    let (status, error) = error_of(
        api.call(
            reqwest::Method::POST,
            &format!("/v1/sandbox/orders/{id}/pay"),
            Some(json!({"instrument": "nobody@okaxis"})),
        )
        .await,
    )
    .await;
    assert_eq!((status, error["field"].as_str()), (400, Some("instrument")));
    server.stop().await;
}

#[tokio::test]
async fn concurrent_partial_refunds_never_exceed_the_capture() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "refunds@example.com").await;
    let (_, payment) = api.paid_order(50_000).await;
    let pid = payment["id"].as_str().unwrap().to_string();
    let first = api
        .expect(
            reqwest::Method::POST,
            &format!("/v1/payments/{pid}/refund"),
            Some(json!({"amount": 20_000, "notes": {"reason": "downgrade"}})),
            201,
        )
        .await;
    assert_eq!(
        (first["status"].as_str(), first["amount"].as_i64()),
        (Some("processed"), Some(20_000))
    );
    assert_eq!(
        api.expect(
            reqwest::Method::GET,
            &format!("/v1/payments/{pid}"),
            None,
            200
        )
        .await["status"],
        "partially_refunded"
    );

    // Ten concurrent refunds of 5,000 against the 30,000 left: exactly six go through.
    let refund_path = format!("/v1/payments/{pid}/refund");
    let attempts = futures::future::join_all((0..10).map(|_| {
        api.call(
            reqwest::Method::POST,
            &refund_path,
            Some(json!({"amount": 5_000})),
        )
    }))
    .await;
    let mut succeeded = 0;
    for response in attempts {
        match response.status().as_u16() {
            201 => succeeded += 1,
            422 => assert_eq!(error_of(response).await.1["field"], "amount"),
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(succeeded, 6);
    let payment = api
        .expect(
            reqwest::Method::GET,
            &format!("/v1/payments/{pid}"),
            None,
            200,
        )
        .await;
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["amount_refunded"].as_i64()
        ),
        (Some("refunded"), Some(50_000))
    );
    let refunds = api
        .expect(reqwest::Method::GET, "/v1/refunds?count=100", None, 200)
        .await;
    assert_eq!(refunds["count"], 7);
    let one = api
        .expect(
            reqwest::Method::GET,
            &format!("/v1/refunds/{}", first["id"].as_str().unwrap()),
            None,
            200,
        )
        .await;
    assert_eq!(one["notes"]["reason"], "downgrade");
    let (status, _) = error_of(
        api.call(
            reqwest::Method::POST,
            &format!("/v1/payments/{pid}/refund"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "nothing is left to refund");
    server.stop().await;
}

#[tokio::test]
async fn bad_orders_are_refused_and_tenants_isolated() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "strict@example.com").await;
    for (body, field) in [
        (json!({"amount": 50}), "amount"),
        (json!({"amount": "500"}), "amount"),
        (json!({"amount": 50000, "currency": "XYZ"}), "currency"),
        (
            json!({"amount": 50000, "customer": {"email": "nope"}}),
            "customer.email",
        ),
        (
            json!({"amount": 50000, "customer": {"phone": "12"}}),
            "customer.phone",
        ),
        (json!({"amount": 50000, "colour": "red"}), "colour"),
        (
            json!({"amount": 50000, "receipt": "r".repeat(41)}),
            "receipt",
        ),
        (json!({"amount": 50000, "provider": "razorpay"}), "provider"),
    ] {
        let (status, error) = error_of(
            api.call(reqwest::Method::POST, "/v1/orders", Some(body.clone()))
                .await,
        )
        .await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some(field)),
            "{body}"
        );
    }
    let (order, payment) = api.paid_order(10_000).await;
    let other = Api::new(&server, "other@example.com").await;
    for path in [
        format!("/v1/orders/{}", order["id"].as_str().unwrap()),
        format!("/v1/payments/{}", payment["id"].as_str().unwrap()),
    ] {
        let (status, _) = error_of(other.call(reqwest::Method::GET, &path, None).await).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = error_of(
        other
            .call(
                reqwest::Method::POST,
                &format!("/v1/payments/{}/refund", payment["id"].as_str().unwrap()),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        other
            .expect(reqwest::Method::GET, "/v1/orders", None, 200)
            .await["count"],
        0
    );
    server.stop().await;
}

#[tokio::test]
async fn routing_rules_are_validated_stored_and_used() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "routing@example.com").await;
    assert_eq!(
        api.expect(reqwest::Method::GET, "/v1/routing/rules", None, 200)
            .await,
        json!({"rules": []})
    );
    let bad = json!({"rules": [{"type": "volume_split", "weights": [["razorpay", 60], ["cashfree", 30]]}]});
    let (status, error) = error_of(
        api.call(reqwest::Method::PUT, "/v1/routing/rules", Some(bad))
            .await,
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (400, Some("rules[0]")),
        "splits must sum to 100%"
    );
    let (status, _) = error_of(
        api.call(
            reqwest::Method::PUT,
            "/v1/routing/rules",
            Some(json!({"rules": [{"type": "fastest"}]})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    let rules = json!({"rules": [{"type": "amount_threshold", "min_amount": 100000, "providers": ["sandbox"]}, {"type": "priority", "providers": ["sandbox"]}]});
    assert_eq!(
        api.expect(
            reqwest::Method::PUT,
            "/v1/routing/rules",
            Some(rules.clone()),
            200
        )
        .await,
        rules
    );
    assert_eq!(
        api.expect(reqwest::Method::GET, "/v1/routing/rules", None, 200)
            .await,
        rules
    );
    let big = api
        .expect(
            reqwest::Method::POST,
            "/v1/orders",
            Some(json!({"amount": 200000})),
            201,
        )
        .await;
    assert_eq!(big["routing"]["reason"], "amount at or above 100000");
    let small = api
        .expect(
            reqwest::Method::POST,
            "/v1/orders",
            Some(json!({"amount": 5000})),
            201,
        )
        .await;
    assert_eq!(small["routing"]["reason"], "priority");
    server.stop().await;
}
