use std::sync::Arc;

use super::rules::{
    route, MethodHint, ProviderFacts, RoutingConfig, RoutingDecision, RoutingInput,
};
use crate::cache::TtlCache;
use crate::clock::Clock;
use crate::money::Money;
use crate::providers::gateway::{RESOLVED_MAX_ENTRIES, RESOLVED_TTL_MS};
use crate::providers::{Provider, ProviderGateway, ProviderName};
use crate::store::Store;
use crate::{Error, Scope};

/// The providers that may take an order, and the order to try them in.
pub struct RoutePlan {
    pub candidates: Vec<Arc<dyn Provider>>,
    pub decision: RoutingDecision,
}

impl RoutePlan {
    /// The candidate named `name`, if it is still one.
    pub fn candidate(&self, name: ProviderName) -> Option<&Arc<dyn Provider>> {
        self.candidates.iter().find(|p| p.name() == name)
    }
}

pub struct RoutingService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    gateway: Arc<ProviderGateway>,
    rules: TtlCache<Scope, RoutingConfig>,
}

impl RoutingService {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        gateway: Arc<ProviderGateway>,
    ) -> Self {
        RoutingService {
            store,
            clock,
            gateway,
            rules: TtlCache::new(RESOLVED_TTL_MS, RESOLVED_MAX_ENTRIES),
        }
    }

    /// The merchant's routing rules for this mode (empty: the default
    /// provider order). Cached like the provider accounts: a change is seen
    /// at once on this instance and within seconds on the others.
    pub async fn routing_rules(&self, scope: &Scope) -> Result<RoutingConfig, Error> {
        let now = self.clock.now();
        if let Some(hit) = self.rules.get(scope, now) {
            return Ok(hit);
        }
        let config = self
            .store
            .routing_config(scope)
            .await?
            .unwrap_or(RoutingConfig { rules: Vec::new() });
        self.rules.insert(scope.clone(), config.clone(), now);
        Ok(config)
    }

    /// Replaces the routing rules after checking their invariants
    /// (splits sum to 100 %, distinct providers, sane fees).
    pub async fn set_routing_rules(
        &self,
        scope: &Scope,
        config: &RoutingConfig,
    ) -> Result<RoutingConfig, Error> {
        config.validate()?;
        self.store
            .set_routing_config(scope, config, self.clock.now().unix_secs())
            .await?;
        self.rules.remove(scope);
        Ok(config.clone())
    }

    /// The providers that can take payments for this tenant (only `wanted`
    /// when given), ordered by the merchant's rules and their health.
    pub async fn plan(
        &self,
        scope: &Scope,
        amount: Money,
        wanted: Option<ProviderName>,
    ) -> Result<RoutePlan, Error> {
        let candidates = self.candidates(scope, wanted).await?;
        let now_ms = self.clock.now().unix_millis();
        let facts: Vec<ProviderFacts> = candidates
            .iter()
            .map(|p| {
                self.gateway
                    .with_breaker(scope.mode, p.name(), |b| ProviderFacts {
                        name: p.name(),
                        available: b.is_available(now_ms),
                        success_rate_bps: b.success_rate_bps(),
                    })
            })
            .collect();
        let config = self.routing_rules(scope).await?;
        let input = RoutingInput {
            amount_minor: amount.amount.minor(),
            method: MethodHint::Any,
            split_draw: rand::random::<u32>() % 100,
        };
        let decision = route(&input, &config, &facts)?;
        Ok(RoutePlan {
            candidates,
            decision,
        })
    }

    async fn candidates(
        &self,
        scope: &Scope,
        wanted: Option<ProviderName>,
    ) -> Result<Vec<Arc<dyn Provider>>, Error> {
        let mut candidates: Vec<Arc<dyn Provider>> = self
            .gateway
            .resolve(scope)
            .await?
            .providers
            .iter()
            .filter(|p| p.payments().is_some())
            .cloned()
            .collect();
        if let Some(wanted) = wanted {
            candidates.retain(|p| p.name() == wanted);
            if candidates.is_empty() {
                return Err(Error::validation(
                    "provider",
                    format!(
                        "{} is not available in {} mode",
                        wanted.as_str(),
                        scope.mode
                    ),
                ));
            }
        } else if candidates.iter().any(|p| !p.simulated()) {
            // A simulated provider (the sandbox) serves test mode only when no
            // real test account is configured (or when asked for by name):
            // failing over to it would fake a payment.
            candidates.retain(|p| !p.simulated());
        }
        Ok(candidates)
    }
}
