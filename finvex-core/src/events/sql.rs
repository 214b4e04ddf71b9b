use async_trait::async_trait;

use super::{subscribed, Event, EventStore, NewEvent};
use crate::ids::{EventId, WebhookDeliveryId};
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row, Statement};
use crate::store::SqlStore;
use crate::{Error, Scope};

/// Writes events and their webhook deliveries inside the caller's transaction,
/// so a state change and its events commit or vanish together.
pub(crate) async fn write_events(
    tx: &dyn Executor,
    scope: &Scope,
    events: &[NewEvent],
    now_ms: i64,
) -> Result<Vec<Event>, Error> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let endpoints_parsed = enabled_endpoints(tx, scope).await?;
    let mut written = Vec::with_capacity(events.len());
    for new in events {
        let event = Event::from_new(new, scope.mode, now_ms.div_euclid(1000));
        insert_event(tx, scope, &event).await?;
        for (endpoint_id, subscriptions) in &endpoints_parsed {
            if subscribed(subscriptions, &event.event) {
                insert_delivery(tx, scope, endpoint_id, &event, now_ms).await?;
            }
        }
        written.push(event);
    }
    Ok(written)
}

pub(crate) async fn insert_event(
    tx: &dyn Executor,
    scope: &Scope,
    event: &Event,
) -> Result<(), Error> {
    let st = insert_event_statement(scope, event)?;
    tx.execute(&st.sql, &st.params).await.map(drop)
}

fn insert_event_statement(scope: &Scope, event: &Event) -> Result<Statement, Error> {
    Ok(Statement::new(
        "INSERT INTO events (event_id, merchant_id, mode, event_type, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            event.id.as_str().into(),
            scope.merchant_id.as_str().into(),
            scope.mode.as_str().into(),
            event.event.as_str().into(),
            event.payload()?.into(),
            event.created_at.into(),
        ],
    ))
}

pub(crate) async fn insert_delivery(
    tx: &dyn Executor,
    scope: &Scope,
    endpoint_id: &str,
    event: &Event,
    now_ms: i64,
) -> Result<WebhookDeliveryId, Error> {
    let (id, st) = insert_delivery_statement(scope, endpoint_id, event, now_ms);
    tx.execute(&st.sql, &st.params).await?;
    Ok(id)
}

fn insert_delivery_statement(
    scope: &Scope,
    endpoint_id: &str,
    event: &Event,
    now_ms: i64,
) -> (WebhookDeliveryId, Statement) {
    let id = WebhookDeliveryId::generate();
    let statement = Statement::new(
        "INSERT INTO webhook_deliveries (delivery_id, merchant_id, mode, endpoint_id, event_id, event_type, status, attempts,
             next_attempt_at_ms, event_created_at_ms, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $8, $8)",
        delivery_params(&id, scope, endpoint_id, event, now_ms),
    );
    (id, statement)
}

/// The endpoints of this tenant that take events, with their subscriptions.
async fn enabled_endpoints(
    db: &dyn Executor,
    scope: &Scope,
) -> Result<Vec<(String, Vec<String>)>, Error> {
    let rows = db
        .query(
            "SELECT endpoint_id, events FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND status = 'enabled'",
            &scope_params(scope),
        )
        .await?;
    rows.iter()
        .map(|row| {
            let subscriptions: Vec<String> = serde_json::from_str(&row.text("events")?)
                .map_err(|e| Error::Internal(format!("stored subscriptions: {e}")))?;
            Ok((row.text("endpoint_id")?, subscriptions))
        })
        .collect()
}

/// The statements that record `events` and fan them out, for a state change
/// written with [`crate::store::sql::Db::write_all`] (the hot paths). The
/// endpoints come from the store's short-lived cache (see `SqlStore`): one
/// created on another instance takes events within seconds, and one
/// disabled or deleted meanwhile gets no delivery (the insert re-checks).
pub(crate) async fn event_statements(
    store: &SqlStore,
    scope: &Scope,
    events: &[NewEvent],
    now_ms: i64,
) -> Result<Vec<Statement>, Error> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let now = crate::clock::Timestamp(now_ms);
    let endpoints = match store.endpoints.get(scope, now) {
        Some(hit) => hit,
        None => {
            let read = std::sync::Arc::new(enabled_endpoints(&store.db, scope).await?);
            store.endpoints.insert(scope.clone(), read.clone(), now);
            read
        }
    };
    let mut statements = Vec::new();
    for new in events {
        let event = Event::from_new(new, scope.mode, now_ms.div_euclid(1000));
        statements.push(insert_event_statement(scope, &event)?);
        for (endpoint_id, subscriptions) in endpoints.iter() {
            if subscribed(subscriptions, &event.event) {
                statements.push(delivery_if_enabled_statement(
                    scope,
                    endpoint_id,
                    &event,
                    now_ms,
                ));
            }
        }
    }
    Ok(statements)
}

/// A delivery inserted only if its endpoint is still enabled when the
/// batch writes (the endpoints were read just before).
fn delivery_if_enabled_statement(
    scope: &Scope,
    endpoint_id: &str,
    event: &Event,
    now_ms: i64,
) -> Statement {
    Statement::new(
        "INSERT INTO webhook_deliveries (delivery_id, merchant_id, mode, endpoint_id, event_id, event_type, status, attempts,
             next_attempt_at_ms, event_created_at_ms, created_at, updated_at)
         SELECT CAST($1 AS TEXT), merchant_id, mode, endpoint_id, CAST($5 AS TEXT), CAST($6 AS TEXT), 'pending', 0,
             CAST($7 AS BIGINT), CAST($7 AS BIGINT), CAST($8 AS BIGINT), CAST($8 AS BIGINT)
         FROM webhook_endpoints
         WHERE merchant_id = $2 AND mode = $3 AND endpoint_id = $4 AND status = 'enabled'",
        delivery_params(&WebhookDeliveryId::generate(), scope, endpoint_id, event, now_ms),
    )
}

/// `$1`-`$8` of both delivery inserts.
fn delivery_params(
    id: &WebhookDeliveryId,
    scope: &Scope,
    endpoint_id: &str,
    event: &Event,
    now_ms: i64,
) -> Vec<crate::store::sql::SqlValue> {
    vec![
        id.as_str().into(),
        scope.merchant_id.as_str().into(),
        scope.mode.as_str().into(),
        endpoint_id.into(),
        event.id.as_str().into(),
        event.event.as_str().into(),
        now_ms.into(),
        now_ms.div_euclid(1000).into(),
    ]
}

fn event_from_row(row: &Row) -> Result<Event, Error> {
    serde_json::from_str(&row.text("payload")?)
        .map_err(|e| Error::Internal(format!("stored event: {e}")))
}

#[async_trait]
impl EventStore for SqlStore {
    async fn list_events(&self, scope: &Scope, params: &ListParams) -> Result<Vec<Event>, Error> {
        let (sql, values) = paged(
            "SELECT payload FROM events WHERE merchant_id = $1 AND mode = $2".to_string(),
            Vec::from(scope_params(scope)),
            params,
            "created_at",
            "event_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(event_from_row)
            .collect()
    }

    async fn event_by_id(&self, scope: &Scope, id: &EventId) -> Result<Option<Event>, Error> {
        self.db
            .query_opt(
                "SELECT payload FROM events WHERE merchant_id = $1 AND mode = $2 AND event_id = $3",
                &[
                    scope.merchant_id.as_str().into(),
                    scope.mode.as_str().into(),
                    id.as_str().into(),
                ],
            )
            .await?
            .map(|row| event_from_row(&row))
            .transpose()
    }
}
