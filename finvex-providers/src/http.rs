//! The transport shared by the provider adapters: one reqwest client per
//! provider account, per-request timeouts, error classification that keeps
//! "certainly not sent" apart from "outcome unknown", and bounded retries for
//! reads only.
//!
//! Classification of a failed exchange (the provider-specific error bodies are
//! mapped by each adapter's `errors` module):
//!
//! | what happened | kind | `http_status` |
//! |---|---|---|
//! | could not connect (refused, DNS, TLS, connect timeout) | `Unavailable` | `None` |
//! | no answer within `timeout_ms` | `Timeout` | `None` |
//! | the connection broke after the request was written | `Timeout` (outcome unknown) | `None` |
//! | a 2xx whose body we cannot read or parse | `Timeout` (outcome unknown) | the status |
//!
//! Retries: money-moving calls (POSTs that create, capture or refund) are sent
//! exactly once. Reads are retried at most [`MAX_READ_RETRIES`] times, with
//! backoff, on `Unavailable`, `RateLimited` and `Timeout`.

use std::time::Duration;

use finvex_core::providers::{ProviderError, ProviderErrorKind, ProviderName};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// At most this many retries after the first attempt, for reads only.
pub(crate) const MAX_READ_RETRIES: u32 = 2;
/// Backoff before retry n (1-based): `READ_BACKOFF_MS * 3^(n-1)`.
const READ_BACKOFF_MS: u64 = 100;
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Error bodies are quoted into messages up to this many bytes.
const EXCERPT_BYTES: usize = 300;
/// Bounds every paged listing (settlements).
pub(crate) const MAX_PAGES: usize = 50;

/// An error with its causes, so "could not connect" says why.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub(crate) fn provider_error(
    provider: ProviderName,
    kind: ProviderErrorKind,
    message: impl Into<String>,
) -> ProviderError {
    ProviderError {
        provider,
        kind,
        provider_code: None,
        message: message.into(),
        http_status: None,
    }
}

/// The start of a body, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_BYTES);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// A 2xx whose body does not parse: the call may well have taken effect.
/// A 2xx answer we could not map to our types: whatever it did happened,
/// so the outcome is unknown to us (treated like a timeout).
pub(crate) fn unusable<T>(
    provider: ProviderName,
    label: &str,
    result: Result<T, String>,
    what: &str,
) -> Result<T, ProviderError> {
    result.map_err(|e| {
        provider_error(
            provider,
            ProviderErrorKind::Timeout,
            format!("unusable {what} from {label} (outcome unknown): {e}"),
        )
    })
}

pub(crate) fn unreadable_success(
    provider: ProviderName,
    status: u16,
    what: &str,
    error: impl std::fmt::Display,
    body: &[u8],
) -> ProviderError {
    ProviderError {
        provider,
        kind: ProviderErrorKind::Timeout,
        provider_code: None,
        message: format!(
            "unreadable {what} in a {status} answer (outcome unknown): {error}; body: {}",
            excerpt(body)
        ),
        http_status: Some(status),
    }
}

/// Whether to send through a proxy: never for loopback fakes.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(v4)) => v4.is_loopback(),
        Some(url::Host::Ipv6(v6)) => v6.is_loopback(),
        None => false,
    }
}

/// Parses and normalises a configured base URL (no trailing slash).
pub(crate) fn parse_base_url(provider: ProviderName, raw: &str) -> Result<url::Url, ProviderError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = url::Url::parse(trimmed).map_err(|e| {
        provider_error(
            provider,
            ProviderErrorKind::InvalidRequest,
            format!("invalid base URL {raw:?}: {e}"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(provider_error(
            provider,
            ProviderErrorKind::InvalidRequest,
            format!("base URL {raw:?} must be http(s)"),
        ));
    }
    Ok(url)
}

/// `base` + path segments (each percent-encoded, so an id can never add a
/// path or a query) + query pairs.
pub(crate) fn endpoint(base: &url::Url, segments: &[&str], query: &[(&str, String)]) -> url::Url {
    let mut url = base.clone();
    {
        let mut path = url
            .path_segments_mut()
            .unwrap_or_else(|_| unreachable!("checked by parse_base_url"));
        path.pop_if_empty();
        for segment in segments {
            path.push(segment);
        }
    }
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
    }
    url
}

/// Whether a request may be retried automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// A read: retried on transient failures.
    Read,
    /// Moves money or creates something: sent exactly once.
    Never,
}

/// An HTTP client for one provider host: no redirects, a bounded connect
/// timeout, and no proxy for loopback (test fakes).
pub(crate) fn build_client(
    provider: ProviderName,
    base: &url::Url,
    timeout_ms: u64,
) -> Result<reqwest::Client, ProviderError> {
    let timeout = Duration::from_millis(timeout_ms.max(1));
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout.min(MAX_CONNECT_TIMEOUT))
        .pool_max_idle_per_host(16);
    if is_loopback(base) {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| {
        provider_error(
            provider,
            ProviderErrorKind::Unavailable,
            format!("cannot build the HTTP client: {}", error_chain(&e)),
        )
    })
}

pub(crate) struct Transport {
    client: reqwest::Client,
    provider: ProviderName,
    timeout: Duration,
}

