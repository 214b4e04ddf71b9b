use std::sync::Arc;

use super::rules::{validate_order, ValidOrder};
use super::{CreateOrder, Order, OrderRouting, RoutingAttempt};
use crate::clock::Clock;
use crate::events::{EventType, NewEvent};
use crate::ids::OrderId;
use crate::money::Amount;
use crate::pagination::{Collection, ListParams};
use crate::payments::state::OrderStatus;
use crate::providers::{
    CreateProviderOrder, ProviderError, ProviderGateway, ProviderName, ProviderOrder,
};
use crate::routing::{RoutePlan, RoutingService};
use crate::store::Store;
use crate::{Error, Scope};

/// Orders (seed: "Orders"): created at the best provider with failover, read back.
pub struct OrdersService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    gateway: Arc<ProviderGateway>,
    routing: Arc<RoutingService>,
}

/// What trying the providers of a plan came to.
struct Attempts {
    tried: Vec<RoutingAttempt>,
    /// Failures that were the request's fault, not the provider's health.
    refusals: Vec<ProviderError>,
}

/// The order an order id names in this tenant, or 404.
pub(crate) async fn load_order(store: &dyn Store, scope: &Scope, id: &str) -> Result<Order, Error> {
    let id = OrderId::parse(id).map_err(|_| Error::not_found("order", id))?;
    store
        .order(scope, &id)
        .await?
        .ok_or_else(|| Error::not_found("order", id.as_str()))
}

impl OrdersService {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        gateway: Arc<ProviderGateway>,
        routing: Arc<RoutingService>,
    ) -> Self {
        OrdersService {
            store,
            clock,
            gateway,
            routing,
        }
    }

    /// Creates the order at the best provider, failing over to the next when
    /// one cannot create it (no money has moved, so this is safe).
    pub async fn create_order(
        &self,
        scope: &Scope,
        request: &CreateOrder,
        idempotency_key: Option<&str>,
    ) -> Result<Order, Error> {
        let valid = validate_order(request)?;
        let plan = self
            .routing
            .plan(scope, valid.amount, request.provider)
            .await?;
        let order_id = OrderId::generate();
        let provider_request = CreateProviderOrder {
            order_id: order_id.clone(),
            amount: valid.amount,
            receipt: request.receipt.clone(),
            description: request.description.clone(),
            customer: valid.customer.clone(),
            notes: valid.notes.clone(),
            idempotency_key: idempotency_key.map_or_else(
                || order_id.to_string(),
                |key| crate::idempotency::provider_key(scope, "order", key),
            ),
        };
        let mut attempts = Attempts {
            tried: Vec::new(),
            refusals: Vec::new(),
        };
        let created = self
            .try_providers(scope, &plan, &provider_request, &mut attempts)
            .await?;
        let Some(provider_order) = created else {
            return Err(no_provider_error(attempts));
        };
        let reason = match attempts.tried.iter().find(|a| a.error.is_some()) {
            Some(failed) => format!(
                "{} {}; failed over to {}",
                failed.provider.as_str(),
                failed.error.clone().unwrap_or_default(),
                provider_order.provider.as_str()
            ),
            None => plan.decision.reason.clone(),
        };
        let order = self.new_order(
            scope,
            order_id,
            request,
            valid,
            provider_order,
            reason,
            attempts,
        );
        self.store
            .insert_order(
                scope,
                &order,
                &[NewEvent::new(EventType::OrderCreated, &order)?],
            )
            .await?;
        Ok(order)
    }

    /// Tries each provider of the plan in turn, behind its circuit breaker,
    /// until one creates the order. Stops early on an error that may have
    /// taken effect at the provider (trying another could create two orders).
    async fn try_providers(
        &self,
        scope: &Scope,
        plan: &RoutePlan,
        request: &CreateProviderOrder,
        attempts: &mut Attempts,
    ) -> Result<Option<ProviderOrder>, Error> {
        for name in &plan.decision.providers {
            let Some(payments) = plan.candidate(*name).and_then(|p| p.payments()) else {
                continue;
            };
            let now_ms = self.clock.now().unix_millis();
            if !self
                .gateway
                .with_breaker(scope.mode, *name, |b| b.try_acquire(now_ms))
            {
                attempts
                    .tried
                    .push(attempt(*name, None, Some("circuit open".into())));
                continue;
            }
            let outcome = payments.create_order(request).await;
            let healthy = outcome
                .as_ref()
                .err()
                .is_none_or(|e| !e.counts_against_health());
            self.gateway.with_breaker(scope.mode, *name, |b| {
                b.record(healthy, self.clock.now().unix_millis())
            });
            match outcome {
                Ok(order) => {
                    let id = Some(order.provider_order_id.clone());
                    attempts.tried.push(attempt(*name, id, None));
                    return Ok(Some(order));
                }
                Err(e) => {
                    tracing::warn!(provider = name.as_str(), error = %e, "order creation failed; trying the next provider");
                    attempts
                        .tried
                        .push(attempt(*name, None, Some(e.message.clone())));
                    if healthy && !e.certainly_not_applied() {
                        return Err(Error::from(e));
                    }
                    if healthy {
                        attempts.refusals.push(e);
                    }
                }
            }
        }
        Ok(None)
    }

    #[allow(clippy::too_many_arguments)] // each is one part of the order, named at the call
    fn new_order(
        &self,
        scope: &Scope,
        id: OrderId,
        request: &CreateOrder,
        valid: ValidOrder,
        provider_order: ProviderOrder,
        reason: String,
        attempts: Attempts,
    ) -> Order {
        Order {
            id,
            entity: "order".into(),
            amount: valid.amount.amount,
            currency: valid.amount.currency,
            amount_paid: Amount::ZERO,
            amount_due: valid.amount.amount,
            receipt: request.receipt.clone(),
            description: request.description.clone(),
            customer: valid.customer,
            notes: valid.notes,
            status: OrderStatus::Created,
            mode: scope.mode,
            provider: provider_order.provider,
            provider_order_id: provider_order.provider_order_id,
            routing: OrderRouting {
                provider: provider_order.provider,
                reason,
                attempts: attempts.tried,
            },
            checkout: provider_order.checkout,
            created_at: self.clock.now().unix_secs(),
        }
    }

    pub async fn order(&self, scope: &Scope, id: &str) -> Result<Order, Error> {
        load_order(self.store.as_ref(), scope, id).await
    }

    pub async fn list_orders(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Collection<Order>, Error> {
        Ok(Collection::new(
            self.store.list_orders(scope, params).await?,
        ))
    }
}

fn attempt(
    provider: ProviderName,
    provider_order_id: Option<String>,
    error: Option<String>,
) -> RoutingAttempt {
    RoutingAttempt {
        provider,
        provider_order_id,
        error,
    }
}

/// No provider created the order: the merchant's to fix when every provider
/// refused the request itself (bad input, credentials), else an outage.
fn no_provider_error(attempts: Attempts) -> Error {
    if attempts.refusals.len() == attempts.tried.len() {
        if let Some(refusal) = attempts.refusals.last() {
            return Error::from(refusal.clone());
        }
    }
    let tried: Vec<String> = attempts
        .tried
        .iter()
        .map(|a| {
            format!(
                "{}: {}",
                a.provider.as_str(),
                a.error.clone().unwrap_or_default()
            )
        })
        .collect();
    Error::Unavailable(format!(
        "no payment provider could create the order ({})",
        tried.join("; ")
    ))
}
