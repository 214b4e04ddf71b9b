use std::sync::Arc;

use finvex_core::auth::AuthService;
use finvex_core::gst::GstService;
use finvex_core::idempotency::IdempotencyService;
use finvex_core::orders::PaymentsService;
use finvex_core::store::Store;
use finvex_core::webhooks::WebhookService;

use crate::http::rate_limit::Limiter;

/// Everything handlers reach: the core services, and the per-instance limiters.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub auth: Arc<AuthService>,
    pub idempotency: Arc<IdempotencyService>,
    pub webhooks: Arc<WebhookService>,
    pub payments: Arc<PaymentsService>,
    pub gst: Arc<GstService>,
    pub key_limiter: Arc<Limiter>,
    pub ip_limiter: Arc<Limiter>,
}
