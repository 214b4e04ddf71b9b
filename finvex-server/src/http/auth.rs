//! Authentication and per-caller rate limiting for `/v1`.
//!
//! `X-Finvex-Key: finvex_test_KEYID:SECRET` (mode from the prefix) or
//! `Authorization: Bearer <jwt>` (mode from `X-Finvex-Mode`, default test).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use finvex_core::auth::{AuthMethod, Principal};
use finvex_core::{Error, Mode};

use super::client_ip::client_ip;
use super::error::ApiError;
use super::rate_limit::{ip_bucket, Verdict};
use crate::state::AppState;

/// Handlers take `Caller` to get the authenticated principal.
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| ApiError(Error::Unauthenticated("missing credentials".into())))
    }
}

async fn principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, Error> {
    if let Some(key) = headers.get("x-finvex-key") {
        let key = key
            .to_str()
            .map_err(|_| Error::Unauthenticated("invalid API key".into()))?;
        return state.auth.authenticate_api_key(key).await;
    }
    if let Some(authorization) = headers.get("authorization") {
        let value = authorization.to_str().unwrap_or("");
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| {
                Error::Unauthenticated("Authorization must be \"Bearer <token>\"".into())
            })?;
        let mode = match headers
            .get("x-finvex-mode")
            .map(|v| v.to_str().unwrap_or(""))
        {
            None => Mode::Test,
            Some(raw) => Mode::parse(raw).map_err(|_| {
                Error::validation("X-Finvex-Mode", "X-Finvex-Mode must be test or live")
            })?,
        };
        return state.auth.authenticate_session(token.trim(), mode).await;
    }
    Err(Error::Unauthenticated("missing credentials: send X-Finvex-Key: finvex_test_KEYID:SECRET or Authorization: Bearer <token>".into()))
}

fn rate_limit_key(principal: &Principal) -> String {
    match &principal.method {
        AuthMethod::ApiKey(key_id) => key_id.to_string(),
        AuthMethod::Session => principal.merchant_id.to_string(),
    }
}

fn set_rate_headers(headers: &mut HeaderMap, verdict: Verdict) {
    let now_secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (limit, remaining, reset_after) = match verdict {
        Verdict::Allowed {
            limit,
            remaining,
            reset_after_secs,
        } => (limit, remaining, reset_after_secs),
        Verdict::Denied {
            limit,
            retry_after_secs,
        } => (limit, 0, retry_after_secs),
    };
    for (name, value) in [
        ("x-ratelimit-limit", u64::from(limit)),
        ("x-ratelimit-remaining", u64::from(remaining)),
        // Unix seconds at which the full limit is available again.
        ("x-ratelimit-reset", now_secs + reset_after),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
}

/// The rate-limit bucket of the request's client address.
fn client_bucket(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    ip_bucket(client_ip(peer.ip(), forwarded, &state.trusted_proxies))
}

fn too_many(verdict: Verdict) -> Response {
    let retry_after_secs = match verdict {
        Verdict::Denied {
            retry_after_secs, ..
        } => retry_after_secs,
        Verdict::Allowed { .. } => 1,
    };
    let mut response = ApiError(Error::RateLimited { retry_after_secs }).into_response();
    set_rate_headers(response.headers_mut(), verdict);
    response
}

pub async fn require_auth(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    // An address that keeps presenting wrong credentials is refused before
    // any check, so guessing keys or passwords costs the guesser, not us.
    let client = client_bucket(&state, peer, req.headers());
    if let Some(retry_after_secs) = state.failure_limiter.exhausted(&client).await {
        return ApiError(Error::RateLimited { retry_after_secs }).into_response();
    }
    let principal = match principal(&state, req.headers()).await {
        Ok(p) => p,
        Err(e) => {
            // A credential presented and refused is a guess; a request
            // with none is not (it learns nothing).
            let presented = ["x-finvex-key", "authorization"]
                .iter()
                .any(|h| req.headers().contains_key(*h));
            if presented && matches!(e, Error::Unauthenticated(_)) {
                state.failure_limiter.check(&client).await;
            }
            return ApiError(e).into_response();
        }
    };
    let verdict = state.key_limiter.check(&rate_limit_key(&principal)).await;
    if matches!(verdict, Verdict::Denied { .. }) {
        return too_many(verdict);
    }
    req.extensions_mut().insert(principal);
    let mut response = next.run(req).await;
    set_rate_headers(response.headers_mut(), verdict);
    response
}

/// Per-IP limit for endpoints anyone can call (signup, login); failed
/// logins also count against the address's failure budget.
pub async fn limit_by_ip(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    let client = client_bucket(&state, peer, req.headers());
    if let Some(retry_after_secs) = state.failure_limiter.exhausted(&client).await {
        return ApiError(Error::RateLimited { retry_after_secs }).into_response();
    }
    let verdict = state.ip_limiter.check(&client).await;
    if matches!(verdict, Verdict::Denied { .. }) {
        return too_many(verdict);
    }
    let mut response = next.run(req).await;
    // A wrong password, or a signup for an email that is taken: both
    // answer something about an account, so both spend the address's
    // failure budget (enumeration costs as much as guessing).
    if matches!(response.status().as_u16(), 401 | 409) {
        state.failure_limiter.check(&client).await;
    }
    set_rate_headers(response.headers_mut(), verdict);
    response
}
