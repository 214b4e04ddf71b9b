use std::sync::Arc;

use finvex_core::admin::AdminService;
use finvex_core::auth::AuthService;
use finvex_core::gst::{EInvoiceService, GstService, Gstr1Service, InvoiceService};
use finvex_core::idempotency::IdempotencyService;
use finvex_core::jobs::JobQueue;
use finvex_core::orders::OrdersService;
use finvex_core::payments::PaymentsService;
use finvex_core::provider_webhooks::ProviderWebhookService;
use finvex_core::providers::ProviderGateway;
use finvex_core::refunds::RefundsService;
use finvex_core::routing::RoutingService;
use finvex_core::settlements::SettlementsService;
use finvex_core::store::{Store, SystemStore};
use finvex_core::webhooks::WebhookService;

use crate::http::client_ip::Cidr;
use crate::http::rate_limit::Limits;

/// What handlers reach, behind one `Arc`: axum clones the state for every
/// request and middleware, and one shared counter is far cheaper than one
/// per service.
pub type AppState = Arc<Services>;

/// The core services, and the per-instance limiters.
pub struct Services {
    /// Tenant-scoped storage, for handlers.
    pub store: Arc<dyn Store>,
    /// The same store with its cross-tenant methods, for workers and upkeep only.
    pub system: Arc<dyn SystemStore>,
    pub auth: Arc<AuthService>,
    /// The installation's admins and their sessions.
    pub admin: Arc<AdminService>,
    pub idempotency: Arc<IdempotencyService>,
    pub webhooks: Arc<WebhookService>,
    /// Provider accounts, breakers, merchants' credentials.
    pub gateway: Arc<ProviderGateway>,
    pub routing: Arc<RoutingService>,
    pub customers: Arc<finvex_core::customers::CustomersService>,
    pub plans: Arc<finvex_core::plans::PlansService>,
    pub orders: Arc<OrdersService>,
    pub payments: Arc<PaymentsService>,
    pub refunds: Arc<RefundsService>,
    pub provider_webhooks: Arc<ProviderWebhookService>,
    pub settlements: Arc<SettlementsService>,
    /// GST calculation, HSN/SAC lookup, GST settings.
    pub gst: Arc<GstService>,
    pub gst_invoices: Arc<InvoiceService>,
    /// Registration of GST invoices on the IRP.
    pub einvoices: Arc<EInvoiceService>,
    pub gstr1: Arc<Gstr1Service>,
    /// Background work: reconciliation rounds, settlement syncs.
    pub jobs: Arc<JobQueue>,
    /// Per API key (or dashboard merchant).
    pub key_limiter: Arc<Limits>,
    /// Per client address, on public endpoints.
    pub ip_limiter: Arc<Limits>,
    /// Failed authentications per client address.
    pub failure_limiter: Arc<Limits>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<Cidr>,
}
