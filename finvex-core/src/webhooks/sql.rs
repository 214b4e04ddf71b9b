use async_trait::async_trait;

use super::{
    Attempt, AttemptRecord, Delivery, DeliveryJob, EndpointRecord, Lease, NextState,
    WebhookEndpoint, WebhookStore, WebhookSystemStore,
};
use crate::events::sql::{insert_delivery, insert_event, write_events};
use crate::events::{Event, NewEvent};
use crate::ids::{EventId, MerchantId, WebhookAttemptId, WebhookDeliveryId, WebhookEndpointId};
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row, SqlValue, Statement};
use crate::store::SqlStore;
use crate::{Error, Mode, Scope};

const ENDPOINT_COLUMNS: &str = "endpoint_id, url, description, events, status, mode, created_at, secret_sealed, previous_secret_sealed, previous_secret_expires_at";
const DELIVERY_COLUMNS: &str = "delivery_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at_ms, last_status_code, last_error, last_latency_ms, created_at, updated_at";

fn endpoint_from_row(row: &Row) -> Result<EndpointRecord, Error> {
    let events: Vec<String> = serde_json::from_str(&row.text("events")?)
        .map_err(|e| Error::Internal(format!("stored subscriptions: {e}")))?;
    Ok(EndpointRecord {
        endpoint: WebhookEndpoint {
            id: WebhookEndpointId::parse(&row.text("endpoint_id")?)?,
            entity: "webhook_endpoint".into(),
            url: row.text("url")?,
            description: row.text("description")?,
            events,
            status: row.text("status")?,
            mode: Mode::parse(&row.text("mode")?)?,
            created_at: row.int("created_at")?,
        },
        secret_sealed: row.text("secret_sealed")?,
        previous_secret_sealed: row.opt_text("previous_secret_sealed")?,
        previous_secret_expires_at: row.opt_int("previous_secret_expires_at")?,
    })
}

