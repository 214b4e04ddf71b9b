//! The security fixes that live in the store: master-key rotation, tenant-scoped provider ids (and the upgrade to them), refunds bound to their idempotency key, shared rate-limit windows.

use super::*;

/// Security #1: `rotate-master-key` re-seals every sealed value (webhook
/// secrets current and previous, provider credentials, sealed instance
/// settings) in one transaction: all under the new key, or none.
async fn reseal_everything_or_nothing(store: SqlStore) {
    use finvex_core::crypto::SecretBox;
    use finvex_core::providers::accounts::{ProviderAccountStore, StoredAccount};
    use finvex_core::providers::ProviderName;
    let old = SecretBox::from_hex(&SecretBox::generate_key_hex()).unwrap();
    let new = SecretBox::from_hex(&SecretBox::generate_key_hex()).unwrap();
    let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
    store
        .db()
        .execute(
            "INSERT INTO webhook_endpoints (merchant_id, mode, endpoint_id, url, description, events, secret_sealed, previous_secret_sealed, status, created_at)
             VALUES ($1, $2, 'finvex_we_rotation', 'https://example.com/h', '', '[]', $3, $4, 'enabled', 1)",
            &[
                scope.merchant_id.as_str().into(),
                scope.mode.as_str().into(),
                old.seal("whsec_current").unwrap().into(),
                old.seal("whsec_previous").unwrap().into(),
            ],
        )
        .await
        .unwrap();
    store
        .put_provider_account(
            &scope,
            &StoredAccount {
                provider: ProviderName::Razorpay,
                public_id: "rzp_test_rotation".into(),
                sealed: old.seal("{\"key_secret\":\"s\"}").unwrap(),
                created_at: 1,
                updated_at: 1,
            },
        )
        .await
        .unwrap();
    store
        .setting_get_or_insert("instance_secret_sealed", &old.seal("instance").unwrap())
        .await
        .unwrap();
    assert!(store
        .idempotency_insert(&scope, "rotation-key", "sha", 1)
        .await
        .unwrap());
    store
        .idempotency_complete(
            &scope,
            "rotation-key",
            201,
            &old.seal("{\"secret_key\":\"k\"}").unwrap(),
        )
        .await
        .unwrap();
    let sealed_values = || async {
        let mut values = Vec::new();
        for (sql, columns) in [
            (
                "SELECT secret_sealed, previous_secret_sealed FROM webhook_endpoints",
                2,
            ),
            ("SELECT sealed FROM provider_accounts", 1),
            (
                "SELECT value FROM instance_settings WHERE name = 'instance_secret_sealed'",
                1,
            ),
            (
                "SELECT response_body FROM idempotency_keys WHERE idempotency_key = 'rotation-key'",
                1,
            ),
        ] {
            for row in store.db().query(sql, &[]).await.unwrap() {
                for c in 0..columns {
                    values.push(row.text(c).unwrap());
                }
            }
        }
        values
    };
    let before = sealed_values().await;
    assert_eq!(before.len(), 5);

    // A value that does not open stops the rotation with nothing changed.
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let failing = store
        .reseal_all(&|sealed| {
            if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 2 {
                return Err(Error::Internal("does not open".into()));
            }
            new.seal(&old.open(sealed)?)
        })
        .await;
    assert!(failing.is_err());
    assert_eq!(sealed_values().await, before, "all or nothing");

    let count = store
        .reseal_all(&|sealed| new.seal(&old.open(sealed)?))
        .await
        .unwrap();
    assert_eq!(count, 5);
    let after = sealed_values().await;
    let opened: Vec<String> = after.iter().map(|v| new.open(v).unwrap()).collect();
    assert_eq!(
        opened,
        vec![
            "whsec_current",
            "whsec_previous",
            "{\"key_secret\":\"s\"}",
            "instance",
            "{\"secret_key\":\"k\"}"
        ]
    );
    assert!(after.iter().all(|v| old.open(v).is_err()));
}

conformance!(own_database master_key_rotation, reseal_everything_or_nothing);

