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
    // Every route is called with credentials it refuses: far more refusals
    // than one address's failure budget allows in a minute.
    let server = TestServer::start_with(|config| {
        config.auth_failures_per_minute = 1_000_000;
        config.rate_limit_per_minute = 1_000_000;
    })
    .await;
    let (token, key) = server.merchant_with_key("routes-walker@example.com").await;
    let publishable = key.split(':').next().unwrap().to_string();
    let admin_token = server.admin_session("routes-admin@example.com").await;
    let portal: serde_json::Value = server
        .client
        .post(server.url("/v1/portal/sessions"))
        .header("X-Finvex-Key", &key)
        .json(&json!({"customer_email": "buyer@example.com"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let portal_token = portal["token"].as_str().unwrap().to_string();
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
            let status =
                |credential| async move { call(Some(credential)).await.unwrap().status().as_u16() };
            let with_publishable = status(("X-Finvex-Key", &publishable)).await;
            let admin_bearer = format!("Bearer {admin_token}");
            let with_admin = status(("Authorization", &admin_bearer)).await;
            let portal_bearer = format!("Bearer {portal_token}");
            let with_portal = status(("Authorization", &portal_bearer)).await;
            assert!(
                [
                    anonymous,
                    with_key,
                    with_session,
                    with_publishable,
                    with_admin,
                    with_portal
                ]
                .iter()
                .all(|s| *s < 500),
                "{what}: a 5xx"
            );
            let refused = |s: u16| matches!(s, 401 | 403);
            if route.access.authenticated()
                || matches!(route.access, Access::Admin | Access::Portal)
            {
                // No kind of session passes for another.
                assert!(
                    route.access == Access::Admin || refused(with_admin),
                    "{what} with an admin session: {with_admin}"
                );
                assert!(
                    route.access == Access::Portal || refused(with_portal),
                    "{what} with a portal session: {with_portal}"
                );
            }
            match route.access {
                Access::Merchant => {
                    assert_eq!(anonymous, 401, "{what} without credentials");
                    assert!(!refused(with_key), "{what} with a key: {with_key}");
                    assert!(!refused(with_session), "{what} with a session");
                    assert_eq!(with_publishable, 403, "{what} with a publishable key");
                }
                Access::Dashboard => {
                    assert_eq!(anonymous, 401, "{what} without credentials");
                    assert_eq!(with_key, 403, "{what} with an API key");
                    assert!(!refused(with_session), "{what} with a session");
                    assert_eq!(with_publishable, 403, "{what} with a publishable key");
                }
                Access::Checkout => {
                    assert_eq!(anonymous, 401, "{what} without credentials");
                    assert!(!refused(with_publishable), "{what} with a publishable key");
                    assert!(!refused(with_key), "{what} with a key");
                    assert!(!refused(with_session), "{what} with a session");
                }
                Access::Admin => {
                    assert_eq!(anonymous, 401, "{what} without credentials");
                    assert!(
                        !refused(with_admin),
                        "{what} with an admin session: {with_admin}"
                    );
                    for (kind, s) in [
                        ("key", with_key),
                        ("merchant session", with_session),
                        ("publishable key", with_publishable),
                    ] {
                        assert!(refused(s), "{what} with a {kind}: {s}");
                    }
                }
                Access::Portal => {
                    assert_eq!(anonymous, 401, "{what} without credentials");
                    assert!(
                        !refused(with_portal),
                        "{what} with a portal session: {with_portal}"
                    );
                    for (kind, s) in [
                        ("key", with_key),
                        ("merchant session", with_session),
                        ("publishable key", with_publishable),
                    ] {
                        assert!(refused(s), "{what} with a {kind}: {s}");
                    }
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
