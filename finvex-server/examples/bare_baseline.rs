//! The baseline for load tests: a bare axum server answering a small JSON
//! document, with no auth, store or middleware. `tests/bench/bench-http.sh`
//! runs it beside finvex-server in the same run and prints both.
//!
//! `cargo run --release -p finvex-server --example bare_baseline -- 127.0.0.1:18081`

use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18081".into());
    let app = Router::new().route(
        "/v1/merchant",
        get(|| async {
            Json(json!({
                "id": "merchant_01jd00000000000000000000000",
                "entity": "merchant",
                "name": "Bare Baseline",
                "email": "bare@example.com",
                "role": "merchant",
                "created_at": 1_700_000_000
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind(&address).await?;
    axum::serve(listener, app).await
}