conformance!(
    a_provider_payment_id_claimed_by_one_tenant_never_blocks_another,
    |store: SqlStore| async move {
        use finvex_core::ids::PaymentId;
        use finvex_core::orders::OrderStore;
        use finvex_core::payments::state::OrderStatus;
        // Security #6: the same provider payment id in two tenants.
        let attacker = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let victim = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let claimed = orders_fixture::captured_payment(&store, &attacker, 1_000).await;
        let order = orders_fixture::unpaid_order(&store, &victim, 1_000, 1_000).await;
        let theirs = finvex_core::orders::Payment {
            id: PaymentId::generate(),
            order_id: order.id.clone(),
            ..claimed.clone()
        };
        assert!(
            store
                .save_payment(&victim, &theirs, None, OrderStatus::Paid, &[])
                .await
                .unwrap(),
            "the victim's payment is stored despite the attacker's claim"
        );
        let found = store
            .payment_by_provider_id(&victim, claimed.provider, &claimed.provider_payment_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, theirs.id);
        let own = store
            .payment_by_provider_id(&attacker, claimed.provider, &claimed.provider_payment_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(own.id, claimed.id, "each tenant sees its own");
    }
);

conformance!(
    a_refund_is_bound_to_its_idempotency_key,
    |store: SqlStore| async move {
        use finvex_core::orders::OrderStore;
        // Security #4: one refund per (tenant, Idempotency-Key).
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let payment = orders_fixture::captured_payment(&store, &scope, 10_000).await;
        let first = orders_fixture::refund(&payment, 1_000);
        assert!(store
            .reserve_refund(&scope, &first, Some("refund-key-1"))
            .await
            .unwrap());
        let again = orders_fixture::refund(&payment, 1_000);
        let err = store
            .reserve_refund(&scope, &again, Some("refund-key-1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
        let bound = store
            .refund_by_idempotency_key(&scope, "refund-key-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bound.id, first.id);
        assert!(store
            .refund_by_idempotency_key(&other, "refund-key-1")
            .await
            .unwrap()
            .is_none());
        // The refused second refund reserved nothing: 9,000 are still refundable.
        assert!(store
            .reserve_refund(&scope, &orders_fixture::refund(&payment, 9_000), None)
            .await
            .unwrap());
        assert!(store
            .reserve_refund(&scope, &orders_fixture::refund(&payment, 1), None)
            .await
            .is_ok_and(|reserved| !reserved));
    }
);

/// Security #6, upgrading: an installation at schema 12 with payments and
/// refunds moves to tenant-scoped provider ids with every row and every
/// foreign key intact (SQLite rebuilds the table; Postgres swaps the constraint).
async fn upgrade_to_scoped_provider_ids_keeps_rows(db: finvex_core::store::sql::Db) {
    use finvex_core::orders::OrderStore;
    db.migrate_through(12).await.unwrap();
    let store = SqlStore::from_db(db.clone());
    let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
    let order = orders_fixture::unpaid_order(&store, &scope, 5_000, 1_000).await;
    // Written as schema 12 knew it (today's save_payment needs schema 13).
    let payment_id = finvex_core::ids::PaymentId::generate();
    db.execute(
        "INSERT INTO payments (payment_id, merchant_id, mode, order_id, amount, currency, status, provider, provider_payment_id, amount_refunded, refund_reserved, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 5000, 'INR', 'captured', 'sandbox', 'sbxpay_upgrade', 0, 0, 1, 1)",
        &[
            payment_id.as_str().into(),
            scope.merchant_id.as_str().into(),
            scope.mode.as_str().into(),
            order.id.as_str().into(),
        ],
    )
    .await
    .unwrap();
    let payment = store.payment(&scope, &payment_id).await.unwrap().unwrap();
    let refund = orders_fixture::refund(&payment, 2_000);
    assert!(store.reserve_refund(&scope, &refund, None).await.unwrap());
    let applied = db.migrate().await.unwrap();
    assert_eq!(applied.first(), Some(&13), "{applied:?}");
    let kept = store.payment(&scope, &payment.id).await.unwrap().unwrap();
    assert_eq!(kept.provider_payment_id, payment.provider_payment_id);
    assert_eq!(
        store
            .refund(&scope, &refund.id)
            .await
            .unwrap()
            .unwrap()
            .payment_id,
        payment.id
    );
    if db.dialect() == finvex_core::store::sql::Dialect::Sqlite {
        let on = db.query_one("PRAGMA foreign_keys", &[]).await.unwrap();
        assert_eq!(on.int(0).unwrap(), 1, "foreign keys are enforced again");
        let orphan = orders_fixture::refund(&kept, 1);
        let mut orphan = orphan;
        orphan.payment_id = finvex_core::ids::PaymentId::generate();
        assert!(
            store
                .reserve_refund(&scope, &orphan, None)
                .await
                .is_ok_and(|r| !r),
            "no refund for a payment that does not exist"
        );
    }
}

mod upgrade_to_scoped_provider_ids {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("upgrade.db").display());
        let db = finvex_core::store::sql::Db::open(&url).await.unwrap();
        upgrade_to_scoped_provider_ids_keeps_rows(db).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        if postgres().await.is_some() {
            #[cfg(feature = "postgres")]
            {
                let url = std::env::var("FINVEX_TEST_DATABASE_URL").unwrap();
                let own = own_postgres_database(&url, "upgrade").await;
                let db = finvex_core::store::sql::Db::open(&own).await.unwrap();
                upgrade_to_scoped_provider_ids_keeps_rows(db).await;
                drop_own_postgres_database(own.rsplit_once('/').unwrap().1).await;
            }
        }
    }
}

conformance!(
    rate_limit_windows_count_every_hit_once,
    |store: SqlStore| async move {
        use finvex_core::ratelimit::RateLimitStore;
        // Security #9: instances taking from one bucket at once lose nothing
        // and share no grant: each sees its own running total.
        let bucket = format!("key:{}", finvex_core::ids::ApiKeyId::generate());
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let (store, bucket) = (store.clone(), bucket.clone());
                tokio::spawn(
                    async move { store.rate_window_take(&bucket, 1_000, 3).await.unwrap() },
                )
            })
            .collect();
        let mut seen = Vec::new();
        for task in tasks {
            seen.push(task.await.unwrap().current);
        }
        seen.sort_unstable();
        assert_eq!(seen, (1..=40).map(|i| i * 3).collect::<Vec<i64>>());
        let next = store.rate_window_take(&bucket, 1_001, 1).await.unwrap();
        assert_eq!((next.current, next.previous), (1, 120));
        assert!(store.rate_windows_purge(1_001, 100).await.unwrap() >= 1);
        let after = store.rate_window_take(&bucket, 1_001, 1).await.unwrap();
        assert_eq!(
            (after.current, after.previous),
            (2, 0),
            "the old window is gone"
        );
    }
);
