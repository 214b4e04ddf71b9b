//! Authentication and per-caller rate limiting for `/v1`.
//!
//! Merchant routes: `X-Finvex-Key: finvex_test_KEYID:SECRET` (mode from the
//! prefix) or `Authorization: Bearer <jwt>` (a dashboard session; mode from
//! `X-Finvex-Mode`, default test). Checkout routes also take the publishable
//! key `X-Finvex-Key: finvex_test_KEYID`. Admin and customer-portal routes
//! take only their own bearer sessions. Which a route takes is its `Access`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use finvex_core::admin::AdminPrincipal;
use finvex_core::auth::{api_key, AuthMethod, PortalPrincipal, Principal};
use finvex_core::{Error, Mode};

use super::access::Access;
use super::client_ip::client_ip;
use super::error::ApiError;
use super::rate_limit::{ip_bucket, Verdict};
use crate::state::AppState;

/// Handlers of merchant routes take `Caller` to get the authenticated principal.
pub struct Caller(pub Principal);

/// Handlers of admin routes take `AdminCaller`.
pub struct AdminCaller(pub AdminPrincipal);

/// Handlers of customer-portal routes take `PortalCaller`.
pub struct PortalCaller(pub PortalPrincipal);

/// The principal of type `T` the authentication layer put in the request.
fn principal_of<T: Clone + Send + Sync + 'static>(parts: &Parts) -> Result<T, ApiError> {
    parts
        .extensions
        .get::<T>()
        .cloned()
        .ok_or_else(|| ApiError(Error::Unauthenticated("missing credentials".into())))
}

impl<S: Send + Sync> FromRequestParts<S> for AdminCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        principal_of(parts).map(AdminCaller)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PortalCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        principal_of(parts).map(PortalCaller)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        principal_of(parts).map(Caller)
    }
}

/// The bearer token of an `Authorization` header, if one is sent.
fn bearer(headers: &HeaderMap) -> Result<Option<&str>, Error> {
    let Some(authorization) = headers.get("authorization") else {
        return Ok(None);
    };
    let value = authorization.to_str().unwrap_or("");
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(|token| Some(token.trim()))
        .ok_or_else(|| Error::Unauthenticated("Authorization must be \"Bearer <token>\"".into()))
}

fn missing() -> Error {
    Error::Unauthenticated("missing credentials: send X-Finvex-Key: finvex_test_KEYID:SECRET or Authorization: Bearer <token>".into())
}

/// A merchant: its secret key, or a dashboard session (mode from
/// `X-Finvex-Mode`, default test). A publishable key is refused here.
async fn merchant_principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, Error> {
    if let Some(key) = headers.get("x-finvex-key") {
        let key = key
            .to_str()
            .map_err(|_| Error::Unauthenticated("invalid API key".into()))?;
        if api_key::parse_publishable(key).is_ok() {
            return Err(Error::Forbidden(
                "a publishable key (without :SECRET) may only create checkout sessions; this \
                 endpoint needs the secret key (finvex_test_KEYID:SECRET) or a dashboard session"
                    .into(),
            ));
        }
        return state.auth.authenticate_api_key(key).await;
    }
    let Some(token) = bearer(headers)? else {
        return Err(missing());
    };
    let mode = match headers
        .get("x-finvex-mode")
        .map(|v| v.to_str().unwrap_or(""))
    {
        None => Mode::Test,
        Some(raw) => Mode::parse(raw).map_err(|_| {
            Error::validation("X-Finvex-Mode", "X-Finvex-Mode must be test or live")
        })?,
    };
    state.auth.authenticate_session(token, mode).await
}

/// A web page's publishable key, or anything a merchant route takes.
async fn checkout_principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, Error> {
    if let Some(key) = headers.get("x-finvex-key").and_then(|k| k.to_str().ok()) {
        if api_key::parse_publishable(key).is_ok() {
            return state.auth.authenticate_publishable_key(key).await;
        }
    }
    merchant_principal(state, headers).await
}

