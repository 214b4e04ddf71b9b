//! The API's OpenAPI 3.1 document, built from the route table itself: every
//! route and method of `routes::all()`, who may call it (its `Access` as a
//! security requirement), its path parameters, and, where the route declares
//! a [`Doc`], its summary, query, body and response schemas (JSON Schema
//! 2020-12 from the types the handlers parse and answer, via `schemars`).
//! Served at `GET /v1/openapi.json`; a route cannot be served without
//! appearing here.

use std::sync::OnceLock;

use axum::http::Method;
use serde_json::{json, Map, Value};

use crate::http::access::{Access, Doc, Route};

/// The API version the document describes. See `docs/API.md` ("Versioning"):
/// additive changes keep it; a breaking change gets a new dated version.
pub const API_VERSION: &str = "2026-12-01";

/// Every status an operation may answer besides its success, with the one
/// error shape (`{"error": {"code", "message", "field"}}`).
const ERROR_STATUSES: &[(u16, &str)] = &[
    (400, "Invalid request: `field` names the part at fault"),
    (401, "Missing, malformed, wrong or revoked credentials"),
    (403, "Authenticated, but not allowed"),
    (
        404,
        "No such entity in this merchant and mode, or no such route",
    ),
    (405, "Method not allowed on this path"),
    (409, "Conflict (a duplicate, or an idempotency key in use)"),
    (413, "Body over the limit"),
    (422, "Well-formed but refused by a rule"),
    (429, "Rate limited; `Retry-After` says when"),
    (
        503,
        "The store or a provider is unavailable, or the request timed out",
    ),
];

/// The document, built once per process.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| build(&crate::routes::all()))
}

/// The document for these routes.
pub fn build(routes: &[Route]) -> Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let mut paths = Map::new();
    for route in routes {
        let mut item = Map::new();
        for method in &route.methods {
            item.insert(
                method.as_str().to_ascii_lowercase(),
                operation(route, method, route.doc_for(method), &mut generator),
            );
        }
        paths.insert(route.path.to_string(), Value::Object(item));
    }
    let mut schemas = generator.take_definitions(true);
    schemas.insert("Error".into(), error_schema());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Finvex API",
            "version": API_VERSION,
            "description": "Payments, refunds, settlements, GST and webhooks over Razorpay and Cashfree. Amounts are integers in the currency's minor unit (50000 = Rs 500.00). Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": {
                "description": "An error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            }},
            "securitySchemes": security_schemes()
        }
    })
}

fn operation(
    route: &Route,
    method: &Method,
    doc: Option<&Doc>,
    generator: &mut schemars::SchemaGenerator,
) -> Value {
    let mut op = Map::new();
    op.insert(
        "operationId".into(),
        operation_id(method, route.path).into(),
    );
    op.insert("tags".into(), json!([tag(route.path)]));
    let summary = doc.map_or_else(
        || format!("{} {}", method.as_str(), route.path),
        |d| d.summary.to_string(),
    );
    op.insert("summary".into(), summary.into());
    let mut description = format!("Who may call it: {}.", route.access.as_str());
    if let Some(more) = doc.and_then(|d| d.description) {
        description = format!("{more}\n\n{description}");
    }
    op.insert("description".into(), description.into());
    op.insert("security".into(), security(route.access));
    let mut parameters = path_parameters(route.path);
    if let Some(query) = doc.and_then(|d| d.query) {
        parameters.extend(query_parameters(&query(generator), generator));
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = doc.and_then(|d| d.body) {
        let mut media = json!({"schema": body(generator).to_value()});
        if let Some(example) = doc.and_then(|d| d.example) {
            media["example"] = example();
        }
        op.insert(
            "requestBody".into(),
            json!({"required": !doc.is_some_and(|d| d.body_optional), "content": {"application/json": media}}),
        );
    }
    op.insert("responses".into(), responses(doc, generator));
    Value::Object(op)
}

fn responses(doc: Option<&Doc>, generator: &mut schemars::SchemaGenerator) -> Value {
    let mut responses = Map::new();
    let status = doc.map_or(200, |d| d.status);
    let schema = doc
        .and_then(|d| d.response)
        .map_or_else(|| json!({"type": "object"}), |s| s(generator).to_value());
    let success = match doc.and_then(|d| d.media_type) {
        _ if doc.is_some_and(|d| d.empty) => json!({"description": "Success, no content"}),
        Some(media_type) => {
            json!({"description": "Success", "content": {media_type: {"schema": string_schema(media_type)}}})
        }
        None => {
            let mut content = json!({"application/json": {"schema": schema}});
            if let Some(media_type) = doc.and_then(|d| d.alternative_media_type) {
                content[media_type] = json!({"schema": string_schema(media_type)});
            }
            json!({"description": "Success", "content": content})
        }
    };
    responses.insert(status.to_string(), success);
    for (code, description) in ERROR_STATUSES {
        responses.insert(
            code.to_string(),
            json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
        );
    }
    Value::Object(responses)
}

/// A non-JSON answer's schema: text, or for a binary type (a PDF) bytes
/// as OpenAPI 3.1 writes them, a string with its `contentMediaType`.
fn string_schema(media_type: &str) -> Value {
    if media_type.starts_with("text/") {
        json!({"type": "string"})
    } else {
        json!({"type": "string", "contentMediaType": media_type})
    }
}

/// `{name}` segments as required string parameters.
fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect()
}

