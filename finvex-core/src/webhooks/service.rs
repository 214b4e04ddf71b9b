use std::sync::Arc;

use serde::Serialize;

use super::schedule::{next_attempt_at_ms, DISABLE_AFTER_FAILING_MS};
use super::signing::{
    self, EVENT_ID_HEADER, PREVIOUS_SIGNATURE_HEADER, SIGNATURE_HEADER,
    TIMESTAMPED_SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
use super::target::parse_url;
use super::AttemptRecord;
use super::{
    Attempt, AttemptOutcome, Delivery, DeliveryJob, EndpointRecord, Lease, NextState,
    OutgoingWebhook, WebhookEndpoint, WebhookTransport, MAX_DESCRIPTION_CHARS, MAX_SUBSCRIPTIONS,
};
use crate::clock::Clock;
use crate::crypto::SecretBox;
use crate::events::{Event, EventType, NewEvent};
use crate::ids::{EventId, WebhookDeliveryId, WebhookEndpointId};
use crate::pagination::{Collection, ListParams};
use crate::store::SystemStore;
use crate::{Error, Scope};

/// How long the old secret keeps signing after a rotation.
pub const ROTATION_OVERLAP_SECS: i64 = 24 * 60 * 60;

/// Webhook endpoints a merchant may have in one mode: each event fans out
/// to every one of them, so this bounds the deliveries one event can cause.
pub const MAX_ENDPOINTS_PER_MODE: u32 = 16;

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Allow private/loopback targets (development and tests only).
    pub allow_private_targets: bool,
    pub retry_base_ms: i64,
    pub timeout_ms: u64,
    /// How long a claimed delivery is reserved for its worker; a worker that
    /// dies mid-delivery releases it when this runs out.
    pub lease_ms: i64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private_targets: false,
            retry_base_ms: super::schedule::DEFAULT_RETRY_BASE_MS,
            timeout_ms: 10_000,
            lease_ms: 60_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CreatedEndpoint {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// Shown once: verify `X-Finvex-Signature` with it.
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TestDelivery {
    pub delivery_id: WebhookDeliveryId,
    pub success: bool,
    pub status_code: Option<u16>,
    pub latency_ms: i64,
    pub response_excerpt: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DeliveryWithAttempts {
    #[serde(flatten)]
    pub delivery: Delivery,
    pub attempt_log: Vec<Attempt>,
}

pub struct WebhookService {
    store: Arc<dyn SystemStore>,
    clock: Arc<dyn Clock>,
    sealer: SecretBox,
    transport: Arc<dyn WebhookTransport>,
    settings: WebhookSettings,
}

impl WebhookService {
    pub fn new(
        store: Arc<dyn SystemStore>,
        clock: Arc<dyn Clock>,
        sealer: SecretBox,
        transport: Arc<dyn WebhookTransport>,
        settings: WebhookSettings,
    ) -> Self {
        WebhookService {
            store,
            clock,
            sealer,
            transport,
            settings,
        }
    }

    pub fn settings(&self) -> &WebhookSettings {
        &self.settings
    }

    pub async fn create_endpoint(
        &self,
        scope: &Scope,
        url: &str,
        events: Option<Vec<String>>,
        description: Option<&str>,
    ) -> Result<CreatedEndpoint, Error> {
        let url = parse_url(url, self.settings.allow_private_targets)?;
        let events = events.unwrap_or_else(|| vec!["*".to_string()]);
        if events.is_empty() || events.len() > MAX_SUBSCRIPTIONS {
            return Err(Error::validation(
                "events",
                format!("events must list 1 to {MAX_SUBSCRIPTIONS} event names, or \"*\""),
            ));
        }
        // Only what the catalogue lists: a typo would otherwise subscribe to
        // nothing, silently.
        for name in events.iter().filter(|name| *name != "*") {
            EventType::parse(name)?;
        }
        let description = description.unwrap_or("").trim().to_string();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(Error::validation(
                "description",
                format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        let secret = signing::generate_secret();
        let endpoint = WebhookEndpoint {
            id: WebhookEndpointId::generate(),
            entity: "webhook_endpoint".into(),
            url: url.url,
            description,
            events,
            status: "enabled".into(),
            mode: scope.mode,
            created_at: self.clock.now().unix_secs(),
        };
        let record = EndpointRecord {
            endpoint: endpoint.clone(),
            secret_sealed: self.sealer.seal(&secret)?,
            previous_secret_sealed: None,
            previous_secret_expires_at: None,
        };
        if !self
            .store
            .insert_endpoint(scope, &record, MAX_ENDPOINTS_PER_MODE)
            .await?
        {
            return Err(Error::business(
                None,
                format!("a merchant may have at most {MAX_ENDPOINTS_PER_MODE} webhook endpoints per mode; delete one first"),
            ));
        }
        Ok(CreatedEndpoint { endpoint, secret })
    }

    pub async fn list_endpoints(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Collection<WebhookEndpoint>, Error> {
        Ok(Collection::new(
            self.store.list_endpoints(scope, params).await?,
        ))
    }

    async fn endpoint(&self, scope: &Scope, id: &str) -> Result<EndpointRecord, Error> {
        let id = WebhookEndpointId::parse(id)?;
        self.store
            .endpoint(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("webhook endpoint", id.as_str()))
    }

    pub async fn delete_endpoint(&self, scope: &Scope, id: &str) -> Result<WebhookEndpoint, Error> {
        let mut record = self.endpoint(scope, id).await?;
        self.store
            .delete_endpoint(scope, &record.endpoint.id, self.clock.now().unix_secs())
            .await?;
        record.endpoint.status = "deleted".into();
        Ok(record.endpoint)
    }

    pub async fn rotate_secret(&self, scope: &Scope, id: &str) -> Result<CreatedEndpoint, Error> {
        let record = self.endpoint(scope, id).await?;
        let secret = signing::generate_secret();
        let expires = self.clock.now().unix_secs() + ROTATION_OVERLAP_SECS;
        self.store
            .rotate_endpoint_secret(
                scope,
                &record.endpoint.id,
                &self.sealer.seal(&secret)?,
                &record.secret_sealed,
                expires,
            )
            .await?;
        Ok(CreatedEndpoint {
            endpoint: record.endpoint,
            secret,
        })
    }

    pub async fn list_deliveries(
        &self,
        scope: &Scope,
        endpoint_id: &str,
        params: &ListParams,
    ) -> Result<Collection<Delivery>, Error> {
        let record = self.endpoint(scope, endpoint_id).await?;
        Ok(Collection::new(
            self.store
                .list_deliveries(scope, &record.endpoint.id, params)
                .await?,
        ))
    }

    pub async fn delivery(
        &self,
        scope: &Scope,
        endpoint_id: &str,
        delivery_id: &str,
    ) -> Result<DeliveryWithAttempts, Error> {
        let record = self.endpoint(scope, endpoint_id).await?;
        let id = WebhookDeliveryId::parse(delivery_id)?;
        let delivery = self
            .store
            .delivery(scope, &id)
            .await?
            .filter(|d| d.endpoint_id == record.endpoint.id)
            .ok_or_else(|| Error::not_found("webhook delivery", id.as_str()))?;
        let attempt_log = self.store.attempts(scope, &id).await?;
        Ok(DeliveryWithAttempts {
            delivery,
            attempt_log,
        })
    }

    /// Queues a delivery again now; a failed one gets a fresh round.
    pub async fn retry_delivery(
        &self,
        scope: &Scope,
        endpoint_id: &str,
        delivery_id: &str,
    ) -> Result<Delivery, Error> {
        let record = self.endpoint(scope, endpoint_id).await?;
        let id = WebhookDeliveryId::parse(delivery_id)?;
        if !self
            .store
            .retry_delivery(
                scope,
                &record.endpoint.id,
                &id,
                self.clock.now().unix_millis(),
            )
            .await?
        {
            return Err(Error::not_found("webhook delivery", id.as_str()));
        }
        self.store
            .delivery(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("webhook delivery", id.as_str()))
    }

    pub async fn list_events(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Collection<Event>, Error> {
        Ok(Collection::new(
            self.store.list_events(scope, params).await?,
        ))
    }

    pub async fn event(&self, scope: &Scope, id: &str) -> Result<Event, Error> {
        let id = EventId::parse(id)?;
        self.store
            .event_by_id(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("event", id.as_str()))
    }

    /// Sends a `webhook.test` event to one endpoint now and reports what happened.
    pub async fn send_test(&self, scope: &Scope, endpoint_id: &str) -> Result<TestDelivery, Error> {
        let record = self.endpoint(scope, endpoint_id).await?;
        let event = NewEvent::new(
            EventType::WebhookTest,
            serde_json::json!({"endpoint_id": record.endpoint.id, "message": "This is a test event from Finvex."}),
        )?;
        let now_ms = self.clock.now().unix_millis();
        let lease = Lease::new(now_ms + self.settings.lease_ms);
        let delivery_id = self
            .store
            .insert_event_for_endpoint(scope, &record.endpoint.id, &event, now_ms, &lease)
            .await?;
        let job = DeliveryJob {
            lease_token: lease.token,
            ..self
                .store
                .delivery_job(&delivery_id)
                .await?
                .ok_or_else(|| Error::Internal("test delivery vanished".into()))?
        };
        let outcome = self.attempt(&job).await?;
        Ok(TestDelivery {
            delivery_id,
            success: outcome.succeeded(),
            status_code: outcome.status_code,
            latency_ms: outcome.latency_ms,
            response_excerpt: outcome.response_excerpt,
            error: outcome.error,
        })
    }

    /// One worker round: claims up to `batch` due deliveries, sends them at
    /// most `concurrency` at a time, and records all outcomes in one
    /// transaction. Returns how many were claimed. If recording fails, the
    /// leases run out and the deliveries are sent again (at least once).
    pub async fn deliver_due(
        self: &Arc<Self>,
        batch: u32,
        concurrency: usize,
    ) -> Result<usize, Error> {
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        self.round(batch, permits, Arc::new(tokio::sync::Mutex::new(())))
            .await
    }

    /// Rounds back to back while they find full batches, at most
    /// `max_rounds`: two at a time, so one claims or records while the other
    /// sends, under one semaphore that keeps at most `concurrency` sends in
    /// flight across both. Returns how many deliveries were claimed, and
    /// whether the last round found a full batch (more may be due).
    pub async fn deliver_until_idle(
        self: &Arc<Self>,
        batch: u32,
        concurrency: usize,
        max_rounds: usize,
    ) -> Result<(usize, bool), Error> {
        const OVERLAPPING: usize = 2;
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        // Claims take turns: two at once would pick the same due rows and
        // skip each other's locks, and the second would come back short.
        let claiming = Arc::new(tokio::sync::Mutex::new(()));
        let mut rounds = tokio::task::JoinSet::new();
        let (mut started, mut claimed, mut busy) = (0, 0, true);
        let mut failure = None;
        loop {
            while busy && failure.is_none() && started < max_rounds && rounds.len() < OVERLAPPING {
                let (service, permits, claiming) =
                    (self.clone(), permits.clone(), claiming.clone());
                rounds.spawn(async move { service.round(batch, permits, claiming).await });
                started += 1;
            }
            // A failed round stops new ones, but the other still finishes
            // and records what it sent (dropping it would lose that).
            let Some(finished) = rounds.join_next().await else {
                return failure.map_or(Ok((claimed, busy)), Err);
            };
            match finished {
                Ok(Ok(count)) => {
                    claimed += count;
                    busy &= count == batch as usize;
                }
                Ok(Err(e)) => failure = Some(e),
                Err(e) => failure = Some(Error::Internal(format!("a delivery round failed: {e}"))),
            }
        }
    }

    /// Claims a batch (in turn with the other rounds of `claiming`), sends
    /// it under `permits`, records the outcomes.
    async fn round(
        self: &Arc<Self>,
        batch: u32,
        permits: Arc<tokio::sync::Semaphore>,
        claiming: Arc<tokio::sync::Mutex<()>>,
    ) -> Result<usize, Error> {
        let claimed = {
            let _turn = claiming.lock().await;
            let now = self.clock.now().unix_millis();
            let lease = Lease::new(now + self.settings.lease_ms);
            self.store.claim_due_deliveries(now, &lease, batch).await?
        };
        let count = claimed.len();
        let sent = crate::tasks::run_with_permits(claimed, permits, |job| {
            let service = self.clone();
            async move { service.send(job).await }
        })
        .await;
        let mut records = Vec::with_capacity(count);
        for outcome in sent {
            match outcome {
                Ok(record) => records.push(record),
                Err(e) => {
                    tracing::warn!(error = %e, "a webhook delivery failed before its outcome; it is retried when its lease ends")
                }
            }
        }
        if !records.is_empty() {
            self.store.record_attempts(&records).await?;
        }
        Ok(count)
    }

    /// Signs, sends and records one attempt.
    async fn attempt(&self, job: &DeliveryJob) -> Result<AttemptOutcome, Error> {
        let record = self.send(job.clone()).await?;
        self.store
            .record_attempts(std::slice::from_ref(&record))
            .await?;
        Ok(record.outcome)
    }

    /// Signs and sends one attempt, and decides what follows it.
    async fn send(&self, job: DeliveryJob) -> Result<AttemptRecord, Error> {
        let now = self.clock.now();
        // A delivery that cannot be signed (its secret no longer opens) is a
        // failed attempt like any other: it follows the retry schedule to its
        // end instead of coming back, unrecorded, every time its lease ends.
        let outcome = match self.outgoing(&job, now.unix_secs()) {
            Ok(outgoing) => self.transport.post(outgoing).await,
            Err(e) => {
                tracing::warn!(delivery = %job.delivery_id, error = %e, "a webhook delivery cannot be signed");
                AttemptOutcome {
                    status_code: None,
                    error: Some(format!("the delivery could not be signed: {e}")),
                    latency_ms: 0,
                    response_excerpt: String::new(),
                }
            }
        };
        let done_at = self.clock.now().unix_millis();
        let failed_attempts = u32::try_from(job.attempts + 1).unwrap_or(u32::MAX);
        let next = if outcome.succeeded() {
            NextState::Succeeded
        } else {
            let jitter = rand::random::<f64>() * 2.0 - 1.0;
            match next_attempt_at_ms(
                job.event_created_at_ms,
                done_at,
                self.settings.retry_base_ms,
                failed_attempts,
                jitter,
            ) {
                Some(at) => NextState::RetryAt(at),
                None => NextState::Failed,
            }
        };
        let failing_for = job.failing_since_ms.map_or(0, |since| done_at - since);
        let disable = !outcome.succeeded()
            && job.endpoint_status == "enabled"
            && failing_for >= DISABLE_AFTER_FAILING_MS;
        let events = if disable {
            vec![NewEvent::new(
                EventType::WebhookEndpointDisabled,
                serde_json::json!({"endpoint_id": job.endpoint_id, "url": job.url, "failing_since_ms": job.failing_since_ms}),
            )?]
        } else {
            Vec::new()
        };
        Ok(AttemptRecord {
            job,
            outcome,
            next,
            now_ms: done_at,
            disable,
            events,
        })
    }

    fn outgoing(&self, job: &DeliveryJob, now_secs: i64) -> Result<OutgoingWebhook, Error> {
        let body = job.payload.clone();
        let secret = self.sealer.open(&job.secret_sealed)?;
        let created_at = serde_json::from_str::<Event>(&body)
            .map(|e| e.created_at)
            .unwrap_or(now_secs);
        let mut headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("User-Agent".to_string(), "Finvex-Webhooks/1".to_string()),
            (
                SIGNATURE_HEADER.to_string(),
                signing::sign(&secret, body.as_bytes()),
            ),
            (EVENT_ID_HEADER.to_string(), job.event_id.to_string()),
            (TIMESTAMP_HEADER.to_string(), created_at.to_string()),
        ];
        let mut secrets = vec![secret];
        if let (Some(previous), Some(expires)) =
            (&job.previous_secret_sealed, job.previous_secret_expires_at)
        {
            if expires > now_secs {
                let previous = self.sealer.open(previous)?;
                headers.push((
                    PREVIOUS_SIGNATURE_HEADER.to_string(),
                    signing::sign(&previous, body.as_bytes()),
                ));
                secrets.push(previous);
            }
        }
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        headers.push((
            TIMESTAMPED_SIGNATURE_HEADER.to_string(),
            signing::sign_timestamped(&secrets, now_secs, body.as_bytes()),
        ));
        Ok(OutgoingWebhook {
            url: job.url.clone(),
            headers,
            body,
            timeout_ms: self.settings.timeout_ms,
        })
    }
}
