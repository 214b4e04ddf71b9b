//! The reconciler: a provider webhook is the source of truth, but webhooks
//! get lost. Orders left `created` or `attempted` and refunds left pending
//! are asked about at their own provider, with checks spaced out as they
//! age, and whatever the provider says goes through the same forward-only
//! state machine as every other path.

use serde::Serialize;

use std::sync::Arc;

use super::{CheckTarget, DueWindow, Order};
use crate::clock::Clock;
use crate::payments::state::PaymentStatus;
use crate::payments::PaymentsService;
use crate::providers::ProviderGateway;
use crate::refunds::RefundsService;
use crate::store::SystemStore;
use crate::{Error, Scope};

/// Which orders and refunds are checked, by age.
#[derive(Debug, Clone, Copy)]
pub struct ReconcileWindow {
    /// Younger orders and refunds are left alone: the customer may still be
    /// at checkout, the refund request still in flight.
    pub min_age_secs: i64,
    /// Older unpaid orders are abandoned: providers expire them.
    pub order_max_age_secs: i64,
    /// Pending refunds are checked until they are this old.
    pub refund_max_age_secs: i64,
    /// Bounds on the spacing between two checks of one order or refund.
    pub min_interval_secs: i64,
    pub max_interval_secs: i64,
}

impl Default for ReconcileWindow {
    fn default() -> Self {
        ReconcileWindow {
            min_age_secs: 120,
            order_max_age_secs: 3 * 86_400,
            refund_max_age_secs: 30 * 86_400,
            min_interval_secs: 60,
            max_interval_secs: 6 * 3_600,
        }
    }
}

impl ReconcileWindow {
    /// The next check comes after half the record's age (within the
    /// bounds): about 25 checks for an order abandoned for three days.
    pub fn next_check(&self, now_secs: i64, created_at_secs: i64) -> i64 {
        let age = (now_secs - created_at_secs).max(0);
        now_secs + (age / 2).clamp(self.min_interval_secs, self.max_interval_secs)
    }
}

/// What one round found and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReconcileReport {
    pub orders_checked: usize,
    /// Payments the provider reported that moved one of ours forward.
    pub payments_updated: usize,
    pub refunds_checked: usize,
    pub refunds_finished: usize,
    /// Checks that failed (provider down, ...); retried at their next check.
    pub errors: usize,
}

/// Asks the providers about unpaid orders and pending refunds (any tenant),
/// applying their answers through the payments and refunds services.
pub struct Reconciler {
    store: Arc<dyn SystemStore>,
    clock: Arc<dyn Clock>,
    gateway: Arc<ProviderGateway>,
    payments: Arc<PaymentsService>,
    refunds: Arc<RefundsService>,
}

impl Reconciler {
    pub fn new(
        store: Arc<dyn SystemStore>,
        clock: Arc<dyn Clock>,
        gateway: Arc<ProviderGateway>,
        payments: Arc<PaymentsService>,
        refunds: Arc<RefundsService>,
    ) -> Self {
        Reconciler {
            store,
            clock,
            gateway,
            payments,
            refunds,
        }
    }

    /// One round: up to `limit` due orders and `limit` due refunds.
    pub async fn reconcile_due(
        &self,
        window: &ReconcileWindow,
        limit: u32,
    ) -> Result<ReconcileReport, Error> {
        let mut report = ReconcileReport::default();
        let now = self.clock.now().unix_secs();
        let orders = self
            .store
            .orders_due_for_check(&DueWindow {
                now_secs: now,
                created_after_secs: now - window.order_max_age_secs,
                created_before_secs: now - window.min_age_secs,
                limit,
            })
            .await?;
        for (scope, order) in orders {
            // Scheduled first: a check that fails is not retried in a tight loop.
            self.store
                .set_next_check(
                    &scope,
                    CheckTarget::Order(&order.id),
                    window.next_check(now, order.created_at),
                )
                .await?;
            report.orders_checked += 1;
            match self.reconcile_order(&scope, &order).await {
                Ok(updated) => report.payments_updated += updated,
                Err(e) => {
                    report.errors += 1;
                    tracing::warn!(order = %order.id, error = %e, "order reconciliation failed");
                }
            }
        }
        let refunds = self
            .store
            .refunds_due_for_check(&DueWindow {
                now_secs: now,
                created_after_secs: now - window.refund_max_age_secs,
                created_before_secs: now - window.min_age_secs,
                limit,
            })
            .await?;
        for (scope, refund) in refunds {
            self.store
                .set_next_check(
                    &scope,
                    CheckTarget::Refund(&refund.id),
                    window.next_check(now, refund.created_at),
                )
                .await?;
            report.refunds_checked += 1;
            match self.refunds.reconcile_refund(&scope, refund).await {
                Ok(done) => report.refunds_finished += usize::from(done),
                Err(e) => {
                    report.errors += 1;
                    tracing::warn!(error = %e, "refund reconciliation failed");
                }
            }
        }
        Ok(report)
    }