/// A 2xx answer.
pub(crate) struct Success {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Transport {
    /// `client` may be shared (with its connection pool) among adapters,
    /// e.g. every merchant's account at one provider.
    pub(crate) fn with_client(
        provider: ProviderName,
        client: reqwest::Client,
        timeout_ms: u64,
    ) -> Transport {
        Transport {
            client,
            provider,
            timeout: Duration::from_millis(timeout_ms.max(1)),
        }
    }

    /// A JSON request: `decorate` adds the provider's credentials and
    /// headers; a 2xx body is decoded into `T`, anything else mapped by `map_status`.
    #[allow(clippy::too_many_arguments)] // each is one part of the request
    pub(crate) async fn json<T: serde::de::DeserializeOwned>(
        &self,
        retry: Retry,
        method: reqwest::Method,
        url: url::Url,
        body: Option<String>,
        decorate: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
        map_status: impl Fn(u16, &[u8]) -> ProviderError,
        what: &str,
    ) -> Result<T, ProviderError> {
        let success = self
            .send(
                retry,
                |client| {
                    let mut request = decorate(
                        client
                            .request(method.clone(), url.clone())
                            .header(reqwest::header::ACCEPT, "application/json"),
                    );
                    if let Some(body) = &body {
                        request = request
                            .header(reqwest::header::CONTENT_TYPE, "application/json")
                            .body(body.clone());
                    }
                    request
                },
                map_status,
            )
            .await?;
        serde_json::from_slice(&success.body)
            .map_err(|e| unreadable_success(self.provider, success.status, what, e, &success.body))
    }

    /// Sends the request `build` makes (called again for each retry) and
    /// returns a 2xx body, or the error `map_status` makes of a non-2xx one.
    pub(crate) async fn send(
        &self,
        retry: Retry,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        map_status: impl Fn(u16, &[u8]) -> ProviderError,
    ) -> Result<Success, ProviderError> {
        let mut attempt = 0;
        loop {
            let outcome = self.send_once(&build, &map_status).await;
            match outcome {
                Err(error)
                    if retry == Retry::Read
                        && attempt < MAX_READ_RETRIES
                        && matches!(
                            error.kind,
                            ProviderErrorKind::Unavailable
                                | ProviderErrorKind::RateLimited
                                | ProviderErrorKind::Timeout
                        ) =>
                {
                    attempt += 1;
                    let backoff = READ_BACKOFF_MS * 3u64.pow(attempt - 1);
                    tracing::debug!(
                        provider = self.provider.as_str(),
                        attempt,
                        error = %error,
                        "retrying a provider read"
                    );
                    tokio::time::sleep(Duration::from_millis(backoff)).await;
                }
                other => return other,
            }
        }
    }

    async fn send_once(
        &self,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        map_status: &impl Fn(u16, &[u8]) -> ProviderError,
    ) -> Result<Success, ProviderError> {
        let request = build(&self.client).timeout(self.timeout);
        let response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?
            .to_vec();
        if (200..300).contains(&status) {
            Ok(Success { status, body })
        } else {
            Err(map_status(status, &body))
        }
    }

    fn transport_error(&self, e: &reqwest::Error) -> ProviderError {
        let (kind, what) = if e.is_connect() {
            (ProviderErrorKind::Unavailable, "could not connect")
        } else if e.is_timeout() {
            (ProviderErrorKind::Timeout, "no answer in time")
        } else if e.is_builder() {
            (
                ProviderErrorKind::InvalidRequest,
                "could not build the request",
            )
        } else {
            (
                ProviderErrorKind::Timeout,
                "the exchange broke after the request was sent (outcome unknown)",
            )
        };
        provider_error(self.provider, kind, format!("{what}: {}", error_chain(e)))
    }
}

pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

pub(crate) fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// Constant-time comparison of a MAC with the one received.
pub(crate) fn mac_matches(expected: &[u8; 32], received: &[u8]) -> bool {
    received.len() == expected.len() && bool::from(expected.as_slice().ct_eq(received))
}

/// The value of a header, by case-insensitive name.
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_encode_ids_as_single_segments() {
        let base =
            parse_base_url(ProviderName::Cashfree, "https://sandbox.cashfree.com/pg/").unwrap();
        let url = endpoint(&base, &["orders", "a/b?c", "payments"], &[]);
        assert_eq!(
            url.as_str(),
            "https://sandbox.cashfree.com/pg/orders/a%2Fb%3Fc/payments"
        );
        let base = parse_base_url(ProviderName::Razorpay, "https://api.razorpay.com").unwrap();
        let url = endpoint(
            &base,
            &["v1", "settlements"],
            &[("from", "1".into()), ("count", "100".into())],
        );
        assert_eq!(
            url.as_str(),
            "https://api.razorpay.com/v1/settlements?from=1&count=100"
        );
        assert!(parse_base_url(ProviderName::Razorpay, "ftp://x").is_err());
    }

    #[test]
    fn mac_comparison_needs_the_exact_bytes() {
        let mac = hmac_sha256(b"k", &[b"a", b"b"]);
        assert_eq!(mac, hmac_sha256(b"k", &[b"ab"]));
        assert!(mac_matches(&mac, &mac));
        assert!(!mac_matches(&mac, &mac[..31]));
        let mut other = mac;
        other[0] ^= 1;
        assert!(!mac_matches(&mac, &other));
    }
}
