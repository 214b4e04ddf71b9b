//! Real HTTP adapters behind the `finvex-core` traits.
//!
//! - [`webhooks::HttpWebhookTransport`]: sends outgoing webhooks, refusing
//!   internal addresses after DNS resolution (SSRF).

pub mod cashfree;
pub mod factory;
#[cfg(feature = "fakes")]
pub mod fakes;
pub(crate) mod http;
pub mod irp_fake;
pub mod money;
pub mod razorpay;
pub mod sandbox;
pub mod webhooks;
