//! Every route declares who may call it (`Access`), and the server holds
//! each to its declaration: walked route by route, method by method.

use finvex_server::http::access::Access;
use serde_json::json;

use crate::common::TestServer;

/// A concrete path for a route pattern (ids that exist nowhere).
fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment {
            "{provider}" => "razorpay".to_string(),
            "{mode}" => "test".to_string(),
            "{merchant_id}" => finvex_core::ids::MerchantId::generate().to_string(),
            s if s.starts_with('{') => "finvex_x_01jd0000000000000000000000".to_string(),
            s => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_route_declares_who_may_call_it_and_is_held_to_it() {
    let server = TestServer::start().await;
    let (token, key) = server.merchant_with_key("routes-walker@example.com").await;
    let routes = finvex_server::routes::all();
    let mut seen = std::collections::HashSet::new();
    for route in &routes {
        assert!(!route.methods.is_empty(), "{} serves no method", route.path);
        assert!(seen.insert(route.path), "{} declared twice", route.path);
        let path = concrete(route.path);
        for method in &route.methods {
            let call = |credential: Option<(&str, &str)>| {
                let mut request = server
                    .client
                    .request(method.clone(), server.url(&path))
                    .json(&json!({}));
                if let Some((name, value)) = credential {
                    request = request.header(name, value);
                }
                request.send()
            };
            let what = format!("{method} {} ({})", route.path, route.access.as_str());
            let anonymous = call(None).await.unwrap().status().as_u16();
            let with_key = call(Some(("X-Finvex-Key", &key)))
                .await
                .unwrap()
                .status()
                .as_u16();
            let bearer = format!("Bearer {token}");
            let with_session = call(Some(("Authorization", &bearer)))
                .await
                .unwrap()
                .status()
                .as_u16();
            assert!(
                anonymous < 500 && with_key < 500 && with_session < 500,
                "{what}: a 5xx"
            );
            match route.access {
                Access::Merchant => {
                    assert_eq!(anonymous, 401, "{what} without credentials");
                    assert!(
                        !matches!(with_key, 401 | 403),
                        "{what} with a key: {with_key}"
                    );
                    assert!(!matches!(with_session, 401 | 403), "{what} with a session");
                }
                Access::Dashboard => {
                    assert_eq!(anonymous, 401, "{what} without credentials");
                    assert_eq!(with_key, 403, "{what} with an API key");
                    assert!(!matches!(with_session, 401 | 403), "{what} with a session");
                }
                Access::Public => assert!(anonymous != 403, "{what}: {anonymous}"),
                Access::Probe => assert_eq!(anonymous, 200, "{what}"),
                Access::ProviderSigned => {
                    assert!(
                        (400..500).contains(&anonymous),
                        "{what} unsigned: {anonymous}"
                    )
                }
            }
        }
    }
    // Nothing is served that the table does not declare.
    let undeclared = server
        .client
        .get(server.url("/v1/not-a-route"))
        .header("X-Finvex-Key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(undeclared.status(), 404);
    server.stop().await;
}
