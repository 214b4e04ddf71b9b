//! Merchants, API keys, idempotency, transactions, settings, value round trips.

use super::*;

fn key(created_at: i64, mode: Mode) -> ApiKey {
    ApiKey {
        id: ApiKeyId::generate(),
        entity: "api_key".into(),
        mode,
        name: "k".into(),
        secret_last4: "abcd".into(),
        created_at,
        revoked_at: None,
    }
}

conformance!(migrations_are_idempotent, |store: SqlStore| async move {
    assert_eq!(store.db().migrate().await.unwrap(), Vec::<i64>::new());
    store.ping().await.unwrap();
});

conformance!(
    merchants_round_trip_and_emails_are_unique,
    |store: SqlStore| async move {
        let merchant = new_merchant(&store).await;
        assert_eq!(
            store.merchant_by_id(&merchant.id).await.unwrap(),
            Some(merchant.clone())
        );
        let by_email = store
            .merchant_by_email(&merchant.email)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_email.merchant, merchant);
        assert_eq!(by_email.password_hash, "$argon2id$x");
        let mut twin = by_email.clone();
        twin.merchant.id = MerchantId::generate();
        let err = store.insert_merchant(&twin).await.unwrap_err();
        assert_eq!(err.code(), "conflict");
        assert_eq!(err.field(), Some("email"));
        assert!(store
            .set_merchant_role(&merchant.id, Role::Admin)
            .await
            .unwrap());
        assert_eq!(
            store
                .merchant_by_id(&merchant.id)
                .await
                .unwrap()
                .unwrap()
                .role,
            Role::Admin
        );
        assert!(!store
            .set_merchant_role(&MerchantId::generate(), Role::Admin)
            .await
            .unwrap());
        assert!(store.count_merchants().await.unwrap() >= 1);
    }
);

