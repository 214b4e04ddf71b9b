//! The OpenAPI document: every route and method of the router, nothing
//! else, every reference resolved, the seed's examples.

use std::collections::BTreeSet;

use finvex_server::http::access::Access;
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
fn every_operation_is_documented_with_its_types() {
    for route in finvex_server::routes::all() {
        for method in &route.methods {
            let what = format!("{method} {}", route.path);
            let doc = route
                .doc_for(method)
                .unwrap_or_else(|| panic!("{what} declares no Doc"));
            assert!(!doc.summary.is_empty(), "{what}: no summary");
            // Providers' webhooks carry the providers' own bodies; probes and
            // pages answer no API object.
            let untyped = matches!(route.access, Access::ProviderSigned | Access::Probe)
                || doc.media_type.is_some()
                || doc.empty
                || route.path == "/v1/openapi.json";
            assert!(
                untyped || doc.response.is_some(),
                "{what}: no response schema"
            );
            let takes_body =
                *method == axum::http::Method::POST || *method == axum::http::Method::PUT;
            let bodiless = [
                "/v1/payments/{id}/capture",
                "/v1/webhooks/{id}/test",
                "/v1/webhooks/{id}/rotate-secret",
                "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
                "/v1/gst/invoices/{id}/irn",
                "/v1/plans/{id}/archive",
            ];
            if takes_body && !untyped && !bodiless.contains(&route.path) {
                assert!(doc.body.is_some(), "{what}: no request body schema");
            }
        }
    }
}

/// schemathesis (PyPI) fuzzes every operation of the document against the
/// live server: no 5xx, responses match their schemas and documented status
/// codes. CI installs it (`pip install schemathesis`) and requires it;
/// elsewhere the test is skipped when `st` is not on the PATH.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_schema_violation() {
    let has_st = std::process::Command::new("st")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_st {
        assert!(std::env::var("CI").is_err(), "CI must install schemathesis");
        eprintln!("schemathesis (st) is not installed: skipped");
        return;
    }
    // Limits that do not bind, so the run reaches every operation's logic.
    let server = TestServer::start_with(|c| {
        c.rate_limit_per_minute = 1_000_000;
        c.public_rate_limit_per_minute = 1_000_000;
        c.auth_failures_per_minute = 1_000_000;
    })
    .await;
    let (_, key) = server.merchant_with_key("schemathesis@example.com").await;
    let base = server.url("");
    let base = base.trim_end_matches('/').to_string();
    let output = tokio::process::Command::new("st")
        .args([
            "run",
            &format!("{base}/v1/openapi.json"),
            "--url",
            &base,
            "-H",
            &format!("X-Finvex-Key: {key}"),
            "--checks",
            "not_a_server_error,response_schema_conformance,status_code_conformance",
            "--max-examples",
            "20",
            "--seed",
            "1",
            // One worker: hypothesis's generation is not thread-safe on
            // every Python, and two workers crashed it now and then.
            "--workers",
            "1",
        ])
        .env("NO_COLOR", "1")
        .kill_on_drop(true)
        .output();
    // Bounded by examples per operation (a --max-time budget is spent whole).
    let output = tokio::time::timeout(std::time::Duration::from_secs(300), output)
        .await
        .expect("schemathesis ran for more than 5 minutes")
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    let summary: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("generated") || l.contains("Tested:") || l.contains("Selected:"))
        .collect();
    eprintln!("schemathesis: {}", summary.join(" | "));
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    server.stop().await;
}

/// `/docs` in headless Chromium (Debian's, driven by playwright-core from
/// `tests/browser`): it loads, lists the orders endpoints with the seed's
/// example, requests nothing beyond its own origin, and logs no error.
/// CI installs both and requires them; elsewhere the test is skipped
/// without them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_page_renders_offline_in_chromium() {
    let browser_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    let ready = std::path::Path::new("/usr/bin/chromium").exists()
        && browser_dir.join("node_modules/playwright-core").exists();
    if !ready {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install chromium and tests/browser's packages"
        );
        eprintln!("chromium or playwright-core is not installed: skipped");
        return;
    }
    let server = TestServer::start().await;
    let base = server.url("");
    let output = tokio::process::Command::new("node")
        .arg(browser_dir.join("docs.mjs"))
        .arg(base.trim_end_matches('/'))
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(120), output)
        .await
        .expect("the browser check ran for more than 2 minutes")
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    eprintln!("{said}");
    assert!(
        output.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("docs page: ok"));
    server.stop().await;
}