    /// Applies every payment the provider has for the order; an authorized
    /// one is captured, as verification would have. Returns how many moved.
    async fn reconcile_order(&self, scope: &Scope, order: &Order) -> Result<usize, Error> {
        let provider = self.gateway.provider(scope, order.provider).await?;
        let reported = provider
            .require_payments()?
            .order_payments(&order.provider_order_id)
            .await
            .map_err(|e| Error::Unavailable(e.to_string()))?;
        let mut updated = 0;
        for payment in &reported {
            let before = self
                .store
                .payment_by_provider_id(scope, payment.provider, &payment.provider_payment_id)
                .await?
                .map(|p| p.status);
            let mut applied = self
                .payments
                .apply_provider_payment(scope, &order.id, payment)
                .await?;
            if applied.status == PaymentStatus::Authorized {
                // Capture needs only the order's ids, which never change.
                applied = self.payments.capture_payment(scope, order, applied).await?;
            }
            if before != Some(applied.status) {
                updated += 1;
            }
        }
        Ok(updated)
    }
}

/// Orders and refunds checked per reconciliation batch (each kind).
pub const RECONCILE_BATCH: u32 = 100;
/// Batches per round at most, so the providers are not flooded after an outage.
pub const RECONCILE_MAX_BATCHES: u32 = 10;

/// The reconciliation round as a job (kind `reconcile`): scheduled once per
/// interval for the whole installation, so one instance runs it, not all.
pub struct ReconcileJob {
    pub reconciler: Arc<Reconciler>,
    pub window: ReconcileWindow,
}

#[async_trait::async_trait]
impl crate::jobs::JobHandler for ReconcileJob {
    fn kind(&self) -> &'static str {
        "reconcile"
    }

    async fn run(&self, _job: &crate::jobs::ClaimedJob) -> crate::jobs::JobOutcome {
        // A backlog is worked off in full batches, a bounded number per round.
        for _ in 0..RECONCILE_MAX_BATCHES {
            match self
                .reconciler
                .reconcile_due(&self.window, RECONCILE_BATCH)
                .await
            {
                Ok(report) => {
                    if report != ReconcileReport::default() {
                        tracing::info!(?report, "reconciled with the providers");
                    }
                    let full = report.orders_checked == RECONCILE_BATCH as usize
                        || report.refunds_checked == RECONCILE_BATCH as usize;
                    if !full {
                        break;
                    }
                }
                Err(e) => return crate::jobs::JobOutcome::Retry(e.to_string()),
            }
        }
        crate::jobs::JobOutcome::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_space_out_with_age_within_bounds() {
        let w = ReconcileWindow::default();
        assert_eq!(w.next_check(1_000, 900), 1_060, "at least a minute apart");
        assert_eq!(w.next_check(10_000, 4_000), 13_000, "half the age");
        assert_eq!(
            w.next_check(200_000, 0),
            200_000 + 6 * 3_600,
            "at most six hours"
        );
        // An order abandoned for three days is asked about a bounded number of times.
        let (mut now, mut checks) = (w.min_age_secs, 0);
        while now <= w.order_max_age_secs {
            now = w.next_check(now, 0);
            checks += 1;
        }
        assert!((10..=40).contains(&checks), "{checks} checks");
    }
}
