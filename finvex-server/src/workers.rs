//! Background upkeep, stopped cleanly at shutdown.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use finvex_core::orders::{ReconcileReport, ReconcileWindow};
use finvex_core::settlements::SyncRange;

use crate::config::Config;
use crate::state::AppState;

const IDEMPOTENCY_PURGE_EVERY: Duration = Duration::from_secs(600);
const IDEMPOTENCY_PURGE_BATCH: u32 = 1_000;
/// Batches per round, so one round never monopolises the store.
const IDEMPOTENCY_PURGE_MAX_BATCHES: u32 = 100;
const LIMITER_SHRINK_EVERY: Duration = Duration::from_secs(60);
/// Merchants whose settlements one sync round covers.
const SETTLEMENT_SYNC_SCOPES: u32 = 10_000;
/// Orders and refunds checked per reconciliation round (each kind).
const RECONCILE_BATCH: u32 = 100;
/// Batches per tick at most, so the providers are not flooded after an outage.
const RECONCILE_MAX_BATCHES: u32 = 10;

pub fn spawn(state: AppState, config: &Config, stop: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let purge_state = state.clone();
    let mut handles = Vec::new();
    if config.webhook_worker {
        handles.push(tokio::spawn(deliver_webhooks(
            state.clone(),
            config.webhook_batch,
            config.webhook_concurrency,
            Duration::from_millis(config.webhook_poll_ms),
            stop.clone(),
        )));
    }
    if config.reconcile_interval_ms > 0 {
        let state = state.clone();
        let window = ReconcileWindow {
            min_age_secs: config.reconcile_min_age_secs,
            ..ReconcileWindow::default()
        };
        handles.push(tokio::spawn(every(
            Duration::from_millis(config.reconcile_interval_ms),
            stop.clone(),
            move || {
                let state = state.clone();
                async move {
                    // A backlog is worked off in full batches, a bounded number per tick.
                    for _ in 0..RECONCILE_MAX_BATCHES {
                        match state.payments.reconcile_due(&window, RECONCILE_BATCH).await {
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
                            Err(e) => {
                                tracing::warn!(error = %e, "reconciliation round failed");
                                break;
                            }
                        }
                    }
                }
            },
        )));
    }
    if config.settlement_sync_interval_ms > 0 {
        let state = state.clone();
        handles.push(tokio::spawn(every(
            Duration::from_millis(config.settlement_sync_interval_ms),
            stop.clone(),
            move || {
                let state = state.clone();
                async move { sync_settlements(&state).await }
            },
        )));
    }
    handles.extend([
        tokio::spawn(every(IDEMPOTENCY_PURGE_EVERY, stop.clone(), move || {
            let state = purge_state.clone();
            async move {
                for _ in 0..IDEMPOTENCY_PURGE_MAX_BATCHES {
                    match state
                        .idempotency
                        .purge_expired(IDEMPOTENCY_PURGE_BATCH)
                        .await
                    {
                        Ok(n) if n < u64::from(IDEMPOTENCY_PURGE_BATCH) => break,
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "idempotency purge failed");
                            break;
                        }
                    }
                }
            }
        })),
        tokio::spawn(every(LIMITER_SHRINK_EVERY, stop, move || {
            let state = state.clone();
            async move {
                state.key_limiter.shrink().await;
                state.ip_limiter.shrink().await;
                state.failure_limiter.shrink().await;
            }
        })),
    ]);
    handles
}

/// Syncs the last 7 days of settlements of every merchant with its own account.
async fn sync_settlements(state: &AppState) {
    let scopes = match state
        .store
        .scopes_with_provider_accounts(SETTLEMENT_SYNC_SCOPES)
        .await
    {
        Ok(scopes) => scopes,
        Err(e) => {
            tracing::warn!(error = %e, "listing merchants for the settlement sync failed");
            return;
        }
    };
    for scope in scopes {
        match state
            .payments
            .sync_settlements(&scope, &SyncRange::default())
            .await
        {
            Ok(report) if !report.errors.is_empty() => {
                tracing::warn!(merchant = %scope.merchant_id, errors = ?report.errors, "settlement sync incomplete")
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(merchant = %scope.merchant_id, error = %e, "settlement sync failed")
            }
        }
    }
}

/// Delivers due webhooks: straight on while there is a backlog, else polls.
/// A round that is running when shutdown comes finishes first.
async fn deliver_webhooks(
    state: AppState,
    batch: u32,
    concurrency: usize,
    poll: Duration,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let busy = match state.webhooks.deliver_due(batch, concurrency).await {
            Ok(claimed) => claimed == batch as usize,
            Err(e) => {
                tracing::warn!(error = %e, "webhook delivery round failed");
                false
            }
        };
        if *stop.borrow() {
            return;
        }
        if !busy {
            tokio::select! {
                _ = tokio::time::sleep(poll) => {},
                _ = stop.changed() => return,
            }
        }
    }
}

async fn every<F, Fut>(period: Duration, mut stop: watch::Receiver<bool>, mut work: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => work().await,
            _ = stop.changed() => return,
        }
    }
}
