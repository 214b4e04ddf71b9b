//! Outgoing webhook delivery over reqwest.
//!
//! Every resolved address is checked against the SSRF rules of
//! `finvex_core::webhooks::target::is_public` (unless private targets are
//! allowed for development); redirects are never followed; the response body
//! is read up to a small limit.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use finvex_core::webhooks::target::is_public;
use finvex_core::webhooks::{
    AttemptOutcome, OutgoingWebhook, WebhookTransport, RESPONSE_EXCERPT_BYTES,
};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Response bytes read before the connection is dropped.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Resolves with the system resolver, then drops internal addresses.
struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> =
                resolved.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!(
                    "{host} resolves only to private, loopback or link-local addresses"
                )
                .into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// An error with its causes, so "could not connect" says why (e.g. the SSRF guard).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Idle connections kept per receiver: as many as a worker may have in
/// flight (`webhook_concurrency` is at most 256). Fewer, and a busy
/// receiver's connections are closed after each round and opened anew.
const MAX_IDLE_PER_HOST: usize = 256;

pub struct HttpWebhookTransport {
    client: reqwest::Client,
    allow_private: bool,
}

impl HttpWebhookTransport {
    pub fn new(allow_private: bool) -> Result<HttpWebhookTransport, String> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .no_proxy()
            .pool_max_idle_per_host(MAX_IDLE_PER_HOST);
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot build the webhook HTTP client: {e}"))?;
        Ok(HttpWebhookTransport {
            client,
            allow_private,
        })
    }
}

#[async_trait]
impl WebhookTransport for HttpWebhookTransport {
    async fn post(&self, request: OutgoingWebhook) -> AttemptOutcome {
        let started = Instant::now();
        let failed = |error: String, started: Instant| AttemptOutcome {
            status_code: None,
            error: Some(error),
            latency_ms: started.elapsed().as_millis() as i64,
            response_excerpt: String::new(),
        };
        // An IP literal never reaches the resolver: check it here.
        if !self.allow_private {
            match reqwest::Url::parse(&request.url) {
                Ok(url) => {
                    let literal = match url.host() {
                        Some(url::Host::Ipv4(v4)) => Some(std::net::IpAddr::V4(v4)),
                        Some(url::Host::Ipv6(v6)) => Some(std::net::IpAddr::V6(v6)),
                        _ => None,
                    };
                    if literal.is_some_and(|ip| !is_public(ip)) {
                        return failed(
                            "the target address is private, loopback or link-local".into(),
                            started,
                        );
                    }
                }
                Err(e) => return failed(format!("invalid URL: {e}"), started),
            }
        }
        let mut builder = self
            .client
            .post(&request.url)
            .timeout(Duration::from_millis(request.timeout_ms))
            .body(request.body);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(e) => {
                let kind = if e.is_timeout() {
                    "timed out"
                } else if e.is_connect() {
                    "could not connect"
                } else {
                    "request failed"
                };
                return failed(format!("{kind}: {}", error_chain(&e)), started);
            }
        };
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while body.len() < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        body.truncate(RESPONSE_EXCERPT_BYTES);
        AttemptOutcome {
            status_code: Some(status),
            error: (!(200..300).contains(&status))
                .then(|| format!("the receiver answered HTTP {status}")),
            latency_ms: started.elapsed().as_millis() as i64,
            response_excerpt: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(url: &str) -> OutgoingWebhook {
        OutgoingWebhook {
            url: url.into(),
            headers: vec![("X-Test".into(), "1".into())],
            body: "{}".into(),
            timeout_ms: 2_000,
        }
    }

    async fn receiver(status: u16, body: &'static str) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move || async move {
                (axum::http::StatusCode::from_u16(status).unwrap(), body)
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        address
    }

    #[tokio::test]
    async fn posts_and_reports_status_and_excerpt() {
        let address = receiver(200, "thanks").await;
        let transport = HttpWebhookTransport::new(true).unwrap();
        let outcome = transport
            .post(outgoing(&format!("http://{address}/hook")))
            .await;
        assert!(outcome.succeeded(), "{outcome:?}");
        assert_eq!(outcome.response_excerpt, "thanks");
    }

    #[tokio::test]
    async fn non_2xx_and_redirects_are_failures() {
        let address = receiver(302, "moved").await;
        let transport = HttpWebhookTransport::new(true).unwrap();
        let outcome = transport
            .post(outgoing(&format!("http://{address}/hook")))
            .await;
        assert_eq!(outcome.status_code, Some(302));
        assert!(!outcome.succeeded());
    }

    #[tokio::test]
    async fn internal_targets_are_refused_by_default() {
        let address = receiver(200, "should not be reached").await;
        let transport = HttpWebhookTransport::new(false).unwrap();
        for url in [
            format!("http://{address}/hook"),
            format!("http://localhost:{}/hook", address.port()),
        ] {
            let outcome = transport.post(outgoing(&url)).await;
            assert_eq!(outcome.status_code, None, "{url}");
            assert!(outcome.error.unwrap().contains("private"), "{url}");
        }
    }

    #[tokio::test]
    async fn unreachable_receivers_are_connection_failures() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let outcome = HttpWebhookTransport::new(true)
            .unwrap()
            .post(outgoing(&format!("http://{address}/hook")))
            .await;
        assert!(outcome.error.unwrap().contains("connect"));
    }
}
