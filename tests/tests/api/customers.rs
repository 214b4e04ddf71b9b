//! Customers over HTTP: create, the unique contacts, lookups and isolation.

use crate::common::{error_of, Api, TestServer};
use serde_json::json;

#[tokio::test]
async fn customers_are_created_found_and_kept_apart() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "customers@example.com").await;
    let asha = api
        .ok(
            api.post(
                "/v1/customers",
                json!({"name": "Asha Rao", "email": "asha@example.in", "phone": "98765 43210", "notes": {"plan": "pro"}}),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(asha["entity"], "customer");
    assert!(asha["id"].as_str().unwrap().starts_with("finvex_cust_"));
    assert_eq!(asha["phone"], "+919876543210");
    let (status, error) = error_of(
        api.post("/v1/customers", json!({"email": "ASHA@example.in"}))
            .await,
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (409, Some("email")),
        "{error}"
    );
    for (body, field) in [
        (json!({"name": "Nobody"}), "email"),
        (json!({"email": "not-an-email"}), "email"),
        (json!({"phone": "12345"}), "phone"),
    ] {
        let (status, error) = error_of(api.post("/v1/customers", body).await).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some(field)),
            "{error}"
        );
    }
    let (status, error) = error_of(
        api.post("/v1/customers", json!({"emial": "x@example.in"}))
            .await,
    )
    .await;
    assert_eq!(status, 400, "{error}");
    let id = asha["id"].as_str().unwrap();
    let fetched = api
        .ok(api.get(&format!("/v1/customers/{id}")).await, 200)
        .await;
    assert_eq!(fetched, asha);
    let found = api
        .ok(api.get("/v1/customers?email=Asha@Example.in").await, 200)
        .await;
    assert_eq!(found["items"][0]["id"], asha["id"]);
    let none = api
        .ok(api.get("/v1/customers?phone=%2B919999999999").await, 200)
        .await;
    assert_eq!(none["count"], 0);

    let other = Api::new(&server, "customers-other@example.com").await;
    let (status, _) = error_of(other.get(&format!("/v1/customers/{id}")).await).await;
    assert_eq!(status, 404);
    server.stop().await;
}