/// Only a bearer session of the given kind; an API key is the wrong credential.
fn session_token<'a>(headers: &'a HeaderMap, kind: &str) -> Result<&'a str, Error> {
    if headers.contains_key("x-finvex-key") {
        return Err(Error::Forbidden(format!(
            "this endpoint needs {kind} (Authorization: Bearer), not an API key"
        )));
    }
    bearer(headers)?.ok_or_else(|| {
        Error::Unauthenticated(format!(
            "missing credentials: send {kind} as Authorization: Bearer <token>"
        ))
    })
}

/// Who a request is, as the route's `Access` asks, with its rate-limit key.
async fn identify(
    state: &AppState,
    access: Access,
    headers: &HeaderMap,
    client: &str,
) -> Result<(Identity, String), Error> {
    Ok(match access {
        Access::Admin => {
            let admin = state
                .admin
                .authenticate(session_token(headers, "an admin session")?)
                .await?;
            let key = format!("admin:{}", admin.admin_id);
            (Identity::Admin(admin), key)
        }
        Access::Portal => {
            let token = session_token(headers, "a customer-portal session")?;
            let buyer = state.auth.authenticate_portal(token).await?;
            let key = format!(
                "portal:{}:{}",
                buyer.scope.merchant_id, buyer.customer_email
            );
            (Identity::Portal(buyer), key)
        }
        Access::Checkout => {
            let principal = checkout_principal(state, headers).await?;
            let key = rate_limit_key(&principal, client);
            (Identity::Merchant(principal), key)
        }
        _ => {
            let principal = merchant_principal(state, headers).await?;
            let key = rate_limit_key(&principal, client);
            (Identity::Merchant(principal), key)
        }
    })
}

enum Identity {
    Merchant(Principal),
    Admin(AdminPrincipal),
    Portal(PortalPrincipal),
}

fn rate_limit_key(principal: &Principal, client: &str) -> String {
    match &principal.method {
        AuthMethod::ApiKey(key_id) => key_id.to_string(),
        AuthMethod::Session => principal.merchant_id.to_string(),
        // The key id is public: counted per client address too, so a page's
        // visitors (or anyone who copies the key) cannot spend the
        // merchant's server-side quota.
        AuthMethod::PublishableKey(key_id) => format!("pk:{key_id}:{client}"),
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

/// Authentication for a route of `access`: who the caller is, as that kind
/// of route asks (a merchant's key or session, a publishable key, an admin
/// or a portal session). The router layers it with the route's `Access`.
pub async fn require(
    State((state, access)): State<(AppState, Access)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    authenticate(state, peer, req, next, access).await
}

/// Identifies the caller as `access` asks, limits it per caller, and puts
/// its principal in the request for the handler's extractor.
async fn authenticate(
    state: AppState,
    peer: SocketAddr,
    mut req: Request,
    next: Next,
    access: Access,
) -> Response {
    // An address that keeps presenting wrong credentials is refused before
    // any check, so guessing keys or passwords costs the guesser, not us.
    let client = client_bucket(&state, peer, req.headers());
    if let Some(retry_after_secs) = state.failure_limiter.exhausted(&client).await {
        return ApiError(Error::RateLimited { retry_after_secs }).into_response();
    }
    let (identity, limit_key) = match identify(&state, access, req.headers(), &client).await {
        Ok(found) => found,
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
    let verdict = state.key_limiter.check(&limit_key).await;
    if matches!(verdict, Verdict::Denied { .. }) {
        return too_many(verdict);
    }
    let extensions = req.extensions_mut();
    match identity {
        Identity::Merchant(principal) => {
            extensions.insert(principal);
        }
        Identity::Admin(admin) => {
            extensions.insert(admin);
        }
        Identity::Portal(buyer) => {
            extensions.insert(buyer);
        }
    }
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
