//! Plans over HTTP: the seed's body, the checks, archive, isolation.

use crate::common::{error_of, Api, TestServer};
use serde_json::json;

#[tokio::test]
async fn the_seed_plan_is_created_listed_and_archived() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "plans@example.com").await;
    // The seed's body, verbatim.
    let seed = json!({"name":"Pro","amount":99900,"interval":"monthly"});
    let pro = api.ok(api.post("/v1/plans", seed).await, 201).await;
    assert!(
        pro["id"].as_str().unwrap().starts_with("finvex_plan_"),
        "{pro}"
    );
    assert_eq!(pro["entity"], "plan");
    assert_eq!(
        (
            &pro["amount"],
            &pro["currency"],
            &pro["interval"],
            &pro["interval_count"]
        ),
        (&json!(99900), &json!("INR"), &json!("monthly"), &json!(1))
    );
    assert_eq!(pro["gst"]["tax_inclusive"], true);
    assert_eq!(pro["status"], "active");
    for (body, status, field) in [
        (
            json!({"name":"Pro","amount":0,"interval":"monthly"}),
            400,
            "amount",
        ),
        (
            json!({"name":"Pro","amount":-100,"interval":"monthly"}),
            400,
            "amount",
        ),
        (
            json!({"name":"Pro","amount":99900,"interval":"weekly","interval_count":53}),
            400,
            "interval_count",
        ),
        (
            json!({"name":"Pro","amount":99900,"interval":"monthly","gst":{"rate":7}}),
            400,
            "gst.rate",
        ),
    ] {
        let (got, error) = error_of(api.post("/v1/plans", body).await).await;
        assert_eq!(
            (got, error["field"].as_str()),
            (status, Some(field)),
            "{error}"
        );
    }
    let (got, error) = error_of(
        api.post(
            "/v1/plans",
            json!({"name":"Pro","amount":99900,"interval":"monthy"}),
        )
        .await,
    )
    .await;
    assert_eq!(got, 400, "an interval typo: {error}");
    assert!(
        error["message"].as_str().unwrap().contains("monthy"),
        "{error}"
    );
    let id = pro["id"].as_str().unwrap();
    assert_eq!(
        api.ok(api.get(&format!("/v1/plans/{id}")).await, 200).await,
        pro
    );
    let archived = api
        .ok(
            api.post(&format!("/v1/plans/{id}/archive"), json!({}))
                .await,
            200,
        )
        .await;
    assert_eq!(archived["status"], "archived");
    let active = api.ok(api.get("/v1/plans?status=active").await, 200).await;
    assert_eq!(active["count"], 0);
    let (got, error) = error_of(api.get("/v1/plans?status=gone").await).await;
    assert_eq!(
        (got, error["field"].as_str()),
        (400, Some("status")),
        "{error}"
    );
    let other = Api::new(&server, "plans-other@example.com").await;
    let (got, _) = error_of(other.get(&format!("/v1/plans/{id}")).await).await;
    assert_eq!(got, 404);
    server.stop().await;
}
