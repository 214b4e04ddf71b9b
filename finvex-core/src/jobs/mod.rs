//! One durable job queue for background work: a `jobs` row per job, enqueued
//! (inside the caller's transaction where it has one), claimed with a lease
//! by exactly one worker among all instances, retried with backoff up to a
//! bound, and finished under the lease it was claimed with. A unique key
//! makes "at most one per X" (one reconciliation per interval across every
//! instance). Progress counters let a person watch long work.

mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use async_trait::async_trait;
use serde::Serialize;

pub use service::{JobHandler, JobQueue, RETRY_BASE_MS, RETRY_MAX_MS};

use crate::ids::JobId;
use crate::pagination::ListParams;
use crate::webhooks::Lease;
use crate::{Error, Scope};

/// Attempts a job gets unless it says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub kind: &'static str,
    /// At most one job ever carries this key: a second enqueue is a no-op.
    pub unique_key: Option<String>,
    /// The tenant the job works for, if any (system jobs have none).
    pub scope: Option<Scope>,
    pub payload: serde_json::Value,
    /// Unix milliseconds from which it may run.
    pub run_at_ms: i64,
    pub max_attempts: u32,
}

impl NewJob {
    pub fn new(kind: &'static str, payload: serde_json::Value, run_at_ms: i64) -> NewJob {
        NewJob {
            kind,
            unique_key: None,
            scope: None,
            payload,
            run_at_ms,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    pub fn unique(mut self, key: impl Into<String>) -> NewJob {
        self.unique_key = Some(key.into());
        self
    }

    pub fn for_tenant(mut self, scope: Scope) -> NewJob {
        self.scope = Some(scope);
        self
    }
}

/// A claimed job, with what its handler needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub id: JobId,
    pub kind: String,
    pub scope: Option<Scope>,
    pub payload: serde_json::Value,
    /// Attempts before this one.
    pub attempts: u32,
    pub max_attempts: u32,
    pub lease_token: String,
}

/// What a handler reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    Done,
    /// Transient: try again later (until the attempts run out).
    Retry(String),
    /// Permanent: never again.
    Fail(String),
}

/// Where a finished attempt leaves the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobNext {
    Succeeded,
    RetryAt { run_at_ms: i64, error: String },
    Failed(String),
}

/// A job as the API shows it to its tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct JobView {
    pub id: JobId,
    pub entity: &'static str,
    pub kind: String,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    pub attempts: u32,
    pub max_attempts: u32,
    pub progress_done: i64,
    pub progress_total: Option<i64>,
    pub last_error: Option<String>,
    pub run_at_ms: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[async_trait]
pub trait JobStore: Send + Sync {
    /// The new job's id, or `None` when its unique key is taken already.
    async fn enqueue_job(&self, job: &NewJob, now_ms: i64) -> Result<Option<JobId>, Error>;
    async fn job(&self, scope: &Scope, id: &JobId) -> Result<Option<JobView>, Error>;
    async fn list_jobs(&self, scope: &Scope, params: &ListParams) -> Result<Vec<JobView>, Error>;
}

/// The job worker's side of the queue, across tenants.
#[async_trait]
pub trait JobSystemStore: Send + Sync {
    /// Leases up to `limit` due jobs of these kinds (any tenant) to one worker.
    async fn claim_jobs(
        &self,
        kinds: &[&str],
        now_ms: i64,
        lease: &Lease,
        limit: u32,
    ) -> Result<Vec<ClaimedJob>, Error>;
    /// Records an attempt's end, only while the job's lease is still `job`'s
    /// (`false`: another worker took it over, and its attempt counts).
    async fn finish_job(
        &self,
        job: &ClaimedJob,
        next: &JobNext,
        now_ms: i64,
    ) -> Result<bool, Error>;
    /// Progress of a running job, under its lease.
    async fn job_progress(
        &self,
        job: &ClaimedJob,
        done: i64,
        total: Option<i64>,
        now_ms: i64,
    ) -> Result<bool, Error>;
    /// Deletes up to `batch` jobs that ended (succeeded or failed) before
    /// `before_secs`; returns how many went.
    async fn purge_finished_jobs(&self, before_secs: i64, batch: u32) -> Result<u64, Error>;
}
