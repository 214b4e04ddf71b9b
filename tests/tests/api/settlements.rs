//! Settlements through the real server and the real Razorpay adapter against
//! its contract fake: synced, matched to our payments and refunds, reconciled,
//! and never shown to a merchant whose payments are not all of it.

use crate::common::{error_of, Api, TestServer};
use finvex_providers::fakes::{fake_fee, RazorpayFake};
use serde_json::json;

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A paid (captured, verified) Razorpay order of `amount` paise: (order, payment).
#[tokio::test]
async fn settlements_of_a_merchants_own_account_reconcile_with_its_payments() {
    let own = RazorpayFake::start().await.unwrap();
    let url = own.base_url();
    let server = TestServer::start_with(move |c| {
        c.razorpay_api_url = url;
        c.provider_timeout_ms = 2_000;
    })
    .await;
    let alice = Api::new(&server, "alice-settles@example.com").await;
    alice.connect_razorpay(&own).await;
    let (_, first) = alice.paid_at_razorpay(&own, 49_900).await;
    let (_, second) = alice.paid_at_razorpay(&own, 100_000).await;
    let refund = alice
        .ok(
            alice
                .post(
                    &format!("/v1/payments/{}/refund", second["id"].as_str().unwrap()),
                    json!({"amount": 25_000}),
                )
                .await,
            201,
        )
        .await;
    assert_eq!(refund["status"], "processed", "{refund}");
    own.settle(now_secs()).unwrap();

    let report = alice
        .ok(alice.post("/v1/settlements/sync", json!({})).await, 200)
        .await;
    assert_eq!(
        (report["synced"].as_i64(), report["errors"].clone()),
        (Some(1), json!([])),
        "{report}"
    );
    let listed = alice.ok(alice.get("/v1/settlements").await, 200).await;
    assert_eq!(listed["count"], 1, "{listed}");
    let id = listed["items"][0]["id"].as_str().unwrap().to_string();
    let settlement = alice
        .ok(alice.get(&format!("/v1/settlements/{id}")).await, 200)
        .await;
    let (fee1, gst1) = fake_fee(49_900);
    let (fee2, gst2) = fake_fee(100_000);
    assert_eq!(
        settlement["amount"].as_i64().unwrap(),
        49_900 + 100_000 - 25_000 - fee1 - gst1 - fee2 - gst2
    );
    assert_eq!(settlement["fees"].as_i64(), Some(fee1 + fee2));
    assert_eq!(
        settlement["tax"].as_i64(),
        Some(gst1 + gst2),
        "GST on the fees"
    );
    let r = &settlement["reconciliation"];
    assert_eq!(r["status"], "reconciled", "{settlement}");
    assert_eq!(
        (r["difference"].as_i64(), r["matched_entries"].as_i64()),
        (Some(0), Some(3))
    );
    let entries = settlement["entries"].as_array().unwrap();
    let ours: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["payment_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        ours.contains(&("payment", first["id"].as_str().unwrap())),
        "{ours:?}"
    );
    assert!(
        ours.contains(&("payment", second["id"].as_str().unwrap())),
        "{ours:?}"
    );
    assert!(entries
        .iter()
        .any(|e| e["type"] == "refund" && e["refund_id"] == refund["id"]));

    // Syncing again refreshes the same record; another merchant sees nothing.
    let again = alice
        .ok(alice.post("/v1/settlements/sync", json!({})).await, 200)
        .await;
    assert_eq!(again["synced"], 1);
    let listed = alice.ok(alice.get("/v1/settlements").await, 200).await;
    assert_eq!(
        (listed["count"].as_i64(), listed["items"][0]["id"].as_str()),
        (Some(1), Some(id.as_str()))
    );
    let bob = Api::new(&server, "bob-settles@example.com").await;
    let (status, _) = error_of(bob.get(&format!("/v1/settlements/{id}")).await).await;
    assert_eq!(status, 404);
    let (status, err) = error_of(
        alice
            .post("/v1/settlements/sync", json!({"from": 0, "to": now_secs()}))
            .await,
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (400, Some("from")),
        "{err}"
    );
}

