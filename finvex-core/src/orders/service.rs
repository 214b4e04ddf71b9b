use std::collections::BTreeMap;
use std::sync::Arc;

use super::providers::{ProviderGateway, ProviderRegistry, RESOLVED_MAX_ENTRIES, RESOLVED_TTL_MS};
use super::{
    CreateOrder, CreateRefund, Order, OrderRouting, Payment, Refund, RefundStatus, RoutingAttempt,
    SandboxPayResult, VerifyResult,
};
use crate::cache::TtlCache;
use crate::clock::Clock;
use crate::events::{EventType, NewEvent};
use crate::ids::{OrderId, PaymentId, RefundId};
use crate::money::{Amount, Currency, Money};
use crate::pagination::{Collection, ListParams};
use crate::payments::routing::{route, MethodHint, ProviderFacts, RoutingConfig, RoutingInput};
use crate::payments::sandbox::instrument_outcome;
use crate::payments::state::{
    order_after_payment, payment_transition, OrderStatus, PaymentStatus, Transition,
};
use crate::payments::{
    CreateProviderOrder, CreateProviderRefund, CustomerDetails, PaymentProvider, ProviderErrorKind,
    ProviderName, ProviderPayment, ProviderPaymentStatus, ProviderRefundStatus, ProviderWebhook,
    RefundSpeed,
};
use crate::store::Store;
use crate::types::{Email, Phone};
use crate::{Error, Mode, Scope};

const MAX_RECEIPT_CHARS: usize = 40;
const MAX_DESCRIPTION_CHARS: usize = 2_048;
/// As Razorpay and Cashfree bound a customer's name.
const MAX_CUSTOMER_NAME_CHARS: usize = 100;
const MAX_NOTES: usize = 15;
const MAX_NOTE_CHARS: usize = 256;
/// ₹1 lakh crore in paise: far above any single order; a typo guard.
const MAX_AMOUNT_MINOR: i64 = 10_000_000_000_000;
/// Rounds of read-decide-write when a payment changes underneath us.
const MAX_SAVE_ROUNDS: usize = 4;

pub struct PaymentsService {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) gateway: ProviderGateway,
    routing_rules: TtlCache<Scope, RoutingConfig>,
}

/// Verifies the signature with each account in turn; the first that
/// verifies parses the webhook.
fn parse_webhook(
    name: ProviderName,
    accounts: &[Arc<dyn PaymentProvider>],
    headers: &[(String, String)],
    raw_body: &[u8],
) -> Result<ProviderWebhook, Error> {
    for provider in accounts {
        match provider.parse_webhook(headers, raw_body) {
            Ok(webhook) => return Ok(webhook),
            Err(e) if e.kind == ProviderErrorKind::InvalidSignature => continue,
            Err(e) => {
                return Err(Error::validation(
                    "body",
                    format!("unreadable {} webhook: {}", name.as_str(), e.message),
                ))
            }
        }
    }
    Err(Error::Unauthenticated(format!(
        "the {} webhook signature does not verify",
        name.as_str()
    )))
}

fn payment_status(status: ProviderPaymentStatus) -> PaymentStatus {
    match status {
        ProviderPaymentStatus::Created => PaymentStatus::Created,
        ProviderPaymentStatus::Pending => PaymentStatus::Pending,
        ProviderPaymentStatus::Authorized => PaymentStatus::Authorized,
        ProviderPaymentStatus::Captured => PaymentStatus::Captured,
        ProviderPaymentStatus::Failed => PaymentStatus::Failed,
    }
}

fn validate_notes(
    notes: Option<BTreeMap<String, String>>,
) -> Result<BTreeMap<String, String>, Error> {
    let notes = notes.unwrap_or_default();
    if notes.len() > MAX_NOTES
        || notes
            .iter()
            .any(|(k, v)| k.chars().count() > MAX_NOTE_CHARS || v.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(Error::validation("notes", format!("notes take at most {MAX_NOTES} keys, each key and value at most {MAX_NOTE_CHARS} characters")));
    }
    Ok(notes)
}

