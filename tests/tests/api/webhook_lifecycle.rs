//! Webhook rules that take days, run on a manual clock through the real
//! services, store and HTTP transport (no server needed).

use std::sync::Arc;

use finvex_core::auth::AuthService;
use finvex_core::clock::{Clock, ManualClock, Timestamp};
use finvex_core::crypto::SecretBox;
use finvex_core::pagination::ListParams;
use finvex_core::store::{SqlStore, SystemStore};
use finvex_core::webhooks::{WebhookService, WebhookSettings};
use finvex_core::{Mode, Scope};
use finvex_providers::webhooks::HttpWebhookTransport;

const DAY_SECS: i64 = 24 * 60 * 60;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_endpoint_gives_up_after_three_days_and_is_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn SystemStore> = Arc::new(
        SqlStore::open(&format!("sqlite://{}", dir.path().join("w.db").display()))
            .await
            .unwrap(),
    );
    let clock = Arc::new(ManualClock::new(Timestamp::from_unix_secs(1_800_000_000)));
    let auth = AuthService::new(store.clone(), clock.clone(), vec![1; 32]).unwrap();
    let merchant = auth
        .signup("Lifecycle", "life@example.com", "a long password")
        .await
        .unwrap()
        .merchant;
    let scope = Scope::new(merchant.id.clone(), Mode::Test);
    let webhooks = Arc::new(WebhookService::new(
        store.clone(),
        clock.clone(),
        SecretBox::from_hex(&SecretBox::generate_key_hex()).unwrap(),
        Arc::new(HttpWebhookTransport::new(true).unwrap()),
        WebhookSettings {
            allow_private_targets: true,
            ..WebhookSettings::default()
        },
    ));
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let failing = webhooks
        .create_endpoint(&scope, &format!("http://{dead_port}/hook"), None, None)
        .await
        .unwrap();
    let watcher_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let watcher = webhooks
        .create_endpoint(
            &scope,
            &format!("http://{watcher_port}/hook"),
            Some(vec!["webhook_endpoint.disabled".into()]),
            None,
        )
        .await
        .unwrap();
    webhooks
        .send_test(&scope, failing.endpoint.id.as_str())
        .await
        .unwrap();

    // Follow the schedule: each due attempt fails; the clock jumps to the next one.
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(rounds < 100, "the schedule must end");
        webhooks.deliver_due(10, 4).await.unwrap();
        let deliveries = webhooks
            .list_deliveries(&scope, failing.endpoint.id.as_str(), &ListParams::default())
            .await
            .unwrap();
        let delivery = &deliveries.items[0];
        match delivery.next_attempt_at_ms {
            Some(next) if delivery.status == "pending" => clock.set(Timestamp(next)),
            _ => break,
        }
    }
    let deliveries = webhooks
        .list_deliveries(&scope, failing.endpoint.id.as_str(), &ListParams::default())
        .await
        .unwrap();
    let delivery = &deliveries.items[0];
    assert_eq!(delivery.status, "failed");
    assert!(
        (15..=20).contains(&delivery.attempts),
        "about 17 attempts over 3 days, got {}",
        delivery.attempts
    );
    let elapsed = clock.now().unix_secs() - 1_800_000_000;
    assert!(
        elapsed > 2 * DAY_SECS && elapsed <= 3 * DAY_SECS,
        "{elapsed}"
    );

    // The endpoint has now failed for most of 3 days; one more failure after the window disables it.
    clock.advance_secs(DAY_SECS);
    webhooks
        .send_test(&scope, failing.endpoint.id.as_str())
        .await
        .unwrap();
    let endpoints = webhooks
        .list_endpoints(&scope, &ListParams::default())
        .await
        .unwrap();
    let status = endpoints
        .items
        .iter()
        .find(|e| e.id == failing.endpoint.id)
        .unwrap()
        .status
        .clone();
    assert_eq!(status, "disabled");
    let events = store
        .list_events(
            &scope,
            &ListParams {
                count: 100,
                ..ListParams::default()
            },
        )
        .await
        .unwrap();
    let disabled: Vec<_> = events
        .iter()
        .filter(|e| e.event == "webhook_endpoint.disabled")
        .collect();
    assert_eq!(disabled.len(), 1);
    assert_eq!(
        disabled[0].data["endpoint_id"],
        failing.endpoint.id.as_str()
    );
    // The merchant's other endpoint is told.
    let told = webhooks
        .list_deliveries(&scope, watcher.endpoint.id.as_str(), &ListParams::default())
        .await
        .unwrap();
    assert_eq!(told.items.len(), 1);
    assert_eq!(told.items[0].event, "webhook_endpoint.disabled");
}

/// An endpoint whose secret no longer opens (sealed under another master
/// key) gets failed attempts on the schedule, not an endless loop of
/// unrecorded retries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_that_cannot_be_signed_is_a_recorded_failed_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn SystemStore> = Arc::new(
        SqlStore::open(&format!("sqlite://{}", dir.path().join("k.db").display()))
            .await
            .unwrap(),
    );
    let clock = Arc::new(ManualClock::new(Timestamp::from_unix_secs(1_800_000_000)));
    let auth = AuthService::new(store.clone(), clock.clone(), vec![1; 32]).unwrap();
    let merchant = auth
        .signup("Rekeyed", "rekeyed@example.com", "a long password")
        .await
        .unwrap()
        .merchant;
    let scope = Scope::new(merchant.id.clone(), Mode::Test);
    let service = |key: String| {
        Arc::new(WebhookService::new(
            store.clone(),
            clock.clone(),
            SecretBox::from_hex(&key).unwrap(),
            Arc::new(HttpWebhookTransport::new(true).unwrap()),
            WebhookSettings {
                allow_private_targets: true,
                ..WebhookSettings::default()
            },
        ))
    };
    let sealed_with = service(SecretBox::generate_key_hex());
    let endpoint = sealed_with
        .create_endpoint(&scope, "http://127.0.0.1:9/hook", None, None)
        .await
        .unwrap();
    sealed_with
        .send_test(&scope, endpoint.endpoint.id.as_str())
        .await
        .unwrap();
    let deliveries = || async {
        sealed_with
            .list_deliveries(
                &scope,
                endpoint.endpoint.id.as_str(),
                &ListParams::default(),
            )
            .await
            .unwrap()
            .items
    };
    let due_at = deliveries().await[0].next_attempt_at_ms.unwrap();
    clock.set(Timestamp::from_unix_secs(due_at.div_euclid(1000) + 1));

    // Another key: the secret does not open.
    let other = service(SecretBox::generate_key_hex());
    assert_eq!(other.deliver_due(10, 4).await.unwrap(), 1);
    let delivery = &deliveries().await[0];
    assert_eq!(delivery.attempts, 2, "the test send, then this attempt");
    assert_eq!(delivery.status, "pending");
    assert!(delivery.next_attempt_at_ms.unwrap() > due_at, "rescheduled");
    assert!(delivery
        .last_error
        .as_deref()
        .unwrap()
        .contains("could not be signed"));
}
