//! The API's machine-readable contract.

use std::sync::OnceLock;

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

use crate::http::access::{Access, Doc, Route};

/// `GET /v1/openapi.json`: the OpenAPI 3.1 document of every route.
pub async fn document() -> impl IntoResponse {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(|| crate::openapi::document().to_string());
    ([(CONTENT_TYPE, "application/json")], body.as_str())
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![Route::new("/v1/openapi.json", Access::Public)
        .get(document)
        .doc(Doc::new("The OpenAPI 3.1 document of this API"))]
}