fn delivery_from_row(row: &Row) -> Result<Delivery, Error> {
    Ok(Delivery {
        id: WebhookDeliveryId::parse(&row.text("delivery_id")?)?,
        entity: "webhook_delivery".into(),
        endpoint_id: WebhookEndpointId::parse(&row.text("endpoint_id")?)?,
        event_id: EventId::parse(&row.text("event_id")?)?,
        event: row.text("event_type")?,
        status: row.text("status")?,
        attempts: row.int("attempts")?,
        next_attempt_at_ms: row.opt_int("next_attempt_at_ms")?,
        last_status_code: row.opt_int("last_status_code")?,
        last_error: row.opt_text("last_error")?,
        last_latency_ms: row.opt_int("last_latency_ms")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

#[async_trait]
impl WebhookStore for SqlStore {
    async fn insert_endpoint(
        &self,
        scope: &Scope,
        record: &EndpointRecord,
        max_endpoints: u32,
    ) -> Result<bool, Error> {
        let e = &record.endpoint;
        let events =
            serde_json::to_string(&e.events).map_err(|err| Error::Internal(err.to_string()))?;
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            e.id.as_str().into(),
            e.url.as_str().into(),
            e.description.as_str().into(),
            events.into(),
            record.secret_sealed.as_str().into(),
            e.status.as_str().into(),
            e.created_at.into(),
            max_endpoints.into(),
        ]);
        let inserted = self
            .db
            .execute(
                "INSERT INTO webhook_endpoints (merchant_id, mode, endpoint_id, url, description, events, secret_sealed, status, created_at)
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
                 WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND deleted_at IS NULL) < $10",
                &params,
            )
            .await?;
        // Events fanned out from this instance reach the new endpoint at once.
        self.endpoints.remove(scope);
        Ok(inserted == 1)
    }

    async fn endpoint(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<Option<EndpointRecord>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3 AND status <> 'deleted'");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| endpoint_from_row(&r))
            .transpose()
    }

    async fn list_endpoints(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<WebhookEndpoint>, Error> {
        let (sql, values) = paged(
            format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND status <> 'deleted'"),
            Vec::from(scope_params(scope)),
            params,
            "created_at",
            "endpoint_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(|r| endpoint_from_row(r).map(|e| e.endpoint))
            .collect()
    }

    async fn delete_endpoint(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
        now_secs: i64,
    ) -> Result<bool, Error> {
        let tx = self.db.begin().await?;
        let mut params = Vec::from(scope_params(scope));
        params.extend([id.as_str().into(), now_secs.into()]);
        let changed = tx
            .execute(
                "UPDATE webhook_endpoints SET status = 'deleted', deleted_at = $4
                 WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3 AND status <> 'deleted'",
                &params,
            )
            .await?;
        tx.execute(
            "UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at_ms = NULL, updated_at = $4
             WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3 AND status = 'pending'",
            &params,
        )
        .await?;
        tx.commit().await?;
        Ok(changed == 1)
    }

    async fn rotate_endpoint_secret(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
        secret_sealed: &str,
        previous_sealed: &str,
        previous_expires_at: i64,
    ) -> Result<bool, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            id.as_str().into(),
            secret_sealed.into(),
            previous_sealed.into(),
            previous_expires_at.into(),
        ]);
        let changed = self
            .db
            .execute(
                "UPDATE webhook_endpoints SET secret_sealed = $4, previous_secret_sealed = $5, previous_secret_expires_at = $6
                 WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3 AND status <> 'deleted'",
                &params,
            )
            .await?;
        Ok(changed == 1)
    }

    async fn list_deliveries(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        params: &ListParams,
    ) -> Result<Vec<Delivery>, Error> {
        let mut values = Vec::from(scope_params(scope));
        values.push(endpoint.as_str().into());
        let (sql, values) = paged(
            format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3"),
            values,
            params,
            "created_at",
            "delivery_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(delivery_from_row)
            .collect()
    }

    async fn delivery(
        &self,
        scope: &Scope,
        id: &WebhookDeliveryId,
    ) -> Result<Option<Delivery>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let sql = format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE merchant_id = $1 AND mode = $2 AND delivery_id = $3");
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|r| delivery_from_row(&r))
            .transpose()
    }

    async fn attempts(&self, scope: &Scope, id: &WebhookDeliveryId) -> Result<Vec<Attempt>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let rows = self
            .db
            .query(
                "SELECT attempt_no, status_code, error, latency_ms, response_excerpt, created_at FROM webhook_attempts
                 WHERE merchant_id = $1 AND mode = $2 AND delivery_id = $3 ORDER BY attempt_no LIMIT 100",
                &params,
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Attempt {
                    attempt_no: row.int("attempt_no")?,
                    status_code: row.opt_int("status_code")?,
                    error: row.opt_text("error")?,
                    latency_ms: row.int("latency_ms")?,
                    response_excerpt: row.text("response_excerpt")?,
                    created_at: row.int("created_at")?,
                })
            })
            .collect()
    }

    async fn retry_delivery(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        id: &WebhookDeliveryId,
        now_ms: i64,
    ) -> Result<bool, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            endpoint.as_str().into(),
            id.as_str().into(),
            now_ms.into(),
            now_ms.div_euclid(1000).into(),
        ]);
        let changed = self
            .db
            .execute(
                "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at_ms = $5, lease_until_ms = NULL, updated_at = $6
                 WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3 AND delivery_id = $4 AND status <> 'cancelled'",
                &params,
            )
            .await?;
        Ok(changed == 1)
    }

    async fn insert_event_for_endpoint(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        event: &NewEvent,
        now_ms: i64,
        lease: &Lease,
    ) -> Result<WebhookDeliveryId, Error> {
        let tx = self.db.begin().await?;
        let event = Event::from_new(event, scope.mode, now_ms.div_euclid(1000));
        insert_event(&tx, scope, &event).await?;
        let id = insert_delivery(&tx, scope, endpoint.as_str(), &event, now_ms).await?;
        let mut params = Vec::from(scope_params(scope));
        params.extend([
            id.as_str().into(),
            lease.until_ms.into(),
            lease.token.as_str().into(),
        ]);
        tx.execute(
            "UPDATE webhook_deliveries SET lease_until_ms = $4, lease_token = $5 WHERE merchant_id = $1 AND mode = $2 AND delivery_id = $3",
            &params,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

#[async_trait]
impl WebhookSystemStore for SqlStore {
    async fn claim_due_deliveries(
        &self,
        now_ms: i64,
        lease: &Lease,
        limit: u32,
    ) -> Result<Vec<DeliveryJob>, Error> {
        // Fair across tenants: deliveries are taken in turns (each tenant's
        // oldest, then each tenant's second oldest, …), so one tenant's flood
        // cannot delay everyone else's webhooks. The middle SELECT repeats
        // the due/lease conditions so that Postgres re-checks them on the row
        // it locks (a row claimed meanwhile by another worker is left alone).
        let due = "status = 'pending' AND next_attempt_at_ms <= $2 AND (lease_until_ms IS NULL OR lease_until_ms < $2)";
        let sql = format!(
            "UPDATE webhook_deliveries SET lease_until_ms = $1, lease_token = $4
             WHERE delivery_id IN (
                 SELECT delivery_id FROM webhook_deliveries
                 WHERE {due} AND delivery_id IN (
                     SELECT delivery_id FROM (
                         SELECT delivery_id, next_attempt_at_ms,
                                ROW_NUMBER() OVER (PARTITION BY merchant_id ORDER BY next_attempt_at_ms, delivery_id) AS turn
                         FROM webhook_deliveries WHERE {due}
                     ) due ORDER BY turn, next_attempt_at_ms LIMIT $3){skip_locked})",
            skip_locked = self.db.dialect().skip_locked()
        );
        let params = [
            lease.until_ms.into(),
            now_ms.into(),
            limit.into(),
            lease.token.as_str().into(),
        ];
        let jobs = if self.db.dialect().modifying_ctes() {
            // The claim and its jobs' data in one statement.
            let sql = format!(
                "WITH d AS ({sql} RETURNING merchant_id, mode, delivery_id, endpoint_id, event_id, attempts, event_created_at_ms)
                 SELECT {JOB_COLUMNS} FROM d {JOB_JOINS}"
            );
            self.db
                .query(&sql, &params)
                .await?
                .iter()
                .map(delivery_job_from_row)
                .collect::<Result<Vec<_>, Error>>()?
        } else {
            let claimed = self
                .db
                .query(&format!("{sql} RETURNING delivery_id"), &params)
                .await?
                .iter()
                .map(|row| WebhookDeliveryId::parse(&row.text("delivery_id")?))
                .collect::<Result<Vec<_>, Error>>()?;
            // The claimed deliveries' data in one more query, not one per delivery.
            self.delivery_jobs(&claimed).await?
        };
        Ok(jobs
            .into_iter()
            .map(|job| DeliveryJob {
                lease_token: lease.token.clone(),
                ..job
            })
            .collect())
    }

    async fn delivery_job(&self, id: &WebhookDeliveryId) -> Result<Option<DeliveryJob>, Error> {
        Ok(self
            .delivery_jobs(std::slice::from_ref(id))
            .await?
            .into_iter()
            .next())
    }

    async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<(), Error> {
        // The common round (no endpoint disabled, so no events) goes out as
        // one batch: pipelined on Postgres, one writer job on SQLite.
        if records.iter().all(|r| r.events.is_empty() && !r.disable) {
            let mut statements = Vec::new();
            for chunk in records.chunks(MAX_ATTEMPTS_PER_STATEMENT) {
                statements.push(attempts_insert(chunk));
                statements.push(deliveries_update(chunk));
            }
            statements.extend(health_statements(records));
            let counts = self.db.write_all(statements).await?;
            // Each chunk is two statements: its attempts, then its deliveries.
            for (chunk, count) in records
                .chunks(MAX_ATTEMPTS_PER_STATEMENT)
                .zip(counts.chunks(2))
            {
                let lost = chunk.len() as u64 - count.get(1).copied().unwrap_or(0);
                if lost > 0 {
                    tracing::warn!(
                        lost,
                        "webhook leases were lost before their attempts were recorded"
                    );
                }
            }
            return Ok(());
        }
        // A round that disables an endpoint emits events: a transaction with
        // the same writes as the batch above, which learns whose leases held
        // (only those deliveries' consequences are recorded).
        let tx = self.db.begin().await?;
        let mut held = std::collections::HashSet::new();
        for chunk in records.chunks(MAX_ATTEMPTS_PER_STATEMENT) {
            let attempts = attempts_insert(chunk);
            tx.execute(&attempts.sql, &attempts.params).await?;
            let deliveries = deliveries_update(chunk);
            let updated = tx
                .query(
                    &format!(
                        "{} RETURNING webhook_deliveries.delivery_id",
                        deliveries.sql
                    ),
                    &deliveries.params,
                )
                .await?;
            for row in updated {
                held.insert(row.text("delivery_id")?);
            }
        }
        let mut ours = Vec::with_capacity(records.len());
        for record in records {
            if held.contains(record.job.delivery_id.as_str()) {
                ours.push(record);
            } else {
                // The lease ran out and another worker holds the delivery
                // now: its attempt is the one that counts.
                tracing::warn!(delivery = %record.job.delivery_id, "a webhook lease was lost before its attempt was recorded");
            }
        }
        for health in health_statements(ours.iter().copied()) {
            tx.execute(&health.sql, &health.params).await?;
        }
        for record in ours {
            let job = &record.job;
            if record.disable {
                let mut params = Vec::from(scope_params(&job.scope));
                params.push(job.endpoint_id.as_str().into());
                tx.execute(
                    "UPDATE webhook_endpoints SET status = 'disabled' WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3 AND status = 'enabled'",
                    &params,
                )
                .await?;
            }
            write_events(&tx, &job.scope, &record.events, record.now_ms).await?;
        }
        tx.commit().await
    }
}

impl SqlStore {
    /// Everything needed to send these deliveries, in one query.
    async fn delivery_jobs(&self, ids: &[WebhookDeliveryId]) -> Result<Vec<DeliveryJob>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let params: Vec<SqlValue> = ids.iter().map(|id| id.as_str().into()).collect();
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM webhook_deliveries d {JOB_JOINS}
             WHERE d.delivery_id IN ({})",
            placeholders.join(", ")
        );
        self.db
            .query(&sql, &params)
            .await?
            .iter()
            .map(delivery_job_from_row)
            .collect()
    }
}

