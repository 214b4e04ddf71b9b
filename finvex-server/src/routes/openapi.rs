//! The API's contract: the OpenAPI document, and the reference page
//! rendered from it.

use std::sync::OnceLock;

use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::IntoResponse;

use crate::http::access::{Access, Doc, Route};

/// `GET /v1/openapi.json`: the OpenAPI 3.1 document of every route.
pub async fn document() -> impl IntoResponse {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(|| crate::openapi::document().to_string());
    ([(CONTENT_TYPE, "application/json")], body.as_str())
}

/// `GET /docs`: the API reference as one self-contained page.
pub async fn reference() -> impl IntoResponse {
    static PAGE: OnceLock<String> = OnceLock::new();
    let page = PAGE.get_or_init(|| crate::reference::render(crate::openapi::document()));
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                CONTENT_SECURITY_POLICY,
                crate::reference::CONTENT_SECURITY_POLICY,
            ),
        ],
        page.as_str(),
    )
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/openapi.json", Access::Public)
            .get(document)
            .doc(Doc::new("The OpenAPI 3.1 document of this API")),
        Route::new("/docs", Access::Public).get(reference).doc(
            Doc::new("The API reference (HTML), rendered from the OpenAPI document")
                .answers("text/html"),
        ),
    ]
}