/// An object schema's properties as query parameters (none required
/// unless the schema says so).
fn query_parameters(
    schema: &schemars::Schema,
    generator: &schemars::SchemaGenerator,
) -> Vec<Value> {
    let resolved = resolve(schema.as_value(), generator);
    let required: Vec<&str> = resolved["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    resolved["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .map(|(name, schema)| {
                    json!({"name": name, "in": "query", "required": required.contains(&name.as_str()), "schema": schema})
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A `$ref` into the generator's definitions, followed once.
fn resolve(schema: &Value, generator: &schemars::SchemaGenerator) -> Value {
    match schema["$ref"].as_str() {
        Some(reference) => reference
            .rsplit('/')
            .next()
            .and_then(|name| generator.definitions().get(name))
            .cloned()
            .unwrap_or(Value::Null),
        None => schema.clone(),
    }
}

fn operation_id(method: &Method, path: &str) -> String {
    let words: Vec<String> = path
        .trim_start_matches("/v1")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim_start_matches('{')
                .trim_end_matches('}')
                .replace('-', "_")
        })
        .collect();
    format!(
        "{}_{}",
        method.as_str().to_ascii_lowercase(),
        words.join("_")
    )
}

/// The area a path belongs to: its first segment after `/v1`.
fn tag(path: &str) -> String {
    path.trim_start_matches("/v1/")
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("meta")
        .to_string()
}

fn security(access: Access) -> Value {
    match access {
        Access::Public | Access::Probe | Access::ProviderSigned => json!([]),
        Access::Merchant => json!([{"secretKey": []}, {"session": []}]),
        Access::Dashboard => json!([{"session": []}]),
        Access::Checkout => json!([{"publishableKey": []}, {"secretKey": []}, {"session": []}]),
        Access::Admin => json!([{"adminSession": []}]),
        Access::Portal => json!([{"portalSession": []}]),
    }
}

fn security_schemes() -> Value {
    json!({
        "secretKey": {"type": "apiKey", "in": "header", "name": "X-Finvex-Key",
            "description": "A secret key, `finvex_test_KEYID:SECRET` (or `finvex_live_…`); the prefix sets the mode."},
        "publishableKey": {"type": "apiKey", "in": "header", "name": "X-Finvex-Key",
            "description": "The key id alone, `finvex_test_KEYID`: safe in a web page; opens checkouts only."},
        "session": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "A dashboard session from POST /v1/auth/login; the mode is `X-Finvex-Mode` (default test)."},
        "adminSession": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "An admin session from POST /v1/admin/login."},
        "portalSession": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "A customer-portal session from POST /v1/portal/sessions."}
    })
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable: invalid_request, unauthenticated, forbidden, not_found, conflict, idempotency_key_reused, idempotency_in_progress, payload_too_large, business_rule_violation, rate_limited, service_unavailable, internal_error"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"], "description": "The request field at fault, when one is"}
            }
        }}
    })
}
