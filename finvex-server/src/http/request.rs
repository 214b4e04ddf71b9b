//! Request ids and timeouts.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use finvex_core::Error;

use super::error::ApiError;

/// The id of one request, echoed in `X-Request-Id` and in every log line.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

const MAX_INCOMING_ID_LEN: usize = 128;

/// Keeps a caller's `X-Request-Id` when it is sane, else makes one.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let incoming = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= MAX_INCOMING_ID_LEN
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map(str::to_string);
    let id = incoming.unwrap_or_else(|| {
        format!(
            "req_{}",
            ulid::Ulid::generate().to_string().to_ascii_lowercase()
        )
    });
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let started = std::time::Instant::now();
    let mut response = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            latency_us = started.elapsed().as_micros() as u64,
            "served"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Ends a request that runs longer than the configured timeout with a JSON 503.
pub async fn timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError(Error::Unavailable(format!(
            "the request took longer than {} ms",
            limit.as_millis()
        )))
        .into_response(),
    }
}
