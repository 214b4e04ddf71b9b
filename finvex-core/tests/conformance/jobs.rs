//! The job queue: one claim among workers, leases, backoff, bounded attempts, tenant views.

use super::*;

conformance!(own_database jobs_run_once_retry_and_finish_under_their_lease, |store: SqlStore| async move {
    use finvex_core::jobs::{JobNext, JobStore, NewJob};
    use finvex_core::webhooks::Lease;
    let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
    let job = NewJob::new("test.kind", serde_json::json!({"n": 1}), 1_000)
        .unique("test.kind:round-1")
        .for_tenant(scope.clone());
    let id = store.enqueue_job(&job, 1_000).await.unwrap().unwrap();
    assert!(store.enqueue_job(&job, 1_000).await.unwrap().is_none(), "one per unique key");
    assert!(store
        .claim_jobs(&["test.kind"], 999, &Lease::new(5_000), 10)
        .await
        .unwrap()
        .is_empty(), "not due yet");
    assert!(store
        .claim_jobs(&["other.kind"], 2_000, &Lease::new(5_000), 10)
        .await
        .unwrap()
        .is_empty(), "only the kinds asked for");

    // Two workers at once: one gets it.
    let (a, b) = (Lease::new(10_000), Lease::new(10_000));
    let (first, second) = tokio::join!(
        store.claim_jobs(&["test.kind"], 2_000, &a, 10),
        store.claim_jobs(&["test.kind"], 2_000, &b, 10)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.len() + second.len(), 1, "claimed once");
    let claimed = first.into_iter().chain(second).next().unwrap();
    assert_eq!((claimed.id.clone(), claimed.attempts), (id.clone(), 0));
    assert_eq!(claimed.scope.as_ref(), Some(&scope));
    assert_eq!(claimed.payload, serde_json::json!({"n": 1}));
    assert!(store.job_progress(&claimed, 3, Some(10), 2_500).await.unwrap());

    // Its lease runs out; another worker takes it over; the first one's
    // outcome no longer counts.
    let later = Lease::new(40_000);
    let taken = store.claim_jobs(&["test.kind"], 20_000, &later, 10).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].attempts, 1, "the lost attempt was counted");
    assert!(!store.finish_job(&claimed, &JobNext::Succeeded, 21_000).await.unwrap());
    let retry = JobNext::RetryAt { run_at_ms: 30_000, error: "provider busy".into() };
    assert!(store.finish_job(&taken[0], &retry, 21_000).await.unwrap());
    let view = store.job(&scope, &id).await.unwrap().unwrap();
    assert_eq!((view.status.as_str(), view.attempts, view.progress_done, view.progress_total), ("queued", 2, 3, Some(10)));
    assert_eq!(view.last_error.as_deref(), Some("provider busy"));
    assert!(store.claim_jobs(&["test.kind"], 29_999, &Lease::new(60_000), 10).await.unwrap().is_empty(), "backoff");
    let third = store.claim_jobs(&["test.kind"], 30_000, &Lease::new(60_000), 10).await.unwrap();
    assert!(store.finish_job(&third[0], &JobNext::Succeeded, 31_000).await.unwrap());
    assert_eq!(store.job(&scope, &id).await.unwrap().unwrap().status, "succeeded");
    let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
    assert!(store.job(&other, &id).await.unwrap().is_none(), "tenants see their own jobs");
    assert_eq!(store.list_jobs(&scope, &ListParams::default()).await.unwrap().len(), 1);
    assert_eq!(store.purge_finished_jobs(i64::MAX, 10).await.unwrap(), 1);

    // A job out of attempts is never claimed again.
    let once = NewJob { max_attempts: 1, ..NewJob::new("test.kind", serde_json::json!({}), 0) };
    store.enqueue_job(&once, 0).await.unwrap().unwrap();
    let claimed = store.claim_jobs(&["test.kind"], 1, &Lease::new(2), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(store.claim_jobs(&["test.kind"], 100, &Lease::new(200), 10).await.unwrap().is_empty());
});