/// What a delivery job reads, from the delivery `d`, its event `e` and its
/// endpoint `w`. Joined on the primary keys alone (so no planner, however
/// stale its statistics, walks a tenant's whole history per row); the
/// tenant of each side is checked in [`delivery_job_from_row`] instead. Every
/// column is named with AS: a qualified column's label is otherwise up to the
/// engine, and three tables share `merchant_id` and `mode`.
const JOB_COLUMNS: &str =
    "d.merchant_id AS merchant_id, d.mode AS mode, d.delivery_id AS delivery_id,
    d.endpoint_id AS endpoint_id, d.event_id AS event_id, d.attempts AS attempts,
    d.event_created_at_ms AS event_created_at_ms, e.payload AS payload, w.url AS url,
    w.status AS endpoint_status, w.secret_sealed AS secret_sealed,
    w.previous_secret_sealed AS previous_secret_sealed,
    w.previous_secret_expires_at AS previous_secret_expires_at,
    w.failing_since_ms AS failing_since_ms,
    e.merchant_id AS event_merchant_id, e.mode AS event_mode,
    w.merchant_id AS endpoint_merchant_id, w.mode AS endpoint_mode";
const JOB_JOINS: &str = "JOIN events e ON e.event_id = d.event_id
    JOIN webhook_endpoints w ON w.endpoint_id = d.endpoint_id";