impl PaymentsService {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, registry: ProviderRegistry) -> Self {
        PaymentsService {
            gateway: ProviderGateway::new(store.clone(), clock.clone(), registry),
            store,
            clock,
            routing_rules: TtlCache::new(RESOLVED_TTL_MS, RESOLVED_MAX_ENTRIES),
        }
    }

    /// Provider accounts: merchants' own, the installation's, the sandbox.
    pub fn providers(&self) -> &ProviderGateway {
        &self.gateway
    }

    pub(super) fn now_secs(&self) -> i64 {
        self.clock.now().unix_secs()
    }

    fn validate(
        &self,
        request: &CreateOrder,
    ) -> Result<(Money, CustomerDetails, BTreeMap<String, String>), Error> {
        let currency = match &request.currency {
            Some(code) => Currency::parse(code)?,
            None => Currency::INR,
        };
        let minimum = 10_i64.pow(u32::from(currency.minor_units()));
        if request.amount < minimum || request.amount > MAX_AMOUNT_MINOR {
            return Err(Error::validation("amount", format!("amount must be at least {minimum} (1 {currency}) in the currency's minor unit, e.g. 50000 paise = Rs 500")));
        }
        if request
            .receipt
            .as_ref()
            .is_some_and(|r| r.chars().count() > MAX_RECEIPT_CHARS)
        {
            return Err(Error::validation(
                "receipt",
                format!("receipt must be at most {MAX_RECEIPT_CHARS} characters"),
            ));
        }
        if request
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
        {
            return Err(Error::validation(
                "description",
                format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        let customer = request.customer.clone().unwrap_or_default();
        if customer
            .name
            .as_ref()
            .is_some_and(|n| n.trim().chars().count() > MAX_CUSTOMER_NAME_CHARS)
        {
            return Err(Error::validation(
                "customer.name",
                format!("customer.name must be at most {MAX_CUSTOMER_NAME_CHARS} characters"),
            ));
        }
        let customer = CustomerDetails {
            name: customer
                .name
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            email: customer
                .email
                .map(|e| {
                    Email::parse(&e).map(|e| e.to_string()).map_err(|_| {
                        Error::validation(
                            "customer.email",
                            format!("{e:?} is not a valid email address"),
                        )
                    })
                })
                .transpose()?,
            phone: customer
                .phone
                .map(|p| {
                    Phone::parse(&p).map(|p| p.to_string()).map_err(|_| {
                        Error::validation(
                            "customer.phone",
                            format!("{p:?} is not a valid phone number"),
                        )
                    })
                })
                .transpose()?,
        };
        Ok((
            Money::new(Amount::from_minor(request.amount), currency),
            customer,
            validate_notes(request.notes.clone())?,
        ))
    }

    /// Creates the order at the best provider, failing over to the next when
    /// one cannot create it (no money has moved, so this is safe).
    pub async fn create_order(
        &self,
        scope: &Scope,
        request: &CreateOrder,
        idempotency_key: Option<&str>,
    ) -> Result<Order, Error> {
        let (amount, customer, notes) = self.validate(request)?;
        let mut candidates = self.gateway.resolve(scope).await?.providers.clone();
        if let Some(wanted) = request.provider {
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
        } else if candidates.iter().any(|p| p.name() != ProviderName::Sandbox) {
            // The sandbox serves test mode only when no real test account is
            // configured (or when asked for by name): failing over to it would
            // fake a payment.
            candidates.retain(|p| p.name() != ProviderName::Sandbox);
        }
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
        let split_draw = rand::random::<u32>() % 100;
        let config = self.routing_rules(scope).await?;
        let decision = route(
            &RoutingInput {
                amount_minor: amount.amount.minor(),
                method: MethodHint::Any,
                split_draw,
            },
            &config,
            &facts,
        )?;

        let order_id = OrderId::generate();
        let provider_request = CreateProviderOrder {
            order_id: order_id.clone(),
            amount,
            receipt: request.receipt.clone(),
            description: request.description.clone(),
            customer: customer.clone(),
            notes: notes.clone(),
            idempotency_key: idempotency_key.map_or_else(
                || order_id.to_string(),
                |key| crate::idempotency::provider_key(scope, "order", key),
            ),
        };
        let mut attempts = Vec::new();
        let mut refusals = Vec::new();
        let mut created = None;
        for name in &decision.providers {
            let Some(provider) = candidates.iter().find(|p| p.name() == *name) else {
                continue;
            };
            let now_ms = self.clock.now().unix_millis();
            if !self
                .gateway
                .with_breaker(scope.mode, *name, |b| b.try_acquire(now_ms))
            {
                attempts.push(RoutingAttempt {
                    provider: *name,
                    provider_order_id: None,
                    error: Some("circuit open".into()),
                });
                continue;
            }
            match provider.create_order(&provider_request).await {
                Ok(order) => {
                    self.gateway.with_breaker(scope.mode, *name, |b| {
                        b.record(true, self.clock.now().unix_millis())
                    });
                    attempts.push(RoutingAttempt {
                        provider: *name,
                        provider_order_id: Some(order.provider_order_id.clone()),
                        error: None,
                    });
                    created = Some(order);
                    break;
                }
                Err(e) => {
                    let counts = e.counts_against_health();
                    self.gateway.with_breaker(scope.mode, *name, |b| {
                        b.record(!counts, self.clock.now().unix_millis())
                    });
                    tracing::warn!(provider = name.as_str(), error = %e, "order creation failed; trying the next provider");
                    attempts.push(RoutingAttempt {
                        provider: *name,
                        provider_order_id: None,
                        error: Some(e.message.clone()),
                    });
                    if !counts && !e.certainly_not_applied() {
                        return Err(Error::from(e));
                    }
                    if !counts {
                        refusals.push(e);
                    }
                }
            }
        }
        let Some(provider_order) = created else {
            // Every provider refused the request itself (bad input,
            // credentials): that is for the merchant to fix, not an outage.
            if let Some(refusal) = refusals.last().filter(|_| refusals.len() == attempts.len()) {
                return Err(Error::from(refusal.clone()));
            }
            let tried: Vec<String> = attempts
                .iter()
                .map(|a| {
                    format!(
                        "{}: {}",
                        a.provider.as_str(),
                        a.error.clone().unwrap_or_default()
                    )
                })
                .collect();
            return Err(Error::Unavailable(format!(
                "no payment provider could create the order ({})",
                tried.join("; ")
            )));
        };
        let reason = match attempts.iter().find(|a| a.error.is_some()) {
            Some(failed) => format!(
                "{} {}; failed over to {}",
                failed.provider.as_str(),
                failed.error.clone().unwrap_or_default(),
                provider_order.provider.as_str()
            ),
            None => decision.reason.clone(),
        };
        let order = Order {
            id: order_id,
            entity: "order".into(),
            amount: amount.amount,
            currency: amount.currency,
            amount_paid: Amount::ZERO,
            amount_due: amount.amount,
            receipt: request.receipt.clone(),
            description: request.description.clone(),
            customer,
            notes,
            status: OrderStatus::Created,
            mode: scope.mode,
            provider: provider_order.provider,
            provider_order_id: provider_order.provider_order_id.clone(),
            routing: OrderRouting {
                provider: provider_order.provider,
                reason,
                attempts,
            },
            checkout: provider_order.checkout,
            created_at: self.now_secs(),
        };
        self.store
            .insert_order(
                scope,
                &order,
                &[NewEvent::new(EventType::OrderCreated, &order)?],
            )
            .await?;
        Ok(order)
    }

    /// The merchant's routing rules for this mode (empty: the default
    /// provider order). Cached like the provider accounts: a change is seen
    /// at once on this instance and within seconds on the others.
    pub async fn routing_rules(&self, scope: &Scope) -> Result<RoutingConfig, Error> {
        let now = self.clock.now();
        if let Some(hit) = self.routing_rules.get(scope, now) {
            return Ok(hit);
        }
        let config = self
            .store
            .routing_config(scope)
            .await?
            .unwrap_or(RoutingConfig { rules: Vec::new() });
        self.routing_rules
            .insert(scope.clone(), config.clone(), now);
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
            .set_routing_config(scope, config, self.now_secs())
            .await?;
        self.routing_rules.remove(scope);
        Ok(config.clone())
    }

    pub async fn order(&self, scope: &Scope, id: &str) -> Result<Order, Error> {
        let id = OrderId::parse(id).map_err(|_| Error::not_found("order", id))?;
        self.store
            .order(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("order", id.as_str()))
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

    pub async fn payment(&self, scope: &Scope, id: &str) -> Result<Payment, Error> {
        let id = PaymentId::parse(id).map_err(|_| Error::not_found("payment", id))?;
        self.store
            .payment(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("payment", id.as_str()))
    }

    pub async fn list_payments(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Collection<Payment>, Error> {
        Ok(Collection::new(
            self.store.list_payments(scope, params).await?,
        ))
    }

    pub async fn refund(&self, scope: &Scope, id: &str) -> Result<Refund, Error> {
        let id = RefundId::parse(id).map_err(|_| Error::not_found("refund", id))?;
        self.store
            .refund(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("refund", id.as_str()))
    }

    pub async fn list_refunds(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Collection<Refund>, Error> {
        Ok(Collection::new(
            self.store.list_refunds(scope, params).await?,
        ))
    }

    /// Test mode: plays the customer at the sandbox checkout with a test instrument.
    pub async fn sandbox_pay(
        &self,
        scope: &Scope,
        order_id: &str,
        instrument: &str,
    ) -> Result<SandboxPayResult, Error> {
        if scope.mode != Mode::Test {
            return Err(Error::Forbidden(
                "the sandbox checkout exists in test mode only".into(),
            ));
        }
        let order = self.order(scope, order_id).await?;
        if order.provider != ProviderName::Sandbox {
            return Err(Error::business(
                None,
                format!(
                    "this order is at {}; only sandbox orders can be paid here",
                    order.provider.as_str()
                ),
            ));
        }
        let outcome = instrument_outcome(instrument).ok_or_else(|| {
            Error::validation("instrument", "unknown test instrument: use success@finvex, failure@finvex, pending@finvex or a test card (4111111111111111, 4000000000000002)")
        })?;
        let resolved = self.gateway.resolve(scope).await?;
        let sandbox = resolved
            .sandbox
            .clone()
            .ok_or_else(|| Error::business(None, "the sandbox is not enabled"))?;
        let paid = sandbox
            .pay(
                &order.provider_order_id,
                Money::new(order.amount, order.currency),
                outcome,
            )
            .map_err(Error::from)?;
        // What a provider webhook would tell us: the payment's new state.
        let provider = resolved.get(scope.mode, ProviderName::Sandbox)?;
        let reported = provider
            .fetch_payment(&order.provider_order_id, &paid.provider_payment_id)
            .await
            .map_err(Error::from)?;
        let payment = self
            .apply_provider_payment(scope, &order.id, &reported)
            .await?;
        Ok(SandboxPayResult {
            order_id: order.id,
            payment_id: paid.provider_payment_id,
            signature: paid.signature,
            status: payment.status,
        })
    }

    /// The seed's step 4: checks the checkout signature, confirms the payment
    /// with the provider, captures it, and marks the order paid.
    pub async fn verify(
        &self,
        scope: &Scope,
        order_id: &str,
        provider_payment_id: &str,
        signature: Option<&str>,
    ) -> Result<VerifyResult, Error> {
        let order = self.order(scope, order_id).await?;
        let provider = self.gateway.provider(scope, order.provider).await?;
        let not_verified = |reason: &str| VerifyResult {
            verified: false,
            order_id: order.id.clone(),
            payment: None,
            reason: Some(reason.to_string()),
        };
        if provider.name() != ProviderName::Cashfree {
            // Cashfree's checkout hands out no signature; its payment is confirmed by fetching it below.
            let Some(signature) = signature else {
                return Err(Error::validation("signature", "signature is required"));
            };
            if !provider
                .verify_checkout_signature(&order.provider_order_id, provider_payment_id, signature)
                .map_err(Error::from)?
            {
                return Ok(not_verified(
                    "the signature does not match this order and payment",
                ));
            }
        }
        let reported = match provider
            .fetch_payment(&order.provider_order_id, provider_payment_id)
            .await
        {
            Ok(p) => p,
            Err(e) if e.kind == ProviderErrorKind::NotFound => {
                return Ok(not_verified(
                    "the provider has no such payment for this order",
                ))
            }
            Err(e) => return Err(Error::from(e)),
        };
        if reported.provider_order_id != order.provider_order_id
            || reported.amount != Money::new(order.amount, order.currency)
        {
            return Ok(not_verified(
                "the payment belongs to another order or amount",
            ));
        }
        let mut payment = self
            .apply_provider_payment(scope, &order.id, &reported)
            .await?;
        if payment.status == PaymentStatus::Authorized {
            payment = self.capture_payment(scope, &order, payment).await?;
        }
        Ok(VerifyResult {
            verified: payment.status.is_captured(),
            order_id: order.id,
            reason: (!payment.status.is_captured())
                .then(|| format!("the payment is {}", payment.status.as_str())),
            payment: Some(payment),
        })
    }

    /// `POST /v1/payments/:id/capture`, for payments left authorized.
    pub async fn capture(&self, scope: &Scope, payment_id: &str) -> Result<Payment, Error> {
        let payment = self.payment(scope, payment_id).await?;
        if payment.status != PaymentStatus::Authorized {
            return Err(Error::business(
                None,
                format!(
                    "only an authorized payment can be captured; this one is {}",
                    payment.status.as_str()
                ),
            ));
        }
        let order = self.order(scope, payment.order_id.as_str()).await?;
        self.capture_payment(scope, &order, payment).await
    }

    pub(super) async fn capture_payment(
        &self,
        scope: &Scope,
        order: &Order,
        payment: Payment,
    ) -> Result<Payment, Error> {
        let provider = self.gateway.provider(scope, payment.provider).await?;
        match provider
            .capture(
                &order.provider_order_id,
                &payment.provider_payment_id,
                Money::new(payment.amount, payment.currency),
            )
            .await
        {
            Ok(captured) => {
                self.apply_provider_payment(scope, &order.id, &captured)
                    .await
            }
            // Ambiguous: never retried elsewhere; the payment stays authorized
            // until its status is fetched from the same provider.
            Err(e)
                if matches!(
                    e.kind,
                    ProviderErrorKind::Timeout | ProviderErrorKind::Unavailable
                ) =>
            {
                tracing::warn!(payment = %payment.id, error = %e, "capture outcome unknown");
                Ok(payment)
            }
            Err(e) => Err(Error::from(e)),
        }
    }

    /// Applies a provider's report of a payment: inserts or moves it forward
    /// (never back), updates the order, and emits events, in one transaction.
    pub async fn apply_provider_payment(
        &self,
        scope: &Scope,
        order_id: &OrderId,
        reported: &ProviderPayment,
    ) -> Result<Payment, Error> {
        let status = payment_status(reported.status);
        for _ in 0..MAX_SAVE_ROUNDS {
            let order = self
                .store
                .order(scope, order_id)
                .await?
                .ok_or_else(|| Error::not_found("order", order_id.as_str()))?;
            let existing = self
                .store
                .payment_by_provider_id(scope, reported.provider, &reported.provider_payment_id)
                .await?;
            let now = self.now_secs();
            let (payment, previous) = match existing {
                Some(existing) => match payment_transition(existing.status, status)? {
                    Transition::Stale => return Ok(existing),
                    Transition::Apply => {
                        let previous = existing.status;
                        let updated = Payment {
                            status,
                            error_code: reported.error_code.clone(),
                            error_description: reported.error_description.clone(),
                            method: reported.method.clone().or(existing.method.clone()),
                            updated_at: now,
                            ..existing
                        };
                        (updated, Some(previous))
                    }
                },
                None => (
                    Payment {
                        id: PaymentId::generate(),
                        entity: "payment".into(),
                        order_id: order.id.clone(),
                        amount: reported.amount.amount,
                        currency: reported.amount.currency,
                        status,
                        method: reported.method.clone(),
                        provider: reported.provider,
                        provider_payment_id: reported.provider_payment_id.clone(),
                        amount_refunded: Amount::ZERO,
                        error_code: reported.error_code.clone(),
                        error_description: reported.error_description.clone(),
                        fee: reported.fee_minor.map(Amount::from_minor),
                        tax: reported.tax_minor.map(Amount::from_minor),
                        created_at: now,
                        updated_at: now,
                    },
                    None,
                ),
            };
            let order_status = order_after_payment(order.status, payment.status);
            let mut events = Vec::new();
            match payment.status {
                PaymentStatus::Authorized => {
                    events.push(NewEvent::new(EventType::PaymentAuthorized, &payment)?)
                }
                PaymentStatus::Captured => {
                    events.push(NewEvent::new(EventType::PaymentCaptured, &payment)?)
                }
                PaymentStatus::Failed => {
                    events.push(NewEvent::new(EventType::PaymentFailed, &payment)?)
                }
                _ => {}
            }
            if order_status == OrderStatus::Paid && order.status != OrderStatus::Paid {
                let paid = Order {
                    status: OrderStatus::Paid,
                    amount_paid: order.amount,
                    amount_due: Amount::ZERO,
                    ..order.clone()
                };
                events.push(NewEvent::new(
                    EventType::OrderPaid,
                    serde_json::json!({"order": paid, "payment": payment}),
                )?);
            }
            if self
                .store
                .save_payment(scope, &payment, previous, order_status, &events)
                .await?
            {
                return Ok(payment);
            }
        }
        Err(Error::IdempotencyInProgress)
    }

    /// Handles a webhook from one of the installation's accounts (trying
    /// each of them): see [`Self::apply_provider_webhook`].
    pub async fn handle_provider_webhook(
        &self,
        name: ProviderName,
        headers: &[(String, String)],
        raw_body: &[u8],
    ) -> Result<&'static str, Error> {
        let accounts = self.gateway.named(name);
        if accounts.is_empty() {
            return Err(Error::not_found("provider", name.as_str()));
        }
        let webhook = parse_webhook(name, &accounts, headers, raw_body)?;
        self.apply_provider_webhook(name, webhook, None).await
    }

    /// Handles a webhook sent to a merchant's own URL, verified with the
    /// account serving that merchant and mode; it can touch only that tenant.
    pub async fn handle_merchant_provider_webhook(
        &self,
        scope: &Scope,
        name: ProviderName,
        headers: &[(String, String)],
        raw_body: &[u8],
    ) -> Result<&'static str, Error> {
        // Anyone can call this URL with any merchant id: only a merchant that
        // has its own account here gets its accounts resolved (and cached),
        // so random ids cannot fill the cache and push real tenants out.
        if !self.gateway.accounts_cached(scope)
            && !self.gateway.has_own_account(scope, name).await?
        {
            return Err(Error::not_found("provider", name.as_str()));
        }
        let account = self
            .gateway
            .provider(scope, name)
            .await
            .map_err(|_| Error::not_found("provider", name.as_str()))?;
        let webhook = parse_webhook(name, &[account], headers, raw_body)?;
        self.apply_provider_webhook(name, webhook, Some(scope))
            .await
    }

    /// Applies a verified provider webhook: ignores duplicates, finds the
    /// tenant from the provider's ids (it must be `expected` when given), and
    /// applies the change through the same forward-only state machine as
    /// every other path. Returns `processed`, `duplicate` or `ignored`.
    async fn apply_provider_webhook(
        &self,
        name: ProviderName,
        webhook: ProviderWebhook,
        expected: Option<&Scope>,
    ) -> Result<&'static str, Error> {
        // Each tenant look-up once: the order for a payment, the refund for a refund.
        let order = match &webhook.payment {
            Some(payment) => {
                self.store
                    .order_by_provider_order(name, &payment.provider_order_id)
                    .await?
            }
            None => None,
        };
        let refund = match &webhook.refund {
            Some(reported) => {
                self.store
                    .refund_by_provider_refund(&reported.provider_refund_id)
                    .await?
            }
            None => None,
        };
        let scope = match (&webhook.payment, &order, &refund) {
            (Some(_), Some((scope, _)), _) | (None, _, Some((scope, _))) => scope.clone(),
            // Not one of ours (another integration on the same account), or a kind we do not track.
            _ => return Ok("ignored"),
        };
        if expected.is_some_and(|e| *e != scope) {
            // Signed by this merchant's account yet about another tenant's order.
            return Ok("ignored");
        }
        if let (Some(reported), Some((_, order_id))) = (&webhook.payment, &order) {
            let payment = match expected {
                // A merchant signs its own webhooks, so their bodies are only
                // as true as the merchant: the payment applied is what the
                // provider itself says about it.
                Some(scope) => {
                    let fetched = self
                        .gateway
                        .provider(scope, name)
                        .await?
                        .fetch_payment(&reported.provider_order_id, &reported.provider_payment_id)
                        .await
                        .map_err(Error::from)?;
                    if fetched.provider_order_id != reported.provider_order_id {
                        return Ok("ignored");
                    }
                    fetched
                }
                None => reported.clone(),
            };
            self.apply_provider_payment(&scope, order_id, &payment)
                .await?;
        }
        if let (Some(_), Some((_, refund)), Some(scope)) = (&webhook.refund, &refund, expected) {
            // Merchant-signed, like a payment above: the provider's own word.
            if refund.status == RefundStatus::Pending {
                self.reconcile_refund(scope, refund.clone()).await?;
            }
        } else if let (Some(reported), Some((_, mut refund))) = (&webhook.refund, refund) {
            let status = match reported.status {
                ProviderRefundStatus::Processed => Some(RefundStatus::Processed),
                ProviderRefundStatus::Failed => Some(RefundStatus::Failed),
                ProviderRefundStatus::Pending => None,
            };
            if let (Some(status), RefundStatus::Pending) = (status, refund.status) {
                refund.status = status;
                self.finish_refund(&scope, refund).await?;
            }
        }
        // Recorded after applying: a crash in between means the provider's
        // retry is applied again, which the state machine makes harmless.
        if !self
            .store
            .record_provider_event(&scope, name, &webhook.event_id, self.now_secs())
            .await?
        {
            return Ok("duplicate");
        }
        Ok("processed")
    }

    /// Refunds part or all of a captured payment. Concurrent refunds never
    /// exceed the captured amount: each reserves its amount atomically first.
    ///
    /// With the client's `idempotency_key`, the refund is bound to it: a
    /// retry whose first answer was lost (a timeout, a crash after the
    /// provider call) gets that refund back, finished with the provider
    /// under the refund's own provider key, and never a second refund.
    pub async fn create_refund(
        &self,
        scope: &Scope,
        payment_id: &str,
        request: &CreateRefund,
        idempotency_key: Option<&str>,
    ) -> Result<Refund, Error> {
        let payment = self.payment(scope, payment_id).await?;
        if let Some(key) = idempotency_key {
            if let Some(bound) = self.store.refund_by_idempotency_key(scope, key).await? {
                return self.resume_refund(scope, &payment, request, bound).await;
            }
        }
        if !payment.status.is_captured() {
            return Err(Error::business(
                None,
                format!(
                    "only a captured payment can be refunded; this one is {}",
                    payment.status.as_str()
                ),
            ));
        }
        let remaining = payment.amount.checked_sub(payment.amount_refunded)?;
        let amount = match request.amount {
            Some(amount) => Amount::positive(amount, "amount")?,
            None => remaining,
        };
        let notes = validate_notes(request.notes.clone())?;
        let now = self.now_secs();
        let refund = Refund {
            id: RefundId::generate(),
            entity: "refund".into(),
            payment_id: payment.id.clone(),
            amount,
            currency: payment.currency,
            status: RefundStatus::Pending,
            speed: request.speed.unwrap_or(RefundSpeed::Normal),
            notes: notes.clone(),
            provider_refund_id: None,
            error: None,
            created_at: now,
            updated_at: now,
        };
        let exceeds = || {
            Error::business(
                Some("amount"),
                format!(
                    "the refund exceeds what is left to refund on this payment ({} of {} {})",
                    remaining.minor(),
                    payment.amount.minor(),
                    payment.currency
                ),
            )
        };
        if amount.minor() <= 0 {
            return Err(exceeds());
        }
        match self
            .store
            .reserve_refund(scope, &refund, idempotency_key)
            .await
        {
            Ok(true) => {}
            Ok(false) => return Err(exceeds()),
            // A concurrent request under the same key won the binding.
            Err(Error::Conflict { .. }) if idempotency_key.is_some() => {
                let key = idempotency_key.unwrap_or_default();
                let bound = self
                    .store
                    .refund_by_idempotency_key(scope, key)
                    .await?
                    .ok_or(Error::IdempotencyInProgress)?;
                return self.resume_refund(scope, &payment, request, bound).await;
            }
            Err(e) => return Err(e),
        }
        let order = self.order(scope, payment.order_id.as_str()).await?;
        self.send_refund(scope, &order, &payment, refund).await
    }

    /// The refund already bound to this request's idempotency key: the same
    /// request again (else 409), sent again to the provider while its
    /// outcome is unknown (the provider deduplicates on the refund's key).
    async fn resume_refund(
        &self,
        scope: &Scope,
        payment: &Payment,
        request: &CreateRefund,
        bound: Refund,
    ) -> Result<Refund, Error> {
        let same_amount = request.amount.is_none_or(|a| a == bound.amount.minor());
        if bound.payment_id != payment.id || !same_amount {
            return Err(Error::IdempotencyKeyReused);
        }
        if bound.status != RefundStatus::Pending {
            return Ok(bound);
        }
        let order = self.order(scope, payment.order_id.as_str()).await?;
        self.send_refund(scope, &order, payment, bound).await
    }

    /// Asks the payment's provider for the refund (again, after an unknown
    /// outcome: the refund id is the idempotency key, so the provider
    /// answers with the same refund) and records the outcome.
    pub(super) async fn send_refund(
        &self,
        scope: &Scope,
        order: &Order,
        payment: &Payment,
        mut refund: Refund,
    ) -> Result<Refund, Error> {
        let provider = self.gateway.provider(scope, payment.provider).await?;
        let request = CreateProviderRefund {
            refund_id: refund.id.clone(),
            provider_order_id: order.provider_order_id.clone(),
            provider_payment_id: payment.provider_payment_id.clone(),
            amount: Money::new(refund.amount, payment.currency),
            speed: refund.speed,
            notes: refund.notes.clone(),
            idempotency_key: refund.id.to_string(),
        };
        match provider.refund(&request).await {
            Ok(done) => {
                self.store
                    .set_refund_provider_id(scope, &refund.id, &done.provider_refund_id)
                    .await?;
                refund.provider_refund_id = Some(done.provider_refund_id);
                refund.status = match done.status {
                    ProviderRefundStatus::Processed => RefundStatus::Processed,
                    ProviderRefundStatus::Failed => RefundStatus::Failed,
                    ProviderRefundStatus::Pending => RefundStatus::Pending,
                };
            }
            // Ambiguous: stays pending, resolved later from the same provider.
            Err(e)
                if matches!(
                    e.kind,
                    ProviderErrorKind::Timeout | ProviderErrorKind::Unavailable
                ) =>
            {
                tracing::warn!(refund = %refund.id, error = %e, "refund outcome unknown; left pending");
                refund.error = Some(e.message);
                return Ok(refund);
            }
            Err(e) => {
                refund.status = RefundStatus::Failed;
                refund.error = Some(e.message.clone());
            }
        }
        self.finish_refund(scope, refund).await
    }

    /// Records a refund's final status (processed or failed) with its event;
    /// a refund still pending is returned as is.
    pub(super) async fn finish_refund(
        &self,
        scope: &Scope,
        mut refund: Refund,
    ) -> Result<Refund, Error> {
        refund.updated_at = self.now_secs();
        let event = match refund.status {
            RefundStatus::Processed => EventType::RefundProcessed,
            RefundStatus::Failed => EventType::RefundFailed,
            RefundStatus::Pending => return Ok(refund),
        };
        self.store
            .finish_refund(scope, &refund, &[NewEvent::new(event, &refund)?])
            .await?;
        Ok(refund)
    }
}