#[tokio::test]
async fn an_installation_accounts_settlement_is_shown_only_to_a_merchant_who_owns_all_of_it() {
    let shared = RazorpayFake::start().await.unwrap();
    let settings = crate::common::razorpay_settings(&shared, "test");
    let server = TestServer::start_with(move |c| c.razorpay = Some(settings)).await;
    let carol = Api::new(&server, "carol-settles@example.com").await;
    let dave = Api::new(&server, "dave-settles@example.com").await;
    carol.paid_at_razorpay(&shared, 10_000).await;
    dave.paid_at_razorpay(&shared, 20_000).await;
    shared.settle(now_secs()).unwrap();
    for api in [&carol, &dave] {
        let report = api
            .ok(api.post("/v1/settlements/sync", json!({})).await, 200)
            .await;
        assert_eq!(
            (report["synced"].as_i64(), report["skipped"].as_i64()),
            (Some(0), Some(1)),
            "{report}"
        );
        let listed = api.ok(api.get("/v1/settlements").await, 200).await;
        assert_eq!(listed["count"], 0);
    }
    // A payout made only of Carol's payments is hers to see.
    carol.paid_at_razorpay(&shared, 30_000).await;
    shared.settle(now_secs()).unwrap();
    // The shared account is synced at most every 15 minutes per merchant:
    // let that time pass.
    use finvex_core::store::sql::Executor;
    finvex_core::store::SqlStore::open(&server.database_url)
        .await
        .unwrap()
        .db()
        .execute(
            "DELETE FROM rate_limit_windows WHERE bucket LIKE 'settlement-sync:%'",
            &[],
        )
        .await
        .unwrap();
    let report = carol
        .ok(carol.post("/v1/settlements/sync", json!({})).await, 200)
        .await;
    assert_eq!(
        (report["synced"].as_i64(), report["skipped"].as_i64()),
        (Some(1), Some(1)),
        "{report}"
    );
    let listed = carol.ok(carol.get("/v1/settlements").await, 200).await;
    assert_eq!(
        listed["items"][0]["reconciliation"]["status"], "reconciled",
        "{listed}"
    );
    let listed = dave.ok(dave.get("/v1/settlements").await, 200).await;
    assert_eq!(listed["count"], 0);
}

/// The hourly sync is a job: a round per interval for the installation,
/// then one job per merchant with its own account, which that merchant can
/// watch at `GET /v1/jobs`.
#[tokio::test]
async fn the_settlement_sync_runs_as_a_job_a_merchant_can_watch() {
    let own = RazorpayFake::start().await.unwrap();
    let url = own.base_url();
    let server = TestServer::start_with(move |c| {
        c.razorpay_api_url = url;
        c.provider_timeout_ms = 2_000;
        c.settlement_sync_interval_ms = 1_000;
    })
    .await;
    let alice = Api::new(&server, "alice-sync-job@example.com").await;
    alice.connect_razorpay(&own).await;
    alice.paid_at_razorpay(&own, 49_900).await;
    own.settle(now_secs()).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let job = loop {
        let jobs = alice.ok(alice.get("/v1/jobs").await, 200).await;
        let done = jobs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["kind"] == "settlements.sync" && j["status"] == "succeeded")
            .cloned();
        if let Some(job) = done {
            break job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no sync job ran: {jobs}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(job["entity"], "job");
    let one = alice
        .ok(
            alice
                .get(&format!("/v1/jobs/{}", job["id"].as_str().unwrap()))
                .await,
            200,
        )
        .await;
    assert_eq!(one["id"], job["id"]);
    let listed = alice.ok(alice.get("/v1/settlements").await, 200).await;
    assert_eq!(
        listed["count"], 1,
        "the job synced the settlement: {listed}"
    );
    let bob = Api::new(&server, "bob-no-jobs@example.com").await;
    let theirs = bob.ok(bob.get("/v1/jobs").await, 200).await;
    assert_eq!(theirs["count"], 0);
    let (status, _) = error_of(
        bob.get(&format!("/v1/jobs/{}", job["id"].as_str().unwrap()))
            .await,
    )
    .await;
    assert_eq!(status, 404);
    server.stop().await;
}
