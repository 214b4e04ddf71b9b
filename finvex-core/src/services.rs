//! The services over the payment providers, wired once over one
//! [`ProviderGateway`]: what `finvex-server` and an embedding application
//! both build, so neither wires seven services by hand.

use std::sync::Arc;

use crate::clock::Clock;
use crate::orders::{OrdersService, Reconciler};
use crate::payments::PaymentsService;
use crate::provider_webhooks::ProviderWebhookService;
use crate::providers::{ProviderGateway, ProviderRegistry};
use crate::refunds::RefundsService;
use crate::routing::RoutingService;
use crate::settlements::SettlementsService;
use crate::store::{Store, SystemStore};

pub struct PaymentServices {
    /// Provider accounts (merchants' own, the installation's, the sandbox),
    /// circuit breakers, merchants' credentials.
    pub gateway: Arc<ProviderGateway>,
    pub routing: Arc<RoutingService>,
    pub orders: Arc<OrdersService>,
    pub payments: Arc<PaymentsService>,
    pub refunds: Arc<RefundsService>,
    pub provider_webhooks: Arc<ProviderWebhookService>,
    pub settlements: Arc<SettlementsService>,
    pub reconciler: Arc<Reconciler>,
}

impl PaymentServices {
    /// `system` reaches across tenants; only the provider-webhook service
    /// and the reconciler keep it, the others get its tenant-scoped [`Store`].
    pub fn new(
        system: Arc<dyn SystemStore>,
        clock: Arc<dyn Clock>,
        registry: ProviderRegistry,
    ) -> Self {
        let store: Arc<dyn Store> = system.clone();
        let gateway = Arc::new(ProviderGateway::new(store.clone(), clock.clone(), registry));
        let routing = Arc::new(RoutingService::new(
            store.clone(),
            clock.clone(),
            gateway.clone(),
        ));
        let orders = Arc::new(OrdersService::new(
            store.clone(),
            clock.clone(),
            gateway.clone(),
            routing.clone(),
        ));
        let payments = Arc::new(PaymentsService::new(
            store.clone(),
            clock.clone(),
            gateway.clone(),
        ));
        let refunds = Arc::new(RefundsService::new(
            store.clone(),
            clock.clone(),
            gateway.clone(),
        ));
        let provider_webhooks = Arc::new(ProviderWebhookService::new(
            system.clone(),
            clock.clone(),
            gateway.clone(),
            payments.clone(),
            refunds.clone(),
        ));
        let settlements = Arc::new(SettlementsService::new(
            store.clone(),
            clock.clone(),
            gateway.clone(),
        ));
        let reconciler = Arc::new(Reconciler::new(
            system,
            clock,
            gateway.clone(),
            payments.clone(),
            refunds.clone(),
        ));
        PaymentServices {
            gateway,
            routing,
            orders,
            payments,
            refunds,
            provider_webhooks,
            settlements,
            reconciler,
        }
    }
}
