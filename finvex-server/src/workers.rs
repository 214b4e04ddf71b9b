//! Background upkeep, stopped cleanly at shutdown.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::state::AppState;

const IDEMPOTENCY_PURGE_EVERY: Duration = Duration::from_secs(600);
const IDEMPOTENCY_PURGE_BATCH: u32 = 1_000;
/// Batches per round, so one round never monopolises the store.
const IDEMPOTENCY_PURGE_MAX_BATCHES: u32 = 100;
const LIMITER_SHRINK_EVERY: Duration = Duration::from_secs(60);
/// Jobs claimed per round, and run at once.
const JOB_BATCH: u32 = 16;
const JOB_CONCURRENCY: usize = 4;
/// Finished jobs are kept this long for `GET /v1/jobs`, then purged.
const JOB_KEEP_SECS: i64 = 7 * 86_400;
const JOB_PURGE_BATCH: u32 = 1_000;

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
    if config.job_worker {
        handles.push(tokio::spawn(run_jobs(
            state.clone(),
            Duration::from_millis(config.job_poll_ms),
            stop.clone(),
        )));
    }
    // Recurring work is a job per interval, keyed by the interval: every
    // instance enqueues it, the unique key keeps one, one instance runs it.
    for (kind, interval_ms) in [
        ("reconcile", config.reconcile_interval_ms),
        ("settlements.sync_all", config.settlement_sync_interval_ms),
    ] {
        if interval_ms == 0 {
            continue;
        }
        let state = state.clone();
        let interval_ms = i64::try_from(interval_ms).unwrap_or(i64::MAX);
        handles.push(tokio::spawn(every(
            Duration::from_millis(interval_ms as u64),
            stop.clone(),
            move || {
                let state = state.clone();
                async move { schedule(&state, kind, interval_ms).await }
            },
        )));
    }
    handles.extend([
        tokio::spawn(every(IDEMPOTENCY_PURGE_EVERY, stop.clone(), move || {
            let state = purge_state.clone();
            async move {
                for _ in 0..IDEMPOTENCY_PURGE_MAX_BATCHES {
                    match state
                        .jobs
                        .purge_finished(JOB_KEEP_SECS, JOB_PURGE_BATCH)
                        .await
                    {
                        Ok(n) if n < u64::from(JOB_PURGE_BATCH) => break,
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "job purge failed");
                            break;
                        }
                    }
                }
                for _ in 0..IDEMPOTENCY_PURGE_MAX_BATCHES {
                    match finvex_core::idempotency::purge_expired(
                        state.system.as_ref(),
                        &finvex_core::clock::SystemClock,
                        IDEMPOTENCY_PURGE_BATCH,
                    )
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

/// Enqueues this interval's job of `kind` (a no-op when another instance did).
async fn schedule(state: &AppState, kind: &'static str, interval_ms: i64) {
    if let Err(e) = state.jobs.enqueue_round(kind, interval_ms).await {
        tracing::warn!(kind, error = %e, "could not schedule a job");
    }
}

/// Runs due jobs; after a full batch it looks again at once.
async fn run_jobs(state: AppState, idle: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        let busy = match state.jobs.run_due(JOB_BATCH, JOB_CONCURRENCY).await {
            Ok(claimed) => claimed == JOB_BATCH as usize,
            Err(e) => {
                tracing::warn!(error = %e, "job round failed");
                false
            }
        };
        if *stop.borrow() {
            return;
        }
        if !busy {
            tokio::select! {
                _ = tokio::time::sleep(idle) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

/// Delivery rounds one call of the webhook worker runs at most.
const ROUNDS_PER_TURN: usize = 16;

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
        // Bounded, so a long backlog still lets shutdown in between.
        let busy = match state
            .webhooks
            .deliver_until_idle(batch, concurrency, ROUNDS_PER_TURN)
            .await
        {
            Ok((_, busy)) => busy,
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