/// A row of [`SqlStore::delivery_jobs`], refused if its event or endpoint
/// belongs to another tenant than the delivery.
fn delivery_job_from_row(row: &Row) -> Result<DeliveryJob, Error> {
    let tenant = (row.text("merchant_id")?, row.text("mode")?);
    if (row.text("event_merchant_id")?, row.text("event_mode")?) != tenant
        || (
            row.text("endpoint_merchant_id")?,
            row.text("endpoint_mode")?,
        ) != tenant
    {
        return Err(Error::Internal(format!(
            "delivery {} joins another tenant's event or endpoint",
            row.text("delivery_id")?
        )));
    }
    Ok(DeliveryJob {
        lease_token: String::new(),
        scope: Scope::new(MerchantId::parse(&tenant.0)?, Mode::parse(&tenant.1)?),
        delivery_id: WebhookDeliveryId::parse(&row.text("delivery_id")?)?,
        endpoint_id: WebhookEndpointId::parse(&row.text("endpoint_id")?)?,
        event_id: EventId::parse(&row.text("event_id")?)?,
        attempts: row.int("attempts")?,
        event_created_at_ms: row.int("event_created_at_ms")?,
        payload: row.text("payload")?,
        url: row.text("url")?,
        endpoint_status: row.text("endpoint_status")?,
        secret_sealed: row.text("secret_sealed")?,
        previous_secret_sealed: row.opt_text("previous_secret_sealed")?,
        previous_secret_expires_at: row.opt_int("previous_secret_expires_at")?,
        failing_since_ms: row.opt_int("failing_since_ms")?,
    })
}