conformance!(
    api_keys_are_scoped_paged_and_revocable,
    |store: SqlStore| async move {
        let merchant = new_merchant(&store).await;
        let other = new_merchant(&store).await;
        let test = Scope::new(merchant.id.clone(), Mode::Test);
        let live = Scope::new(merchant.id.clone(), Mode::Live);
        let foreign = Scope::new(other.id.clone(), Mode::Test);
        let mut keys = Vec::new();
        for i in 0..5 {
            let k = key(1_000 + i, Mode::Test);
            store
                .insert_api_key(&test, &k, &format!("hash{i}"), &[], 25)
                .await
                .unwrap();
            keys.push(k);
        }
        store
            .insert_api_key(&live, &key(2_000, Mode::Live), "livehash", &[], 25)
            .await
            .unwrap();

        let page = store
            .list_api_keys(
                &test,
                &ListParams {
                    count: 2,
                    skip: 1,
                    ..ListParams::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            page.iter().map(|k| k.created_at).collect::<Vec<_>>(),
            vec![1_003, 1_002]
        );
        let window = store
            .list_api_keys(
                &test,
                &ListParams {
                    from_unix_secs: Some(1_001),
                    to_unix_secs: Some(1_002),
                    ..ListParams::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(window.len(), 2);
        assert_eq!(
            store
                .list_api_keys(&live, &ListParams::default())
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(store
            .list_api_keys(&foreign, &ListParams::default())
            .await
            .unwrap()
            .is_empty());

        let auth = store.api_key_for_auth(&keys[0].id).await.unwrap().unwrap();
        assert_eq!(
            (
                auth.merchant_id.clone(),
                auth.mode,
                auth.secret_sha256.as_str(),
                auth.revoked
            ),
            (merchant.id.clone(), Mode::Test, "hash0", false)
        );

        // Another tenant, or the other mode, can neither see nor revoke the key.
        assert!(store
            .api_key_by_id(&foreign, &keys[0].id)
            .await
            .unwrap()
            .is_none());
        assert!(!store
            .revoke_api_key(&foreign, &keys[0].id, 5, &[])
            .await
            .unwrap());
        assert!(!store
            .revoke_api_key(&live, &keys[0].id, 5, &[])
            .await
            .unwrap());
        assert!(store
            .revoke_api_key(&test, &keys[0].id, 5, &[])
            .await
            .unwrap());
        assert!(
            !store
                .revoke_api_key(&test, &keys[0].id, 6, &[])
                .await
                .unwrap(),
            "revoking twice changes nothing"
        );
        assert!(
            store
                .api_key_for_auth(&keys[0].id)
                .await
                .unwrap()
                .unwrap()
                .revoked
        );
        assert_eq!(
            store
                .api_key_by_id(&test, &keys[0].id)
                .await
                .unwrap()
                .unwrap()
                .revoked_at,
            Some(5)
        );
    }
);

conformance!(
    idempotency_records_follow_their_lifecycle,
    |store: SqlStore| async move {
        let merchant = new_merchant(&store).await;
        let scope = Scope::new(merchant.id.clone(), Mode::Test);
        let other_mode = Scope::new(merchant.id.clone(), Mode::Live);
        assert!(store
            .idempotency_insert(&scope, "k1", "h", 100)
            .await
            .unwrap());
        assert!(!store
            .idempotency_insert(&scope, "k1", "h", 100)
            .await
            .unwrap());
        assert!(
            store
                .idempotency_insert(&other_mode, "k1", "h", 100)
                .await
                .unwrap(),
            "modes do not share keys"
        );
        let seen = store.idempotency_get(&scope, "k1").await.unwrap().unwrap();
        assert_eq!(seen.locked_at, 100);
        store
            .idempotency_complete(&scope, "k1", 201, "{\"ok\":true}")
            .await
            .unwrap();
        let done = store.idempotency_get(&scope, "k1").await.unwrap().unwrap();
        assert_eq!(
            (done.response_status, done.response_body.as_deref()),
            (Some(201), Some("{\"ok\":true}"))
        );
        // Compare-and-swap: a stale view cannot retake.
        assert!(!store
            .idempotency_retake(&scope, "k1", &IdemView::stale(&done), "h2", 200)
            .await
            .unwrap());
        assert!(store
            .idempotency_retake(&scope, "k1", &done, "h2", 200)
            .await
            .unwrap());
        assert!(
            !store
                .idempotency_retake(&scope, "k1", &done, "h3", 201)
                .await
                .unwrap(),
            "only one retake wins"
        );
        store.idempotency_release(&scope, "k1").await.unwrap();
        assert!(store.idempotency_get(&scope, "k1").await.unwrap().is_none());
        assert!(store
            .idempotency_insert(&scope, "old", "h", 10)
            .await
            .unwrap());
        assert!(
            store.idempotency_purge(50, 1).await.unwrap() == 1,
            "purges are bounded by the limit"
        );
        while store.idempotency_purge(50, 100).await.unwrap() > 0 {}
        assert!(store
            .idempotency_get(&scope, "old")
            .await
            .unwrap()
            .is_none());
        assert!(
            store
                .idempotency_get(&other_mode, "k1")
                .await
                .unwrap()
                .is_some(),
            "records newer than the cutoff stay"
        );
    }
);

struct IdemView;
impl IdemView {
    fn stale(
        r: &finvex_core::idempotency::IdempotencyRecord,
    ) -> finvex_core::idempotency::IdempotencyRecord {
        let mut stale = r.clone();
        stale.locked_at -= 1;
        stale
    }
}

conformance!(
    concurrent_duplicates_never_both_proceed,
    |store: SqlStore| async move {
        let merchant = new_merchant(&store).await;
        let scope = Scope::new(merchant.id.clone(), Mode::Test);
        let clock = Arc::new(ManualClock::new(Timestamp::from_unix_secs(1_000)));
        let service = Arc::new(IdempotencyService::new(
            Arc::new(store.clone()),
            clock.clone(),
            finvex_core::crypto::SecretBox::from_hex(
                &finvex_core::crypto::SecretBox::generate_key_hex(),
            )
            .unwrap(),
        ));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (service, scope) = (service.clone(), scope.clone());
                tokio::spawn(async move { service.begin(&scope, "race", "same-body").await })
            })
            .collect();
        let mut winners = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(Claim::Proceed(ticket)) => winners.push(ticket),
                Err(Error::IdempotencyInProgress) => {}
                other => panic!("unexpected outcome {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1);
        service
            .finish(winners.pop().unwrap(), 200, "{}")
            .await
            .unwrap();
        match service.begin(&scope, "race", "same-body").await.unwrap() {
            Claim::Replay { status, body } => assert_eq!((status, body.as_str()), (200, "{}")),
            other => panic!("expected a replay, got {other:?}"),
        }
        assert_eq!(
            service
                .begin(&scope, "race", "other-body")
                .await
                .unwrap_err(),
            Error::IdempotencyKeyReused
        );
        clock.advance_secs(24 * 60 * 60);
        assert!(
            matches!(
                service.begin(&scope, "race", "other-body").await.unwrap(),
                Claim::Proceed(_)
            ),
            "keys expire after 24 h"
        );
    }
);

conformance!(
    transactions_commit_or_roll_back_whole,
    |store: SqlStore| async move {
        let name = format!("tx-{}", MerchantId::generate());
        let db = store.db();
        let tx = db.begin().await.unwrap();
        tx.execute(
            "INSERT INTO instance_settings (name, value) VALUES ($1, $2)",
            &[SqlValue::from(name.as_str()), "a".into()],
        )
        .await
        .unwrap();
        let inside = tx
            .query(
                "SELECT value FROM instance_settings WHERE name = $1",
                &[name.as_str().into()],
            )
            .await
            .unwrap();
        assert_eq!(inside.len(), 1, "a transaction sees its own writes");
        drop(tx);
        // Postgres rolls back on a spawned task; give it a moment to finish.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(db
            .query(
                "SELECT value FROM instance_settings WHERE name = $1",
                &[name.as_str().into()]
            )
            .await
            .unwrap()
            .is_empty());

        let tx = db.begin().await.unwrap();
        tx.execute(
            "INSERT INTO instance_settings (name, value) VALUES ($1, $2)",
            &[name.as_str().into(), "b".into()],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let row = db
            .query_one(
                "SELECT value FROM instance_settings WHERE name = $1",
                &[name.as_str().into()],
            )
            .await
            .unwrap();
        assert_eq!(row.text(0).unwrap(), "b");
    }
);

conformance!(
    settings_agree_on_first_writer,
    |store: SqlStore| async move {
        let name = format!("setting-{}", MerchantId::generate());
        assert_eq!(
            store.setting_get_or_insert(&name, "first").await.unwrap(),
            "first"
        );
        assert_eq!(
            store.setting_get_or_insert(&name, "second").await.unwrap(),
            "first"
        );
    }
);

conformance!(values_round_trip_exactly, |store: SqlStore| async move {
    let db = store.db();
    let name = format!("v-{}", MerchantId::generate());
    let text = "₹ 5,000 — नमस्ते 'quoted' $1";
    db.execute(
        "INSERT INTO instance_settings (name, value) VALUES ($1, $2)",
        &[name.as_str().into(), text.into()],
    )
    .await
    .unwrap();
    let row = db
        .query_one(
            "SELECT value, 9007199254740993 FROM instance_settings WHERE name = $1",
            &[name.as_str().into()],
        )
        .await
        .unwrap();
    assert_eq!(row.text(0).unwrap(), text);
    assert_eq!(
        row.int(1).unwrap(),
        9_007_199_254_740_993,
        "i64 beyond f64 precision survives"
    );
});

conformance!(
    rows_are_read_by_column_name_on_both_engines,
    |store: SqlStore| async move {
        let row = store
            .db()
            .query_one("SELECT 7 AS seven, 'x' AS label, NULL AS absent", &[])
            .await
            .unwrap();
        assert_eq!(row.int("seven").unwrap(), 7);
        assert_eq!(row.text("label").unwrap(), "x");
        assert_eq!(row.opt_text("absent").unwrap(), None);
        assert_eq!(row.int(0).unwrap(), 7, "positions still work");
        let err = row.text("missing").unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        let mode: Mode = store
            .db()
            .query_one("SELECT 'live' AS mode", &[])
            .await
            .unwrap()
            .parsed("mode")
            .unwrap();
        assert_eq!(mode, Mode::Live, "enums parse with FromStr");
    }
);

conformance!(
    admins_are_stored_apart_found_by_email_and_id_and_unique_by_email,
    |store: SqlStore| async move {
        use finvex_core::admin::{Admin, AdminRecord, AdminStore};
        use finvex_core::ids::AdminId;
        let email = Email::parse(&format!(
            "ops-{}@example.com",
            AdminId::generate().as_str().to_lowercase()
        ))
        .unwrap();
        let record = AdminRecord {
            admin: Admin {
                id: AdminId::generate(),
                entity: "admin",
                email: email.clone(),
                created_at: 1_700_000_000,
            },
            password_hash: "$argon2id$x".into(),
        };
        store.insert_admin(&record).await.unwrap();
        let found = store.admin_by_email(&email).await.unwrap().unwrap();
        assert_eq!(
            (found.admin.clone(), found.password_hash.as_str()),
            (record.admin.clone(), "$argon2id$x")
        );
        assert_eq!(
            store.admin_by_id(&record.admin.id).await.unwrap(),
            Some(record.admin.clone())
        );
        assert!(store
            .admin_by_id(&AdminId::generate())
            .await
            .unwrap()
            .is_none());
        // No merchant of that email exists because an admin does.
        assert!(store.merchant_by_email(&email).await.unwrap().is_none());
        let twin = AdminRecord {
            admin: Admin {
                id: AdminId::generate(),
                ..record.admin.clone()
            },
            password_hash: "$argon2id$y".into(),
        };
        assert_eq!(
            store.insert_admin(&twin).await.unwrap_err().code(),
            "conflict"
        );
    }
);

conformance!(
    own_database merchants_list_newest_first_in_pages,
    |store: SqlStore| async move {
        let first = new_merchant(&store).await;
        let second = new_merchant(&store).await;
        let page = |count: u32, skip: u32| {
            let store = store.clone();
            async move {
                store
                    .list_merchants(&ListParams {
                        count,
                        skip,
                        ..ListParams::default()
                    })
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|m| m.id)
                    .collect::<Vec<_>>()
            }
        };
        let all = page(10, 0).await;
        assert_eq!(all.len(), 2);
        assert!(all.contains(&first.id) && all.contains(&second.id));
        assert_eq!(page(1, 0).await, all[..1]);
        assert_eq!(page(1, 1).await, all[1..]);
    }
);
