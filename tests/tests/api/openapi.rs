//! The OpenAPI document: every route and method of the router, nothing
//! else, every reference resolved, the seed's examples.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::TestServer;

/// Every `$ref` in `value`.
fn references<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                found.push(reference);
            }
            map.values().for_each(|v| references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_names_every_route_and_method_and_nothing_else() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "served without credentials");
    let document: Value = response.json().await.unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["info"]["version"],
        finvex_server::openapi::API_VERSION
    );

    let routed: BTreeSet<(String, String)> = finvex_server::routes::all()
        .iter()
        .flat_map(|route| {
            route
                .methods
                .iter()
                .map(|m| (route.path.to_string(), m.as_str().to_ascii_lowercase()))
        })
        .collect();
    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    let missing: Vec<_> = routed.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&routed).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the document: {missing:?}"
    );
    assert!(
        phantom.is_empty(),
        "documented routes that do not exist: {phantom:?}"
    );

    // Operation ids are unique; every reference resolves.
    let mut ids = BTreeSet::new();
    for (path, method) in &documented {
        let op = &document["paths"][path][method];
        let id = op["operationId"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "operationId {id} twice");
        assert!(
            op["responses"]["400"].is_object(),
            "{method} {path}: the error shape"
        );
    }
    let mut found = Vec::new();
    references(&document, &mut found);
    for reference in found {
        let pointer = reference.trim_start_matches('#');
        assert!(
            document.pointer(pointer).is_some(),
            "unresolved {reference}"
        );
    }

    // The seed's body is the example of order creation.
    let create = &document["paths"]["/v1/orders"]["post"];
    assert_eq!(
        create["requestBody"]["content"]["application/json"]["example"]["description"],
        "Pro Plan"
    );
    assert_eq!(
        create["security"],
        serde_json::json!([{"secretKey": []}, {"session": []}])
    );
    server.stop().await;
}

#[test]
fn the_seeds_areas_are_documented_with_their_types() {
    for route in finvex_server::routes::all() {
        let seed = [
            "/v1/orders",
            "/v1/payments",
            "/v1/refunds",
            "/v1/checkout",
            "/v1/sandbox/orders",
        ]
        .iter()
        .any(|prefix| route.path.starts_with(prefix));
        if !seed {
            continue;
        }
        for method in &route.methods {
            let doc = route
                .doc_for(method)
                .unwrap_or_else(|| panic!("{method} {} has no Doc", route.path));
            assert!(
                doc.response.is_some(),
                "{method} {}: no response schema",
                route.path
            );
        }
    }
}
