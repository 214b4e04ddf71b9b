use std::sync::Arc;

use crate::clock::Clock;
use crate::events::{EventType, NewEvent};
use crate::ids::{OrderId, PaymentId};
use crate::money::{Amount, Money};
use crate::orders::{load_order, CheckoutSession, Order, Payment, SandboxPayResult, VerifyResult};
use crate::pagination::{Collection, ListParams};
use crate::payments::state::{
    order_after_payment, payment_transition, OrderStatus, PaymentStatus, Transition,
};
use crate::providers::sandbox::instrument_outcome;
use crate::providers::{
    ProviderErrorKind, ProviderGateway, ProviderName, ProviderPayment, ProviderPaymentStatus,
};
use crate::store::Store;
use crate::{Error, Mode, Scope};

/// Rounds of read-decide-write when a payment changes underneath us.
const MAX_SAVE_ROUNDS: usize = 4;

/// Payments (seed: "Payments"): the checkout's answer verified, captures,
/// the sandbox checkout, and every provider report of a payment applied
/// through one forward-only state machine.
pub struct PaymentsService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    gateway: Arc<ProviderGateway>,
}

/// The payment a payment id names in this tenant, or 404.
pub(crate) async fn load_payment(
    store: &dyn Store,
    scope: &Scope,
    id: &str,
) -> Result<Payment, Error> {
    let id = PaymentId::parse(id).map_err(|_| Error::not_found("payment", id))?;
    store
        .payment(scope, &id)
        .await?
        .ok_or_else(|| Error::not_found("payment", id.as_str()))
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

impl PaymentsService {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        gateway: Arc<ProviderGateway>,
    ) -> Self {
        PaymentsService {
            store,
            clock,
            gateway,
        }
    }

    pub async fn payment(&self, scope: &Scope, id: &str) -> Result<Payment, Error> {
        load_payment(self.store.as_ref(), scope, id).await
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

    /// `POST /v1/checkout/sessions` (publishable key): what the browser
    /// needs to open the checkout of one of the merchant's unpaid orders.
    pub async fn checkout_session(
        &self,
        scope: &Scope,
        order_id: &str,
    ) -> Result<CheckoutSession, Error> {
        let order = load_order(self.store.as_ref(), scope, order_id).await?;
        if order.status == OrderStatus::Paid {
            return Err(Error::conflict(
                "order_id",
                format!("order {} is already paid", order.id),
            ));
        }
        Ok(CheckoutSession {
            entity: "checkout_session",
            order_id: order.id,
            mode: order.mode,
            amount: order.amount,
            currency: order.currency,
            status: order.status,
            provider: order.provider,
            checkout: order.checkout,
            description: order.description,
        })
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
        let order = load_order(self.store.as_ref(), scope, order_id).await?;
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
            .require_payments()?
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
        let order = load_order(self.store.as_ref(), scope, order_id).await?;
        let provider = self.gateway.provider(scope, order.provider).await?;
        let payments = provider.require_payments()?;
        let not_verified = |reason: &str| VerifyResult {
            verified: false,
            order_id: order.id.clone(),
            payment: None,
            reason: Some(reason.to_string()),
        };
        if payments.issues_checkout_signature() {
            // A checkout without a signature (Cashfree's) is confirmed by the fetch below alone.
            let Some(signature) = signature else {
                return Err(Error::validation("signature", "signature is required"));
            };
            if !payments
                .verify_checkout_signature(&order.provider_order_id, provider_payment_id, signature)
                .map_err(Error::from)?
            {
                return Ok(not_verified(
                    "the signature does not match this order and payment",
                ));
            }
        }
        let reported = match payments
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
        let order = load_order(self.store.as_ref(), scope, payment.order_id.as_str()).await?;
        self.capture_payment(scope, &order, payment).await
    }

    pub(crate) async fn capture_payment(
        &self,
        scope: &Scope,
        order: &Order,
        payment: Payment,
    ) -> Result<Payment, Error> {
        let provider = self.gateway.provider(scope, payment.provider).await?;
        match provider
            .require_payments()?
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
            let now = self.clock.now().unix_secs();
            let (payment, previous) = match existing {
                Some(existing) => {
                    match payment_transition(existing.status, payment_status(reported.status))? {
                        Transition::Stale => return Ok(existing),
                        Transition::Apply => {
                            let previous = existing.status;
                            (moved_payment(existing, reported, now), Some(previous))
                        }
                    }
                }
                None => (new_payment(&order, reported, now), None),
            };
            let order_status = order_after_payment(order.status, payment.status);
            let events = payment_events(&order, &payment, order_status)?;
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
}

/// A payment we have, moved to what the provider now reports.
fn moved_payment(existing: Payment, reported: &ProviderPayment, now_secs: i64) -> Payment {
    Payment {
        status: payment_status(reported.status),
        error_code: reported.error_code.clone(),
        error_description: reported.error_description.clone(),
        method: reported.method.clone().or(existing.method.clone()),
        updated_at: now_secs,
        ..existing
    }
}

/// A payment first heard of in the provider's report.
fn new_payment(order: &Order, reported: &ProviderPayment, now_secs: i64) -> Payment {
    Payment {
        id: PaymentId::generate(),
        entity: "payment".into(),
        order_id: order.id.clone(),
        amount: reported.amount.amount,
        currency: reported.amount.currency,
        status: payment_status(reported.status),
        method: reported.method.clone(),
        provider: reported.provider,
        provider_payment_id: reported.provider_payment_id.clone(),
        amount_refunded: Amount::ZERO,
        error_code: reported.error_code.clone(),
        error_description: reported.error_description.clone(),
        fee: reported.fee_minor.map(Amount::from_minor),
        tax: reported.tax_minor.map(Amount::from_minor),
        created_at: now_secs,
        updated_at: now_secs,
    }
}

/// The events a payment's new state emits: its own, and `order.paid` when
/// it pays the order.
fn payment_events(
    order: &Order,
    payment: &Payment,
    order_status: OrderStatus,
) -> Result<Vec<NewEvent>, Error> {
    let mut events = Vec::new();
    let kind = match payment.status {
        PaymentStatus::Authorized => Some(EventType::PaymentAuthorized),
        PaymentStatus::Captured => Some(EventType::PaymentCaptured),
        PaymentStatus::Failed => Some(EventType::PaymentFailed),
        _ => None,
    };
    if let Some(kind) = kind {
        events.push(NewEvent::new(kind, payment)?);
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
    Ok(events)
}
