//! Webhook delivery claims: fair turns across tenants, outcomes only under the lease.

use super::*;

/// One due delivery per event for a fresh tenant's endpoint, its lease
/// already run out (due at `due_ms`).
async fn due_deliveries(
    store: &SqlStore,
    count: usize,
    due_ms: i64,
) -> (Scope, Vec<finvex_core::ids::WebhookDeliveryId>) {
    use finvex_core::events::NewEvent;
    use finvex_core::ids::WebhookEndpointId;
    use finvex_core::webhooks::{EndpointRecord, Lease, WebhookEndpoint, WebhookStore};
    let scope = Scope::new(new_merchant(store).await.id, Mode::Test);
    let endpoint = EndpointRecord {
        endpoint: WebhookEndpoint {
            id: WebhookEndpointId::generate(),
            entity: "webhook_endpoint".into(),
            url: "https://example.com/hook".into(),
            description: String::new(),
            events: vec!["*".into()],
            status: "enabled".into(),
            mode: Mode::Test,
            created_at: 1,
        },
        secret_sealed: "v1.x".into(),
        previous_secret_sealed: None,
        previous_secret_expires_at: None,
    };
    assert!(store.insert_endpoint(&scope, &endpoint, 16).await.unwrap());
    let event = NewEvent::new(
        finvex_core::events::EventType::WebhookTest,
        serde_json::json!({}),
    )
    .unwrap();
    let mut ids = Vec::new();
    for _ in 0..count {
        ids.push(
            store
                .insert_event_for_endpoint(
                    &scope,
                    &endpoint.endpoint.id,
                    &event,
                    due_ms,
                    &Lease::new(0),
                )
                .await
                .unwrap(),
        );
    }
    (scope, ids)
}

conformance!(own_database webhook_claims, |store: SqlStore| async move {
    use finvex_core::webhooks::{AttemptOutcome, AttemptRecord, Lease, NextState};
    // Security #11: a tenant with a backlog of 20 cannot starve another
    // tenant's single delivery, although that one is the newest.
    let (_flooder, _) = due_deliveries(&store, 20, 1_000).await;
    let (victim, victim_ids) = due_deliveries(&store, 1, 2_000).await;
    let first = Lease::new(10_000);
    let claimed = store.claim_due_deliveries(5_000, &first, 2).await.unwrap();
    assert_eq!(claimed.len(), 2);
    let ids = |jobs: &[finvex_core::webhooks::DeliveryJob]| {
        jobs.iter().map(|j| j.delivery_id.clone()).collect::<Vec<_>>()
    };
    assert!(ids(&claimed).contains(&victim_ids[0]), "fair turns: {claimed:?}");
    assert!(claimed.iter().all(|j| j.lease_token == first.token), "claimed with the lease's token");

    // Security #12: the first worker's lease runs out; a second takes the
    // delivery over. Only the current lease holder's outcome is recorded.
    let second = Lease::new(30_000);
    let taken = store
        .claim_due_deliveries(20_000, &second, 50)
        .await
        .unwrap();
    assert!(ids(&taken).contains(&victim_ids[0]));
    let job = store.delivery_job(&victim_ids[0]).await.unwrap().unwrap();
    let record = |token: &str| AttemptRecord {
        job: finvex_core::webhooks::DeliveryJob {
            lease_token: token.to_string(),
            ..job.clone()
        },
        outcome: AttemptOutcome {
            status_code: Some(200),
            error: None,
            latency_ms: 3,
            response_excerpt: String::new(),
        },
        next: NextState::Succeeded,
        now_ms: 21_000,
        disable: false,
        events: vec![],
    };
    store
        .record_attempts(&[record(&first.token)])
        .await
        .unwrap();
    let delivery_id = victim_ids[0].to_string();
    let attempts = |store: SqlStore| {
        let delivery_id = delivery_id.clone();
        async move {
            store
                .db()
                .query_one(
                    "SELECT attempts, status FROM webhook_deliveries WHERE delivery_id = $1",
                    &[delivery_id.into()],
                )
                .await
                .unwrap()
        }
    };
    let row = attempts(store.clone()).await;
    assert_eq!(
        (row.int(0).unwrap(), row.text(1).unwrap()),
        (0, "pending".to_string()),
        "a lost lease records nothing"
    );
    store
        .record_attempts(&[record(&second.token)])
        .await
        .unwrap();
    let row = attempts(store.clone()).await;
    assert_eq!(
        (row.int(0).unwrap(), row.text(1).unwrap()),
        (1, "succeeded".to_string())
    );
    // The attempt and the event read back by column name.
    use finvex_core::events::EventStore;
    use finvex_core::webhooks::{Attempt, WebhookStore};
    assert_eq!(
        store.attempts(&victim, &victim_ids[0]).await.unwrap(),
        vec![Attempt {
            attempt_no: 1,
            status_code: Some(200),
            error: None,
            latency_ms: 3,
            response_excerpt: String::new(),
            created_at: 21,
        }]
    );
    let events = store
        .list_events(&victim, &ListParams::default())
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        store.event_by_id(&victim, &events[0].id).await.unwrap(),
        Some(events[0].clone())
    );
});

