//! Running jobs: claim what is due, hand each to the handler of its kind,
//! and record the outcome (retried with exponential backoff, at most
//! `max_attempts` times).

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::{ClaimedJob, JobNext, JobOutcome, NewJob};
use crate::clock::Clock;
use crate::ids::JobId;
use crate::store::SystemStore;
use crate::webhooks::Lease;
use crate::Error;

/// The first retry waits this long; each further one twice as long.
pub const RETRY_BASE_MS: i64 = 1_000;
/// No retry waits longer than an hour.
pub const RETRY_MAX_MS: i64 = 3_600_000;

/// Does one kind of job. Effects on our database happen exactly once (the
/// outcome is recorded under the lease); towards providers, a handler uses
/// their idempotency keys, so a repeat after a lost lease applies nothing twice.
#[async_trait]
pub trait JobHandler: Send + Sync {
    fn kind(&self) -> &'static str;
    async fn run(&self, job: &ClaimedJob) -> JobOutcome;
}

pub struct JobQueue {
    store: Arc<dyn SystemStore>,
    clock: Arc<dyn Clock>,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    lease_ms: i64,
}

/// When a failed attempt's job runs again: 1 s, 2 s, 4 s, … up to an hour.
pub fn retry_at_ms(now_ms: i64, attempts_so_far: u32) -> i64 {
    let delay = RETRY_BASE_MS.saturating_mul(1_i64 << attempts_so_far.min(30));
    now_ms + delay.min(RETRY_MAX_MS)
}

/// Where an attempt's outcome leaves the job.
pub fn next_state(outcome: JobOutcome, job: &ClaimedJob, now_ms: i64) -> JobNext {
    match outcome {
        JobOutcome::Done => JobNext::Succeeded,
        JobOutcome::Fail(error) => JobNext::Failed(error),
        JobOutcome::Retry(error) if job.attempts + 1 >= job.max_attempts => JobNext::Failed(
            format!("gave up after {} attempts: {error}", job.attempts + 1),
        ),
        JobOutcome::Retry(error) => JobNext::RetryAt {
            run_at_ms: retry_at_ms(now_ms, job.attempts),
            error,
        },
    }
}

impl JobQueue {
    /// `lease_ms` must outlast the longest attempt of any handler.
    pub fn new(store: Arc<dyn SystemStore>, clock: Arc<dyn Clock>, lease_ms: i64) -> JobQueue {
        JobQueue {
            store,
            clock,
            handlers: HashMap::new(),
            lease_ms,
        }
    }

    pub fn with_handler(mut self, handler: Arc<dyn JobHandler>) -> JobQueue {
        self.handlers.insert(handler.kind(), handler);
        self
    }

    /// Enqueues; `None` when a job with the same unique key exists already.
    pub async fn enqueue(&self, job: &NewJob) -> Result<Option<JobId>, Error> {
        self.store
            .enqueue_job(job, self.clock.now().unix_millis())
            .await
    }

    /// Recurring work: this interval's job of `kind`, keyed by the interval,
    /// so instances enqueueing it at once leave one job (`None` for the rest).
    pub async fn enqueue_round(
        &self,
        kind: &'static str,
        interval_ms: i64,
    ) -> Result<Option<JobId>, Error> {
        let now_ms = self.clock.now().unix_millis();
        let round = now_ms.div_euclid(interval_ms.max(1));
        self.enqueue(
            &NewJob::new(kind, serde_json::json!({}), now_ms).unique(format!("{kind}:{round}")),
        )
        .await
    }

    /// One worker round: claims up to `limit` due jobs this queue handles,
    /// runs them `concurrency` at a time, records each outcome. Returns how
    /// many were claimed.
    pub async fn run_due(self: &Arc<Self>, limit: u32, concurrency: usize) -> Result<usize, Error> {
        let kinds: Vec<&str> = self.handlers.keys().copied().collect();
        let now_ms = self.clock.now().unix_millis();
        let lease = Lease::new(now_ms + self.lease_ms);
        let claimed = self.store.claim_jobs(&kinds, now_ms, &lease, limit).await?;
        let count = claimed.len();
        let outcomes = crate::tasks::run_bounded(claimed, concurrency, |job| {
            let queue = self.clone();
            async move { queue.run_one(job).await }
        })
        .await;
        for outcome in outcomes {
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "a job's outcome could not be recorded; it runs again when its lease ends");
            }
        }
        Ok(count)
    }

    async fn run_one(&self, job: ClaimedJob) -> Result<(), Error> {
        let outcome = match self.handlers.get(job.kind.as_str()) {
            Some(handler) => handler.run(&job).await,
            None => JobOutcome::Fail(format!("no handler for jobs of kind {}", job.kind)),
        };
        let now_ms = self.clock.now().unix_millis();
        let next = next_state(outcome, &job, now_ms);
        if !self.store.finish_job(&job, &next, now_ms).await? {
            tracing::warn!(job = %job.id, "a job's lease was lost before its outcome was recorded");
        }
        Ok(())
    }

    /// A tenant's job, for `GET /v1/jobs/:id`.
    pub async fn job(&self, scope: &crate::Scope, id: &str) -> Result<super::JobView, Error> {
        let id = JobId::parse(id).map_err(|_| Error::not_found("job", id))?;
        self.store
            .job(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("job", id.as_str()))
    }

    pub async fn list(
        &self,
        scope: &crate::Scope,
        params: &crate::pagination::ListParams,
    ) -> Result<crate::pagination::Collection<super::JobView>, Error> {
        Ok(crate::pagination::Collection::new(
            self.store.list_jobs(scope, params).await?,
        ))
    }

    /// Upkeep: jobs that ended more than `keep_secs` ago go, in bounded batches.
    pub async fn purge_finished(&self, keep_secs: i64, batch: u32) -> Result<u64, Error> {
        let before = self.clock.now().unix_secs() - keep_secs;
        self.store.purge_finished_jobs(before, batch).await
    }

    /// Records a running job's progress (e.g. rows done of a bulk send).
    pub async fn progress(
        &self,
        job: &ClaimedJob,
        done: i64,
        total: Option<i64>,
    ) -> Result<bool, Error> {
        self.store
            .job_progress(job, done, total, self.clock.now().unix_millis())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(attempts: u32) -> ClaimedJob {
        ClaimedJob {
            id: JobId::generate(),
            kind: "test".into(),
            scope: None,
            payload: serde_json::json!({}),
            attempts,
            max_attempts: 3,
            lease_token: "t".into(),
        }
    }

    #[test]
    fn retries_back_off_and_are_bounded() {
        assert_eq!(retry_at_ms(0, 0), 1_000);
        assert_eq!(retry_at_ms(0, 1), 2_000);
        assert_eq!(retry_at_ms(0, 4), 16_000);
        assert_eq!(retry_at_ms(0, 40), RETRY_MAX_MS, "capped at an hour");
        assert_eq!(
            next_state(JobOutcome::Retry("busy".into()), &job(0), 10),
            JobNext::RetryAt {
                run_at_ms: 1_010,
                error: "busy".into()
            }
        );
        assert!(matches!(
            next_state(JobOutcome::Retry("busy".into()), &job(2), 10),
            JobNext::Failed(e) if e.contains("3 attempts")
        ));
        assert_eq!(
            next_state(JobOutcome::Fail("bad".into()), &job(0), 10),
            JobNext::Failed("bad".into())
        );
        assert_eq!(
            next_state(JobOutcome::Done, &job(2), 10),
            JobNext::Succeeded
        );
    }
}
