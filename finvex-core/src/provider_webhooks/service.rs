use std::sync::Arc;

use crate::clock::Clock;
use crate::orders::{Refund, RefundStatus};
use crate::payments::PaymentsService;
use crate::providers::{
    Provider, ProviderErrorKind, ProviderGateway, ProviderName, ProviderPayment, ProviderRefund,
    ProviderWebhook,
};
use crate::refunds::RefundsService;
use crate::store::SystemStore;
use crate::{Error, Scope};

/// Provider webhooks (`POST /v1/webhooks/:provider`): verified against the
/// account that signed them, matched to their tenant, and applied through
/// the payments and refunds services like every other report.
pub struct ProviderWebhookService {
    store: Arc<dyn SystemStore>,
    clock: Arc<dyn Clock>,
    gateway: Arc<ProviderGateway>,
    payments: Arc<PaymentsService>,
    refunds: Arc<RefundsService>,
}

/// Verifies the signature with each account in turn; the first that
/// verifies parses the webhook.
fn parse_webhook(
    name: ProviderName,
    accounts: &[Arc<dyn Provider>],
    headers: &[(String, String)],
    raw_body: &[u8],
) -> Result<ProviderWebhook, Error> {
    for webhooks in accounts.iter().filter_map(|p| p.webhooks()) {
        match webhooks.parse_webhook(headers, raw_body) {
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

impl ProviderWebhookService {
    pub fn new(
        store: Arc<dyn SystemStore>,
        clock: Arc<dyn Clock>,
        gateway: Arc<ProviderGateway>,
        payments: Arc<PaymentsService>,
        refunds: Arc<RefundsService>,
    ) -> Self {
        ProviderWebhookService {
            store,
            clock,
            gateway,
            payments,
            refunds,
        }
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
            let Some(payment) = self.trusted_payment(name, reported, expected).await? else {
                return Ok("ignored");
            };
            self.payments
                .apply_provider_payment(&scope, order_id, &payment)
                .await?;
        }
        if let (Some(reported), Some((_, refund))) = (&webhook.refund, refund) {
            self.apply_webhook_refund(&scope, reported, refund, expected.is_some())
                .await?;
        }
        // Recorded after applying: a crash in between means the provider's
        // retry is applied again, which the state machine makes harmless.
        if !self
            .store
            .record_provider_event(
                &scope,
                name,
                &webhook.event_id,
                self.clock.now().unix_secs(),
            )
            .await?
        {
            return Ok("duplicate");
        }
        Ok("processed")
    }

    /// Finishes a pending refund a webhook reports. A merchant-signed
    /// webhook (like a payment above) is only a prompt: the refund is asked
    /// about at the provider; an installation-signed one is the provider's word.
    async fn apply_webhook_refund(
        &self,
        scope: &Scope,
        reported: &ProviderRefund,
        mut refund: Refund,
        merchant_signed: bool,
    ) -> Result<(), Error> {
        if refund.status != RefundStatus::Pending {
            return Ok(());
        }
        if merchant_signed {
            self.refunds.reconcile_refund(scope, refund).await?;
            return Ok(());
        }
        refund.status = reported.status.into();
        if refund.status == RefundStatus::Pending {
            return Ok(());
        }
        self.refunds.finish_refund(scope, refund).await?;
        Ok(())
    }

    /// The payment a webhook reports, as far as it can be trusted: a merchant
    /// signs its own webhooks, so their bodies are only as true as the
    /// merchant, and the payment applied is what the provider itself says
    /// about it (`None` when that is about another order).
    async fn trusted_payment(
        &self,
        name: ProviderName,
        reported: &ProviderPayment,
        expected: Option<&Scope>,
    ) -> Result<Option<ProviderPayment>, Error> {
        let Some(scope) = expected else {
            return Ok(Some(reported.clone()));
        };
        let provider = self.gateway.provider(scope, name).await?;
        let fetched = provider
            .require_payments()?
            .fetch_payment(&reported.provider_order_id, &reported.provider_payment_id)
            .await
            .map_err(Error::from)?;
        Ok((fetched.provider_order_id == reported.provider_order_id).then_some(fetched))
    }
}
