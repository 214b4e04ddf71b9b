//! Real HTTP adapters behind the `finvex-core` traits.
//!
//! - [`webhooks::HttpWebhookTransport`]: sends outgoing webhooks, refusing
//!   internal addresses after DNS resolution (SSRF).

pub mod irp_fake;
pub mod sandbox;
pub mod webhooks;