conformance!(
    own_database a_round_of_attempts_is_recorded_in_one_batch_each_under_its_lease,
    |store: SqlStore| async move {
        use finvex_core::webhooks::{AttemptOutcome, AttemptRecord, Lease, NextState, WebhookStore};
        let (scope, ids) = due_deliveries(&store, 5, 1_000).await;
        let lease = Lease::new(60_000);
        let claimed = store.claim_due_deliveries(5_000, &lease, 10).await.unwrap();
        assert_eq!(claimed.len(), 5);
        let outcome = |status: u16| AttemptOutcome {
            status_code: Some(status),
            error: (status != 200).then(|| format!("the receiver answered HTTP {status}")),
            latency_ms: 7,
            response_excerpt: "ok".into(),
        };
        let mut records: Vec<AttemptRecord> = claimed
            .iter()
            .enumerate()
            .map(|(i, job)| AttemptRecord {
                job: job.clone(),
                outcome: outcome(if i % 2 == 0 { 200 } else { 500 }),
                next: if i % 2 == 0 { NextState::Succeeded } else { NextState::RetryAt(9_000 + i as i64) },
                now_ms: 6_000,
                disable: false,
                events: vec![],
            })
            .collect();
        // One of them was taken over meanwhile: its token no longer holds.
        records[4].job.lease_token = "a lease another worker lost".into();
        store.record_attempts(&records).await.unwrap();
        for (i, record) in records.iter().enumerate() {
            let row = store
                .db()
                .query_one(
                    "SELECT status, attempts, next_attempt_at_ms, last_status_code, lease_token FROM webhook_deliveries WHERE delivery_id = $1",
                    &[record.job.delivery_id.as_str().into()],
                )
                .await
                .unwrap();
            let recorded = store.attempts(&scope, &record.job.delivery_id).await.unwrap();
            if i == 4 {
                assert_eq!(row.text("status").unwrap(), "pending", "a lost lease records nothing");
                assert_eq!(row.int("attempts").unwrap(), 0);
                assert!(recorded.is_empty());
                continue;
            }
            let (status, next) = if i % 2 == 0 { ("succeeded", None) } else { ("pending", Some(9_000 + i as i64)) };
            assert_eq!(row.text("status").unwrap(), status);
            assert_eq!(row.int("attempts").unwrap(), 1);
            assert_eq!(row.opt_int("next_attempt_at_ms").unwrap(), next);
            assert_eq!(row.opt_int("last_status_code").unwrap(), Some(if i % 2 == 0 { 200 } else { 500 }));
            assert_eq!(row.opt_text("lease_token").unwrap(), None, "released");
            assert_eq!(recorded.len(), 1);
            assert_eq!((recorded[0].attempt_no, recorded[0].latency_ms, recorded[0].created_at), (1, 7, 6));
            assert_eq!(recorded[0].error.is_some(), i % 2 == 1);
        }
        assert!(ids.iter().all(|id| records.iter().any(|r| r.job.delivery_id == *id)));
    }
);

conformance!(
    own_database a_round_that_disables_an_endpoint_records_it_and_its_event_only_under_held_leases,
    |store: SqlStore| async move {
        use finvex_core::events::{EventType, NewEvent};
        use finvex_core::webhooks::{AttemptOutcome, AttemptRecord, Lease, NextState, WebhookStore};
        let (scope, _) = due_deliveries(&store, 2, 1_000).await;
        let lease = Lease::new(60_000);
        let claimed = store.claim_due_deliveries(5_000, &lease, 10).await.unwrap();
        assert_eq!(claimed.len(), 2);
        let failed = AttemptOutcome {
            status_code: None,
            error: Some("could not connect".into()),
            latency_ms: 1,
            response_excerpt: String::new(),
        };
        let event = NewEvent::new(
            EventType::WebhookEndpointDisabled,
            serde_json::json!({"endpoint_id": claimed[0].endpoint_id}),
        )
        .unwrap();
        let mut records: Vec<AttemptRecord> = claimed
            .iter()
            .map(|job| AttemptRecord {
                job: job.clone(),
                outcome: failed.clone(),
                next: NextState::Failed,
                now_ms: 6_000,
                disable: true,
                events: vec![event.clone()],
            })
            .collect();
        // The second lease was lost: its attempt, disabling and event do not count.
        records[1].job.lease_token = "a lease another worker lost".into();
        store.record_attempts(&records).await.unwrap();
        let status = |id: String| {
            let store = store.clone();
            async move {
                store
                    .db()
                    .query_one(
                        "SELECT status FROM webhook_deliveries WHERE delivery_id = $1",
                        &[id.into()],
                    )
                    .await
                    .unwrap()
                    .text("status")
                    .unwrap()
            }
        };
        assert_eq!(status(records[0].job.delivery_id.to_string()).await, "failed");
        assert_eq!(status(records[1].job.delivery_id.to_string()).await, "pending");
        assert_eq!(store.attempts(&scope, &records[1].job.delivery_id).await.unwrap(), vec![]);
        let endpoint = store
            .db()
            .query_one(
                "SELECT status FROM webhook_endpoints WHERE endpoint_id = $1",
                &[records[0].job.endpoint_id.as_str().into()],
            )
            .await
            .unwrap();
        assert_eq!(endpoint.text("status").unwrap(), "disabled");
        let events = store
            .db()
            .query_one(
                "SELECT COUNT(*) AS n FROM events WHERE merchant_id = $1 AND event_type = 'webhook_endpoint.disabled'",
                &[scope.merchant_id.as_str().into()],
            )
            .await
            .unwrap();
        assert_eq!(events.int("n").unwrap(), 1, "one event, from the held lease only");
    }
);