/// Attempts recorded per statement: 11 values each, far below either
/// engine's limit on parameters (SQLite 32,766; Postgres 65,535).
const MAX_ATTEMPTS_PER_STATEMENT: usize = 256;

/// A round's numbered placeholders, `width` per row, as VALUES rows; the
/// columns named in `casts` (by position in the row) are cast, so Postgres
/// types them (a bare parameter in VALUES would be text).
fn values_rows(rows: usize, width: usize, casts: &[(usize, &str)]) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (0..width)
                .map(|column| {
                    let n = row * width + column + 1;
                    match casts.iter().find(|(at, _)| *at == column) {
                        Some((_, ty)) => format!("CAST(${n} AS {ty})"),
                        None => format!("${n}"),
                    }
                })
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The (status, next attempt) a delivery moves to after its attempt.
fn next_state(next: &NextState) -> (&'static str, Option<i64>) {
    match next {
        NextState::Succeeded => ("succeeded", None),
        NextState::RetryAt(at) => ("pending", Some(*at)),
        NextState::Failed => ("failed", None),
    }
}

/// Every attempt of the chunk whose delivery is still under the lease it
/// was claimed with, in one INSERT.
fn attempts_insert(records: &[AttemptRecord]) -> Statement {
    const WIDTH: usize = 11;
    let casts = [
        (5, "BIGINT"),
        (6, "BIGINT"),
        (7, "TEXT"),
        (8, "BIGINT"),
        (10, "BIGINT"),
    ];
    let mut params = Vec::with_capacity(records.len() * WIDTH);
    for r in records {
        params.extend(scope_params(&r.job.scope));
        params.extend([
            r.job.delivery_id.as_str().into(),
            r.job.lease_token.as_str().into(),
            WebhookAttemptId::generate().as_str().into(),
            (r.job.attempts + 1).into(),
            r.outcome.status_code.map(i64::from).into(),
            r.outcome.error.clone().into(),
            r.outcome.latency_ms.into(),
            r.outcome.response_excerpt.as_str().into(),
            r.now_ms.div_euclid(1000).into(),
        ]);
    }
    Statement::new(
        format!(
            "WITH v (merchant_id, mode, delivery_id, lease_token, attempt_id, attempt_no, status_code, error, latency_ms, response_excerpt, created_at)
                 AS (VALUES {})
             INSERT INTO webhook_attempts (merchant_id, mode, attempt_id, delivery_id, attempt_no, status_code, error, latency_ms, response_excerpt, created_at)
             SELECT v.merchant_id, v.mode, v.attempt_id, v.delivery_id, v.attempt_no, v.status_code, v.error, v.latency_ms, v.response_excerpt, v.created_at
             FROM v JOIN webhook_deliveries d
               ON d.delivery_id = v.delivery_id AND d.merchant_id = v.merchant_id AND d.mode = v.mode AND d.lease_token = v.lease_token",
            values_rows(records.len(), WIDTH, &casts)
        ),
        params,
    )
}

