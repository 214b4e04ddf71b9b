use std::sync::Arc;

use crate::clock::Clock;
use crate::events::{EventType, NewEvent};
use crate::ids::RefundId;
use crate::money::{Amount, Money};
use crate::orders::rules::validate_notes;
use crate::orders::{load_order, CreateRefund, Order, Payment, Refund, RefundStatus};
use crate::pagination::{Collection, ListParams};
use crate::payments::load_payment;
use crate::providers::{CreateProviderRefund, ProviderErrorKind, ProviderGateway, RefundSpeed};
use crate::store::Store;
use crate::{Error, Scope};

/// Refunds (seed: "Refunds"): reserved against the captured amount
/// atomically, bound to the client's idempotency key, sent to the payment's
/// provider, and finished from its answer, a webhook or the reconciler.
pub struct RefundsService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    gateway: Arc<ProviderGateway>,
}

impl RefundsService {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        gateway: Arc<ProviderGateway>,
    ) -> Self {
        RefundsService {
            store,
            clock,
            gateway,
        }
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
        let payment = load_payment(self.store.as_ref(), scope, payment_id).await?;
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
        let now = self.clock.now().unix_secs();
        let refund = pending_refund(&payment, amount, request, notes, now);
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
        let order = load_order(self.store.as_ref(), scope, payment.order_id.as_str()).await?;
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
        let order = load_order(self.store.as_ref(), scope, payment.order_id.as_str()).await?;
        self.send_refund(scope, &order, payment, bound).await
    }

    /// Asks the payment's provider for the refund (again, after an unknown
    /// outcome: the refund id is the idempotency key, so the provider
    /// answers with the same refund) and records the outcome.
    pub(crate) async fn send_refund(
        &self,
        scope: &Scope,
        order: &Order,
        payment: &Payment,
        mut refund: Refund,
    ) -> Result<Refund, Error> {
        let provider = self.gateway.provider(scope, payment.provider).await?;
        let refunds = provider.require_refunds()?;
        let request = CreateProviderRefund {
            refund_id: refund.id.clone(),
            provider_order_id: order.provider_order_id.clone(),
            provider_payment_id: payment.provider_payment_id.clone(),
            amount: Money::new(refund.amount, payment.currency),
            speed: refund.speed,
            notes: refund.notes.clone(),
            idempotency_key: refund.id.to_string(),
        };
        match refunds.refund(&request).await {
            Ok(done) => {
                self.store
                    .set_refund_provider_id(scope, &refund.id, &done.provider_refund_id)
                    .await?;
                refund.provider_refund_id = Some(done.provider_refund_id);
                refund.status = done.status.into();
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
    pub(crate) async fn finish_refund(
        &self,
        scope: &Scope,
        mut refund: Refund,
    ) -> Result<Refund, Error> {
        refund.updated_at = self.clock.now().unix_secs();
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

    /// Finishes a pending refund from the provider's answer: fetched when the
    /// provider gave it an id, sent again (same idempotency key) when our
    /// request's outcome was never known. True when it is now final.
    pub(crate) async fn reconcile_refund(
        &self,
        scope: &Scope,
        mut refund: Refund,
    ) -> Result<bool, Error> {
        let payment = load_payment(self.store.as_ref(), scope, refund.payment_id.as_str()).await?;
        let order = load_order(self.store.as_ref(), scope, payment.order_id.as_str()).await?;
        let refund = match &refund.provider_refund_id {
            None => self.send_refund(scope, &order, &payment, refund).await?,
            Some(provider_refund_id) => {
                let provider = self.gateway.provider(scope, payment.provider).await?;
                let reported = match provider
                    .require_refunds()?
                    .fetch_refund(&order.provider_order_id, provider_refund_id)
                    .await
                {
                    Ok(r) => r,
                    Err(e) if e.kind == ProviderErrorKind::NotFound => {
                        return Err(Error::Internal(format!(
                            "{} has no refund {provider_refund_id}",
                            payment.provider.as_str()
                        )))
                    }
                    Err(e) => return Err(Error::Unavailable(e.to_string())),
                };
                refund.status = reported.status.into();
                if refund.status == RefundStatus::Pending {
                    return Ok(false);
                }
                self.finish_refund(scope, refund).await?
            }
        };
        Ok(refund.status != RefundStatus::Pending)
    }
}

/// A new refund of `amount` on the payment, pending until its provider answers.
fn pending_refund(
    payment: &Payment,
    amount: Amount,
    request: &CreateRefund,
    notes: std::collections::BTreeMap<String, String>,
    now_secs: i64,
) -> Refund {
    Refund {
        id: RefundId::generate(),
        entity: "refund".into(),
        payment_id: payment.id.clone(),
        amount,
        currency: payment.currency,
        status: RefundStatus::Pending,
        speed: request.speed.unwrap_or(RefundSpeed::Normal),
        notes,
        provider_refund_id: None,
        error: None,
        created_at: now_secs,
        updated_at: now_secs,
    }
}