/// Every object a request body may contain, nested ones included, refuses
/// fields it does not know (`deny_unknown_fields`, which the schemas show as
/// `additionalProperties: false`): a misspelt field is a 400, never ignored.
#[test]
fn no_request_body_accepts_unknown_fields() {
    let document = finvex_server::openapi::build(&finvex_server::routes::all());
    let schemas = &document["components"]["schemas"];
    let mut lax = BTreeSet::new();
    fn walk(
        schema: &Value,
        schemas: &Value,
        seen: &mut BTreeSet<String>,
        lax: &mut BTreeSet<String>,
        at: &str,
    ) {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference
                .rsplit('/')
                .next()
                .unwrap_or(reference)
                .to_string();
            if seen.insert(name.clone()) {
                walk(&schemas[&name], schemas, seen, lax, &name);
            }
            return;
        }
        if schema["properties"].is_object() && schema["additionalProperties"] != false {
            lax.insert(at.to_string());
        }
        for key in ["properties", "$defs"] {
            if let Some(children) = schema[key].as_object() {
                for (name, child) in children {
                    walk(child, schemas, seen, lax, &format!("{at}.{name}"));
                }
            }
        }
        for key in ["items", "additionalProperties"] {
            if schema[key].is_object() {
                walk(&schema[key], schemas, seen, lax, at);
            }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            for child in schema[key].as_array().into_iter().flatten() {
                walk(child, schemas, seen, lax, at);
            }
        }
    }
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if body.is_object() {
                walk(
                    body,
                    schemas,
                    &mut BTreeSet::new(),
                    &mut lax,
                    &format!("{method} {path}"),
                );
            }
        }
    }
    assert!(
        lax.is_empty(),
        "request objects that ignore unknown fields: {lax:?}"
    );
}

/// Where a misspelt field goes in an example body: its first nested object
/// (directly, or the first object of an array), else nowhere.
fn nested_object(body: &mut Value) -> Option<(String, &mut serde_json::Map<String, Value>)> {
    let object = body.as_object_mut()?;
    let name = object.iter().find_map(|(name, value)| {
        let nested = value.is_object() || value.get(0).is_some_and(Value::is_object);
        nested.then(|| name.clone())
    })?;
    let value = object.get_mut(&name)?;
    if value.is_array() {
        let first = value.get_mut(0)?.as_object_mut()?;
        return Some((format!("{name}[0]"), first));
    }
    Some((name, value.as_object_mut()?))
}

/// The behaviour behind the schemas' `additionalProperties: false`: every
/// merchant operation's example body, with one misspelt field at the top
/// and one in its first nested object, is refused with a 400 naming it,
/// never half-applied.
#[tokio::test]
async fn every_example_body_with_a_misspelt_field_is_refused() {
    let server = TestServer::start().await;
    let api = crate::common::Api::new(&server, "misspelt-fields@example.com").await;
    let document = finvex_server::openapi::build(&finvex_server::routes::all());
    let access: std::collections::BTreeMap<&str, Access> = finvex_server::routes::all()
        .iter()
        .map(|r| (r.path, r.access))
        .collect();
    let mut walked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        if access.get(path.as_str()) != Some(&Access::Merchant) {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let media = &op["requestBody"]["content"]["application/json"];
            if !media.is_object() {
                continue;
            }
            // An operation without an example still refuses a misspelt field alone.
            let example = match &media["example"] {
                Value::Object(_) => media["example"].clone(),
                _ => serde_json::json!({}),
            };
            let url = path
                .replace("{id}", "finvex_x_1")
                .replace("{provider}", "razorpay");
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut top = example.clone();
            top["zz_misspelt"] = Value::from(1);
            let mut nested = example.clone();
            let inner = nested_object(&mut nested).map(|(at, object)| {
                object.insert("zz_nested".into(), Value::from(1));
                at
            });
            let mut cases = vec![(top, "zz_misspelt".to_string())];
            if let Some(at) = inner {
                cases.push((nested, format!("zz_nested ({at})")));
            }
            for (body, what) in cases {
                let response = api.call(method.clone(), &url, Some(body)).await;
                let (status, error) = crate::common::error_of(response).await;
                let word = what.split(' ').next().unwrap();
                assert_eq!(status, 400, "{method} {path} with {what}: {error}");
                assert!(
                    error["message"].as_str().unwrap_or("").contains(word),
                    "{method} {path} with {what}: {error}"
                );
                walked += 1;
            }
        }
    }
    assert!(walked >= 15, "only {walked} bodies walked");
    server.stop().await;
}