/// Every delivery of the chunk moved on and released, under the lease
/// token it was claimed with, in one UPDATE; its count is how many leases held.
fn deliveries_update(records: &[AttemptRecord]) -> Statement {
    const WIDTH: usize = 11;
    let casts = [
        (5, "BIGINT"),
        (6, "BIGINT"),
        (7, "BIGINT"),
        (8, "TEXT"),
        (9, "BIGINT"),
        (10, "BIGINT"),
    ];
    let mut params = Vec::with_capacity(records.len() * WIDTH);
    for r in records {
        let (status, next_at) = next_state(&r.next);
        params.extend(scope_params(&r.job.scope));
        params.extend([
            r.job.delivery_id.as_str().into(),
            r.job.lease_token.as_str().into(),
            status.into(),
            (r.job.attempts + 1).into(),
            next_at.into(),
            r.outcome.status_code.map(i64::from).into(),
            r.outcome.error.clone().into(),
            r.outcome.latency_ms.into(),
            r.now_ms.div_euclid(1000).into(),
        ]);
    }
    Statement::new(
        format!(
            "WITH v (merchant_id, mode, delivery_id, lease_token, status, attempts, next_attempt_at_ms, last_status_code, last_error, last_latency_ms, updated_at)
                 AS (VALUES {})
             UPDATE webhook_deliveries SET status = v.status, attempts = v.attempts, next_attempt_at_ms = v.next_attempt_at_ms,
                 lease_until_ms = NULL, lease_token = NULL, last_status_code = v.last_status_code, last_error = v.last_error,
                 last_latency_ms = v.last_latency_ms, updated_at = v.updated_at
             FROM v
             WHERE webhook_deliveries.delivery_id = v.delivery_id AND webhook_deliveries.merchant_id = v.merchant_id
               AND webhook_deliveries.mode = v.mode AND webhook_deliveries.lease_token = v.lease_token",
            values_rows(records.len(), WIDTH, &casts)
        ),
        params,
    )
}

/// Each endpoint's health after a round, one statement per endpoint (not per
/// attempt: many updates of one row in one transaction cost more each time).
/// It records what the attempts found, whoever holds the lease now: the
/// requests were made either way.
fn health_statements<'a>(records: impl IntoIterator<Item = &'a AttemptRecord>) -> Vec<Statement> {
    /// What one round found about one endpoint.
    struct Health<'a> {
        scope: &'a Scope,
        latest_ms: i64,
        latest_ok: bool,
        first_failure_ms: Option<i64>,
    }
    // Ordered, so concurrent rounds lock endpoint rows in the same order.
    let mut health: std::collections::BTreeMap<(&str, &str, &str), Health> = Default::default();
    for r in records {
        let key = (
            r.job.scope.merchant_id.as_str(),
            r.job.scope.mode.as_str(),
            r.job.endpoint_id.as_str(),
        );
        let seen = health.entry(key).or_insert(Health {
            scope: &r.job.scope,
            latest_ms: i64::MIN,
            latest_ok: true,
            first_failure_ms: None,
        });
        if r.now_ms >= seen.latest_ms {
            seen.latest_ms = r.now_ms;
            seen.latest_ok = r.outcome.succeeded();
        }
        if !r.outcome.succeeded() {
            seen.first_failure_ms =
                Some(seen.first_failure_ms.map_or(r.now_ms, |f| f.min(r.now_ms)));
        }
    }
    health
        .into_iter()
        .map(|((_, _, endpoint), seen)| {
            let mut params = Vec::from(scope_params(seen.scope));
            params.push(endpoint.into());
            match seen.first_failure_ms.filter(|_| !seen.latest_ok) {
                None => Statement::new(
                    "UPDATE webhook_endpoints SET failing_since_ms = NULL WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3",
                    params,
                ),
                Some(first) => {
                    params.push(first.into());
                    Statement::new(
                        "UPDATE webhook_endpoints SET failing_since_ms = COALESCE(failing_since_ms, $4) WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3",
                        params,
                    )
                }
            }
        })
        .collect()
}
