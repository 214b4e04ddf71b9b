//! Outgoing webhooks: endpoints, signed deliveries with retries, never lost.
//!
//! Delivery is at least once: each event has a stable id (`X-Finvex-Event-Id`)
//! for de-duplication. Ordering per endpoint is not promised. Redirects are not
//! followed (a 3xx counts as a failure), so a redirect cannot reach an
//! internal address.

pub mod schedule;
mod service;
pub mod signing;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
pub mod target;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use service::{
    CreatedEndpoint, DeliveryWithAttempts, TestDelivery, WebhookService, WebhookSettings,
    MAX_ENDPOINTS_PER_MODE,
};

use crate::events::NewEvent;
use crate::ids::{EventId, WebhookDeliveryId, WebhookEndpointId};
use crate::pagination::ListParams;
use crate::{Error, Mode, Scope};

/// Bytes of a receiver's answer kept for the merchant to read.
pub const RESPONSE_EXCERPT_BYTES: usize = 1_024;
pub const MAX_SUBSCRIPTIONS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebhookEndpoint {
    pub id: WebhookEndpointId,
    pub entity: String,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    /// `enabled`, `disabled` (failing for 3 days) or `deleted`.
    pub status: String,
    pub mode: Mode,
    pub created_at: i64,
}

/// An endpoint with its sealed secrets; never leaves the services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRecord {
    pub endpoint: WebhookEndpoint,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    pub previous_secret_expires_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Delivery {
    pub id: WebhookDeliveryId,
    pub entity: String,
    pub endpoint_id: WebhookEndpointId,
    pub event_id: EventId,
    pub event: String,
    /// `pending`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    pub attempts: i64,
    /// Unix milliseconds of the next try while pending.
    pub next_attempt_at_ms: Option<i64>,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub last_latency_ms: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attempt {
    pub attempt_no: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub latency_ms: i64,
    pub response_excerpt: String,
    pub created_at: i64,
}

/// A worker's claim on deliveries: until when, and a token naming the claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub until_ms: i64,
    pub token: String,
}

impl Lease {
    pub fn new(until_ms: i64) -> Lease {
        Lease {
            until_ms,
            token: ulid::Ulid::generate().to_string(),
        }
    }
}

/// A delivery claimed by a worker, with everything needed to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryJob {
    /// The lease this job was claimed under: its outcome is recorded only
    /// while the lease is still this one (another worker may have taken
    /// the delivery over after it ran out).
    pub lease_token: String,
    pub scope: Scope,
    pub delivery_id: WebhookDeliveryId,
    pub endpoint_id: WebhookEndpointId,
    pub event_id: EventId,
    pub attempts: i64,
    pub event_created_at_ms: i64,
    pub payload: String,
    pub url: String,
    pub endpoint_status: String,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    pub previous_secret_expires_at: Option<i64>,
    pub failing_since_ms: Option<i64>,
}

/// What one HTTP attempt produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub latency_ms: i64,
    pub response_excerpt: String,
}

impl AttemptOutcome {
    pub fn succeeded(&self) -> bool {
        self.status_code.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Where a delivery goes after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextState {
    Succeeded,
    RetryAt(i64),
    Failed,
}

/// One finished attempt, ready to be recorded.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub job: DeliveryJob,
    pub outcome: AttemptOutcome,
    pub next: NextState,
    pub now_ms: i64,
    pub disable: bool,
    pub events: Vec<NewEvent>,
}

/// One outgoing POST.
#[derive(Debug, Clone)]
pub struct OutgoingWebhook {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub timeout_ms: u64,
}

/// Sends webhooks over HTTP. Implemented in `finvex-providers` (reqwest, with
/// the SSRF guard on resolved addresses).
#[async_trait]
pub trait WebhookTransport: Send + Sync {
    async fn post(&self, request: OutgoingWebhook) -> AttemptOutcome;
}

#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Inserts the endpoint unless the tenant already has `max_endpoints`
    /// (deleted ones aside); `false` then, nothing written.
    async fn insert_endpoint(
        &self,
        scope: &Scope,
        record: &EndpointRecord,
        max_endpoints: u32,
    ) -> Result<bool, Error>;
    async fn endpoint(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<Option<EndpointRecord>, Error>;
    async fn list_endpoints(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<WebhookEndpoint>, Error>;
    /// Marks the endpoint deleted and cancels its pending deliveries.
    async fn delete_endpoint(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
        now_secs: i64,
    ) -> Result<bool, Error>;
    async fn rotate_endpoint_secret(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
        secret_sealed: &str,
        previous_sealed: &str,
        previous_expires_at: i64,
    ) -> Result<bool, Error>;
    async fn list_deliveries(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        params: &ListParams,
    ) -> Result<Vec<Delivery>, Error>;
    async fn delivery(
        &self,
        scope: &Scope,
        id: &WebhookDeliveryId,
    ) -> Result<Option<Delivery>, Error>;
    async fn attempts(&self, scope: &Scope, id: &WebhookDeliveryId) -> Result<Vec<Attempt>, Error>;
    /// Makes a delivery of this endpoint due now (again, even after it failed).
    async fn retry_delivery(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        id: &WebhookDeliveryId,
        now_ms: i64,
    ) -> Result<bool, Error>;
    /// Writes an event addressed to one endpoint only (`webhook.test`), with its
    /// delivery leased to the caller until `lease_until_ms` so no worker sends it too.
    async fn insert_event_for_endpoint(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        event: &NewEvent,
        now_ms: i64,
        lease: &Lease,
    ) -> Result<WebhookDeliveryId, Error>;
}

/// The delivery worker's queue, across tenants.
#[async_trait]
pub trait WebhookSystemStore: Send + Sync {
    /// Worker: leases up to `limit` due deliveries until `lease.until_ms`,
    /// taken fairly across tenants (each tenant's oldest first, one tenant's
    /// backlog never ahead of another's first delivery).
    async fn claim_due_deliveries(
        &self,
        now_ms: i64,
        lease: &Lease,
        limit: u32,
    ) -> Result<Vec<DeliveryJob>, Error>;
    async fn delivery_job(&self, id: &WebhookDeliveryId) -> Result<Option<DeliveryJob>, Error>;
    /// Records attempts: each moves its delivery on and updates its endpoint's
    /// health (disabling it, with its events, when `disable` is set). One
    /// transaction for the whole batch.
    async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<(), Error>;
}
