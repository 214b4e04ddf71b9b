//! `Idempotency-Key` on authenticated POSTs: the first request runs and its
//! response is stored; a retry with the same key and body gets that response
//! back (with `Idempotent-Replayed: true`); the rules live in finvex-core.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use finvex_core::auth::Principal;
use finvex_core::idempotency::{fingerprint, Claim};
use finvex_core::Error;

use super::error::ApiError;
use super::extract::BodyLimit;
use crate::state::AppState;

/// Stored responses are JSON documents; anything larger is not ours.
const MAX_STORED_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

pub async fn idempotent(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get("idempotency-key").cloned() else {
        return next.run(req).await;
    };
    match run(state, key, req, next).await {
        Ok(response) => response,
        Err(e) => ApiError(e).into_response(),
    }
}

async fn run(
    state: AppState,
    key: HeaderValue,
    req: Request,
    next: Next,
) -> Result<Response, Error> {
    let key = key
        .to_str()
        .map_err(|_| {
            Error::validation("Idempotency-Key", "Idempotency-Key must be printable ASCII")
        })?
        .to_string();
    let scope = req
        .extensions()
        .get::<Principal>()
        .map(Principal::scope)
        .ok_or_else(|| Error::Internal("idempotency ran before authentication".into()))?;
    let limit = req
        .extensions()
        .get::<BodyLimit>()
        .map_or(usize::MAX, |l| l.0);
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, limit)
        .await
        .map_err(|_| Error::PayloadTooLarge { limit_bytes: limit })?;
    let path = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let request_sha256 = fingerprint(parts.method.as_str(), path, &body);

    let ticket = match state
        .idempotency
        .begin(&scope, &key, &request_sha256)
        .await?
    {
        Claim::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert("content-type", HeaderValue::from_static("application/json"));
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(response);
        }
        Claim::Proceed(ticket) => ticket,
    };

    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_STORED_RESPONSE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            state.idempotency.finish(ticket, 500, "").await?;
            return Err(Error::Internal(format!("response body unreadable: {e}")));
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    if let Err(e) = state
        .idempotency
        .finish(ticket, parts.status.as_u16(), &text)
        .await
    {
        // The request ran; say so rather than hide its result. The key stays
        // in progress until it goes stale, so a retry cannot run it twice soon.
        tracing::error!(error = %e, "could not store the idempotent response");
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}
