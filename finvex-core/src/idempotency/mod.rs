//! `Idempotency-Key`: the same key and body within 24 h replays the stored
//! response; a different body is a conflict; concurrent duplicates never both run.

mod rules;
mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use async_trait::async_trait;

pub use rules::{
    decide, fingerprint, provider_key, validate_key, Decision, StoredState, IN_PROGRESS_STALE_SECS,
    KEY_TTL_SECS,
};
pub use service::{purge_expired, Claim, IdempotencyService, Ticket};

use crate::{Error, Scope};

/// A stored idempotency record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub request_sha256: String,
    pub state: StoredState,
    pub response_status: Option<u16>,
    pub response_body: Option<String>,
    pub created_at: i64,
    pub locked_at: i64,
}

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Inserts an in-progress record; `false` when the key exists already.
    async fn idempotency_insert(
        &self,
        scope: &Scope,
        key: &str,
        request_sha256: &str,
        now_secs: i64,
    ) -> Result<bool, Error>;
    async fn idempotency_get(
        &self,
        scope: &Scope,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, Error>;
    /// Compare-and-swap: restarts the record as in progress only if it is
    /// still exactly `seen` (same created_at and locked_at). `false` if another
    /// request took it first.
    async fn idempotency_retake(
        &self,
        scope: &Scope,
        key: &str,
        seen: &IdempotencyRecord,
        request_sha256: &str,
        now_secs: i64,
    ) -> Result<bool, Error>;
    async fn idempotency_complete(
        &self,
        scope: &Scope,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), Error>;
    /// Forgets an in-progress record so the request can be retried (after a server error).
    async fn idempotency_release(&self, scope: &Scope, key: &str) -> Result<(), Error>;
}

/// Upkeep across tenants.
#[async_trait]
pub trait IdempotencySystemStore: Send + Sync {
    /// Maintenance: deletes at most `limit` records created before `before_secs`, in every tenant.
    async fn idempotency_purge(&self, before_secs: i64, limit: u32) -> Result<u64, Error>;
}
