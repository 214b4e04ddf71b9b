//! One conformance suite, every engine: each test runs on SQLite always and on
//! Postgres when `FINVEX_TEST_DATABASE_URL` is set. Under CI (`CI=true`) a
//! missing Postgres URL fails the run instead of silently skipping.

use std::sync::Arc;

use finvex_core::auth::{ApiKey, ApiKeyStore};
use finvex_core::clock::{ManualClock, Timestamp};
use finvex_core::idempotency::{Claim, IdempotencyService, IdempotencyStore};
use finvex_core::ids::{ApiKeyId, MerchantId};
use finvex_core::merchants::{Merchant, MerchantRecord, MerchantStore, Role};
use finvex_core::pagination::ListParams;
use finvex_core::store::sql::{Executor, SqlValue};
use finvex_core::store::{SettingsStore, SqlStore, StoreHealth};
use finvex_core::types::Email;
use finvex_core::{Error, Mode, Scope};

struct Engine {
    store: SqlStore,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Engine {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
    Engine {
        store: SqlStore::open(&url).await.unwrap(),
        _dir: Some(dir),
    }
}

async fn postgres() -> Option<Engine> {
    match std::env::var("FINVEX_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            #[cfg(not(feature = "postgres"))]
            panic!("FINVEX_TEST_DATABASE_URL is set but finvex-core was built without the `postgres` feature ({url})");
            #[cfg(feature = "postgres")]
            Some(Engine {
                store: SqlStore::open(&url).await.unwrap(),
                _dir: None,
            })
        }
        _ => {
            assert!(std::env::var("CI").is_err(), "CI must set FINVEX_TEST_DATABASE_URL: the Postgres half of the store would go untested");
            eprintln!("skipping the Postgres run: FINVEX_TEST_DATABASE_URL is not set");
            None
        }
    }
}

/// `conformance!(name, body)` runs `body` on SQLite and on the shared
/// Postgres database; `conformance!(own_database name, body)` gives the
/// Postgres run a database of its own, for store methods that span every
/// tenant (master-key rotation, the delivery claim), so that concurrent
/// tests' rows neither disturb them nor get disturbed.
macro_rules! conformance {
    ($name:ident, $body:expr) => {
        conformance!(@engines $name, $body, None);
    };
    (own_database $name:ident, $body:expr) => {
        conformance!(@engines $name, $body, Some(stringify!($name)));
    };
    (@engines $name:ident, $body:expr, $own_database:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let engine = sqlite().await;
                ($body)(engine.store.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if let Some(engine) = postgres_for($own_database).await {
                    ($body)(engine.store.clone()).await;
                }
            }
        }
    };
}

/// The Postgres engine: the shared test database, or (named) one of its own.
async fn postgres_for(own_database: Option<&str>) -> Option<Engine> {
    let shared = postgres().await?;
    #[cfg(feature = "postgres")]
    if let Some(purpose) = own_database {
        let url = std::env::var("FINVEX_TEST_DATABASE_URL").unwrap();
        let own = own_postgres_database(&url, purpose).await;
        return Some(Engine {
            store: SqlStore::open(&own).await.unwrap(),
            _dir: None,
        });
    }
    let _ = own_database;
    Some(shared)
}

/// A fresh merchant per test, so tests share a Postgres database safely.
async fn new_merchant(store: &SqlStore) -> Merchant {
    let id = MerchantId::generate();
    let merchant = Merchant::new(
        id.clone(),
        "Test".into(),
        Email::parse(&format!("{}@example.com", id.as_str())).unwrap(),
        Role::Merchant,
        1_700_000_000,
    );
    store
        .insert_merchant(&MerchantRecord {
            merchant: merchant.clone(),
            password_hash: "$argon2id$x".into(),
        })
        .await
        .unwrap();
    merchant
}

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

// ---- GST invoices -------------------------------------------------------

fn gst_service(store: &SqlStore) -> Arc<finvex_core::gst::GstService> {
    Arc::new(finvex_core::gst::GstService::new(
        Arc::new(store.clone()),
        Arc::new(ManualClock::new(Timestamp::from_unix_secs(1_775_802_600))),
    ))
}

fn gst_invoice(date: &str, paise: i64) -> finvex_core::gst::NewInvoice {
    finvex_core::gst::NewInvoice {
        date: Some(date.into()),
        seller_gstin: Some("29AAFCC9980M1ZR".into()),
        buyer_gstin: Some("27AAPFU0939F1ZV".into()),
        lines: vec![finvex_core::gst::LineInput {
            hsn_code: Some("998316".into()),
            unit_price: paise,
            ..Default::default()
        }],
        ..Default::default()
    }
}

conformance!(
    gst_invoices_round_trip_within_their_scope,
    |store: SqlStore| async move {
        use finvex_core::gst::GstStore;
        let gst = gst_service(&store);
        let merchant = new_merchant(&store).await;
        let scope = Scope::new(merchant.id.clone(), Mode::Test);
        let april = gst
            .create_invoice(&scope, &gst_invoice("2026-04-30", 100_000))
            .await
            .unwrap();
        let may = gst
            .create_invoice(&scope, &gst_invoice("2026-05-01", 50_000))
            .await
            .unwrap();
        // March 2027 is still FY 2026-27: the series continues.
        let march = gst
            .create_invoice(&scope, &gst_invoice("2027-03-31", 1))
            .await
            .unwrap();
        let next_fy = gst
            .create_invoice(&scope, &gst_invoice("2027-04-01", 1))
            .await
            .unwrap();
        assert_eq!(
            [&april, &may, &march, &next_fy].map(|i| i.number.as_str()),
            [
                "FX2627-000001",
                "FX2627-000002",
                "FX2627-000003",
                "FX2728-000001"
            ]
        );
        let stored = store
            .gst_invoice_by_id(&scope, &april.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored, april, "everything written reads back");
        assert_eq!(stored.breakup.igst_paise, 18_000);

        let in_april = store
            .gst_invoices_in_period(&scope, "2026-04")
            .await
            .unwrap();
        assert_eq!(in_april.len(), 1);
        assert_eq!(in_april[0].id, april.id);
        let listed = store
            .list_gst_invoices(&scope, &ListParams::default())
            .await
            .unwrap();
        assert_eq!(listed.len(), 4);

        // Other merchant, and the same merchant's live mode, see nothing.
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let live = Scope::new(merchant.id.clone(), Mode::Live);
        for scope in [&other, &live] {
            assert_eq!(
                store.gst_invoice_by_id(scope, &april.id).await.unwrap(),
                None
            );
            assert!(store
                .list_gst_invoices(scope, &ListParams::default())
                .await
                .unwrap()
                .is_empty());
            assert!(store
                .gst_invoices_in_period(scope, "2026-04")
                .await
                .unwrap()
                .is_empty());
        }
        // Live mode has its own series.
        let live_first = gst
            .create_invoice(&live, &gst_invoice("2026-04-30", 1))
            .await
            .unwrap();
        assert_eq!(live_first.number, "FX2627-000001");
    }
);

conformance!(
    gst_concurrent_invoices_get_gap_free_unique_numbers,
    |store: SqlStore| async move {
        let gst = gst_service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let gst = gst.clone();
                let scope = scope.clone();
                tokio::spawn(async move {
                    gst.create_invoice(&scope, &gst_invoice("2026-04-15", 1_000 + i))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut sequences = Vec::new();
        for task in tasks {
            let invoice = task.await.unwrap();
            assert_eq!(invoice.number, format!("FX2627-{:06}", invoice.sequence));
            sequences.push(invoice.sequence);
        }
        sequences.sort_unstable();
        assert_eq!(sequences, (1..=20).collect::<Vec<i64>>());
    }
);

conformance!(
    gst_concurrent_credit_notes_never_exceed_the_invoice,
    |store: SqlStore| async move {
        let gst = gst_service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let invoice = gst
            .create_invoice(&scope, &gst_invoice("2026-04-15", 100_000))
            .await
            .unwrap();
        // Ten notes of Rs 300 race for Rs 1,000: exactly three fit.
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let gst = gst.clone();
                let scope = scope.clone();
                let mut note = gst_invoice("2026-04-20", 30_000);
                note.kind = finvex_core::gst::InvoiceType::CreditNote;
                note.original_invoice_id = Some(invoice.id.to_string());
                note.seller_gstin = None;
                note.buyer_gstin = None;
                tokio::spawn(async move { gst.create_invoice(&scope, &note).await })
            })
            .collect();
        let mut numbers = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(note) => numbers.push(note.number),
                Err(e) => assert_eq!(e.code(), "business_rule_violation", "{e}"),
            }
        }
        numbers.sort();
        assert_eq!(numbers, ["CN2627-000001", "CN2627-000002", "CN2627-000003"]);
        let after = gst.get_invoice(&scope, invoice.id.as_str()).await.unwrap();
        assert_eq!(after.credited_taxable_paise, 90_000);
        assert_eq!(after.credited_total_paise, 106_200);
    }
);

mod orders_fixture {
    use super::*;
    use finvex_core::ids::{OrderId, PaymentId, RefundId};
    use finvex_core::money::{Amount, Currency};
    use finvex_core::orders::{Order, OrderRouting, OrderStore, Payment, Refund, RefundStatus};
    use finvex_core::payments::state::{OrderStatus, PaymentStatus};
    use finvex_core::payments::{ProviderName, RefundSpeed};

    pub async fn unpaid_order(
        store: &SqlStore,
        scope: &Scope,
        amount: i64,
        created_at: i64,
    ) -> Order {
        let order = Order {
            id: OrderId::generate(),
            entity: "order".into(),
            amount: Amount::from_minor(amount),
            currency: Currency::INR,
            amount_paid: Amount::ZERO,
            amount_due: Amount::from_minor(amount),
            receipt: None,
            description: None,
            customer: Default::default(),
            notes: Default::default(),
            status: OrderStatus::Created,
            mode: scope.mode,
            provider: ProviderName::Sandbox,
            provider_order_id: format!("sbxord_{}", OrderId::generate()),
            routing: OrderRouting {
                provider: ProviderName::Sandbox,
                reason: "test".into(),
                attempts: vec![],
            },
            checkout: serde_json::json!({}),
            created_at,
        };
        store.insert_order(scope, &order, &[]).await.unwrap();
        order
    }

    pub async fn captured_payment(store: &SqlStore, scope: &Scope, amount: i64) -> Payment {
        let order = unpaid_order(store, scope, amount, 1_000).await;
        let payment = Payment {
            id: PaymentId::generate(),
            entity: "payment".into(),
            order_id: order.id.clone(),
            amount: Amount::from_minor(amount),
            currency: Currency::INR,
            status: PaymentStatus::Authorized,
            method: None,
            provider: ProviderName::Sandbox,
            provider_payment_id: format!("sbxpay_{}", PaymentId::generate()),
            amount_refunded: Amount::ZERO,
            error_code: None,
            error_description: None,
            fee: None,
            tax: None,
            created_at: 1_000,
            updated_at: 1_000,
        };
        assert!(store
            .save_payment(scope, &payment, None, OrderStatus::Attempted, &[])
            .await
            .unwrap());
        assert!(
            !store
                .save_payment(scope, &payment, None, OrderStatus::Attempted, &[])
                .await
                .unwrap(),
            "a provider payment is stored once"
        );
        let captured = Payment {
            status: PaymentStatus::Captured,
            ..payment.clone()
        };
        assert!(store
            .save_payment(
                scope,
                &captured,
                Some(PaymentStatus::Authorized),
                OrderStatus::Paid,
                &[]
            )
            .await
            .unwrap());
        assert!(
            !store
                .save_payment(
                    scope,
                    &captured,
                    Some(PaymentStatus::Authorized),
                    OrderStatus::Paid,
                    &[]
                )
                .await
                .unwrap(),
            "compare-and-swap: a stale status does not apply"
        );
        let stored_order = store.order(scope, &order.id).await.unwrap().unwrap();
        assert_eq!(
            (stored_order.status, stored_order.amount_paid.minor()),
            (OrderStatus::Paid, amount)
        );
        captured
    }

    pub fn refund(payment: &Payment, amount: i64) -> Refund {
        Refund {
            id: RefundId::generate(),
            entity: "refund".into(),
            payment_id: payment.id.clone(),
            amount: Amount::from_minor(amount),
            currency: Currency::INR,
            status: RefundStatus::Pending,
            speed: RefundSpeed::Normal,
            notes: Default::default(),
            provider_refund_id: None,
            error: None,
            created_at: 1_001,
            updated_at: 1_001,
        }
    }
}

conformance!(
    concurrent_refund_reservations_never_exceed_the_capture,
    |store: SqlStore| async move {
        use finvex_core::orders::{OrderStore, RefundStatus};
        use finvex_core::payments::state::PaymentStatus;
        let merchant = new_merchant(&store).await;
        let scope = Scope::new(merchant.id.clone(), Mode::Test);
        let payment = orders_fixture::captured_payment(&store, &scope, 10_000).await;
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (store, scope, refund) = (
                    store.clone(),
                    scope.clone(),
                    orders_fixture::refund(&payment, 1_000),
                );
                tokio::spawn(async move {
                    (
                        store.reserve_refund(&scope, &refund, None).await.unwrap(),
                        refund,
                    )
                })
            })
            .collect();
        let mut reserved = Vec::new();
        for task in tasks {
            let (ok, refund) = task.await.unwrap();
            if ok {
                reserved.push(refund);
            }
        }
        assert_eq!(reserved.len(), 10);
        // One fails at the provider: its reservation is released for another refund.
        let failed = finvex_core::orders::Refund {
            status: RefundStatus::Failed,
            ..reserved.pop().unwrap()
        };
        assert!(store.finish_refund(&scope, &failed, &[]).await.unwrap());
        assert!(
            !store.finish_refund(&scope, &failed, &[]).await.unwrap(),
            "a refund finishes once"
        );
        for refund in &reserved {
            let processed = finvex_core::orders::Refund {
                status: RefundStatus::Processed,
                ..refund.clone()
            };
            assert!(store.finish_refund(&scope, &processed, &[]).await.unwrap());
        }
        let after = store.payment(&scope, &payment.id).await.unwrap().unwrap();
        assert_eq!(
            (after.status, after.amount_refunded.minor()),
            (PaymentStatus::PartiallyRefunded, 9_000)
        );
        let last = orders_fixture::refund(&payment, 1_000);
        assert!(store.reserve_refund(&scope, &last, None).await.unwrap());
        assert!(!store
            .reserve_refund(&scope, &orders_fixture::refund(&payment, 1), None)
            .await
            .unwrap());
        let processed = finvex_core::orders::Refund {
            status: RefundStatus::Processed,
            ..last
        };
        store.finish_refund(&scope, &processed, &[]).await.unwrap();
        assert_eq!(
            store
                .payment(&scope, &payment.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            PaymentStatus::Refunded
        );
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        assert!(store.payment(&other, &payment.id).await.unwrap().is_none());
        assert!(
            !store
                .reserve_refund(&other, &orders_fixture::refund(&payment, 1), None)
                .await
                .unwrap(),
            "tenants cannot refund each other's payments"
        );
    }
);

conformance!(
    gst_documents_for_orders_and_refunds,
    |store: SqlStore| async move {
        use finvex_core::gst::{GstSettingsInput, InvoiceType, NewInvoice, RateSource};
        use finvex_core::orders::{OrderStore, RefundStatus};
        let gst = gst_service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);

        // Settings per merchant and mode; the defaults until set.
        let defaults = gst.settings(&scope).await.unwrap();
        assert_eq!(
            (
                defaults.settings.default_rate.basis_points(),
                defaults.updated_at
            ),
            (1800, None)
        );
        let set = gst
            .set_settings(
                &scope,
                &GstSettingsInput {
                    default_rate: Some(rust_decimal::Decimal::from(5)),
                    seller_gstin: Some("29AAFCC9980M1ZR".into()),
                    default_hsn_code: Some("998316".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(gst.settings(&scope).await.unwrap(), set);
        assert_eq!(gst.settings(&other).await.unwrap().updated_at, None);
        let live = Scope::new(scope.merchant_id.clone(), Mode::Live);
        assert_eq!(gst.settings(&live).await.unwrap().updated_at, None);

        // The invoice for a paid order totals the amount paid, to the paisa.
        let payment = orders_fixture::captured_payment(&store, &scope, 100_050).await;
        let for_order = |id: &str| NewInvoice {
            order_id: Some(id.into()),
            buyer_state: Some("KA".into()),
            date: Some("2026-04-15".into()),
            ..Default::default()
        };
        let invoice = gst
            .create_invoice(&scope, &for_order(payment.order_id.as_str()))
            .await
            .unwrap();
        assert_eq!(invoice.total_paise, 100_050);
        assert_eq!(invoice.order_id.as_ref(), Some(&payment.order_id));
        assert_eq!(invoice.rate_source, Some(RateSource::MerchantDefault));
        assert_eq!(invoice.breakup.lines[0].rate.basis_points(), 500);
        assert_eq!(invoice.breakup.cgst_paise, invoice.breakup.sgst_paise);
        let again = gst
            .create_invoice(&scope, &for_order(payment.order_id.as_str()))
            .await
            .unwrap_err();
        assert_eq!(
            (again.code(), again.field()),
            ("conflict", Some("order_id"))
        );
        let by_payment = NewInvoice {
            order_id: None,
            payment_id: Some(payment.id.to_string()),
            ..for_order("")
        };
        assert_eq!(
            gst.create_invoice(&scope, &by_payment)
                .await
                .unwrap_err()
                .code(),
            "conflict"
        );
        let foreign = gst
            .create_invoice(&other, &for_order(payment.order_id.as_str()))
            .await
            .unwrap_err();
        assert_eq!(foreign.code(), "not_found");

        // Racing requests for one order: exactly one invoice.
        let racing = orders_fixture::captured_payment(&store, &scope, 50_000).await;
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (gst, scope) = (gst.clone(), scope.clone());
                let req = for_order(racing.order_id.as_str());
                tokio::spawn(async move { gst.create_invoice(&scope, &req).await })
            })
            .collect();
        let mut issued = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => issued += 1,
                Err(e) => assert_eq!(e.code(), "conflict", "{e}"),
            }
        }
        assert_eq!(issued, 1);

        // Three partial refunds credit the whole invoice, never more.
        let credit = |refund: &str| NewInvoice {
            kind: InvoiceType::CreditNote,
            refund_id: Some(refund.into()),
            date: Some("2026-04-20".into()),
            ..Default::default()
        };
        let pending = orders_fixture::refund(&payment, 33_350);
        assert!(store.reserve_refund(&scope, &pending, None).await.unwrap());
        let err = gst
            .create_invoice(&scope, &credit(pending.id.as_str()))
            .await
            .unwrap_err();
        assert_eq!(
            (err.code(), err.field()),
            ("business_rule_violation", Some("refund_id"))
        );
        let mut refunds = vec![pending];
        for amount in [33_350, 33_350] {
            let refund = orders_fixture::refund(&payment, amount);
            assert!(store.reserve_refund(&scope, &refund, None).await.unwrap());
            refunds.push(refund);
        }
        let mut credited = 0;
        for refund in refunds {
            let processed = finvex_core::orders::Refund {
                status: RefundStatus::Processed,
                ..refund
            };
            assert!(store.finish_refund(&scope, &processed, &[]).await.unwrap());
            let note = gst
                .create_invoice(&scope, &credit(processed.id.as_str()))
                .await
                .unwrap();
            assert_eq!(note.total_paise, 33_350);
            assert_eq!(note.refund_id.as_ref(), Some(&processed.id));
            assert_eq!(note.original_invoice_id.as_ref(), Some(&invoice.id));
            assert_eq!(note.rate_source, Some(RateSource::OriginalInvoice));
            credited += note.total_paise;
            let twice = gst
                .create_invoice(&scope, &credit(processed.id.as_str()))
                .await
                .unwrap_err();
            assert_eq!(twice.code(), "conflict");
        }
        let after = gst.get_invoice(&scope, invoice.id.as_str()).await.unwrap();
        assert_eq!((after.credited_total_paise, credited), (100_050, 100_050));
    }
);

conformance!(
    the_reconciler_finds_what_is_due_in_every_tenant,
    |store: SqlStore| async move {
        use finvex_core::orders::{CheckTarget, DueWindow, OrderStore};
        let a = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let b = Scope::new(new_merchant(&store).await.id, Mode::Live);
        let old = orders_fixture::unpaid_order(&store, &a, 1_000, 5_000).await;
        let young = orders_fixture::unpaid_order(&store, &b, 1_000, 9_990).await;
        let other = orders_fixture::unpaid_order(&store, &b, 1_000, 6_000).await;
        let paid = orders_fixture::captured_payment(&store, &a, 2_000).await;
        // The database may hold other tests' tenants: look at these two only.
        let ids = |due: &[(Scope, finvex_core::orders::Order)]| {
            due.iter()
                .filter(|(scope, _)| *scope == a || *scope == b)
                .map(|(scope, o)| (scope.clone(), o.id.clone()))
                .collect::<Vec<_>>()
        };
        // Paid orders and orders outside the age window are never due.
        let due = store
            .orders_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 2_000,
                created_before_secs: 9_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(
            ids(&due),
            [(a.clone(), old.id.clone()), (b.clone(), other.id.clone())]
        );
        assert_eq!(
            store
                .orders_due_for_check(&DueWindow {
                    now_secs: 10_000,
                    created_after_secs: 2_000,
                    created_before_secs: 9_000,
                    limit: 1
                })
                .await
                .unwrap()
                .len(),
            1
        );
        store
            .set_next_check(&a, CheckTarget::Order(&old.id), 10_060)
            .await
            .unwrap();
        // Another tenant's scope cannot reschedule it.
        store
            .set_next_check(&b, CheckTarget::Order(&old.id), 0)
            .await
            .unwrap();
        let due = store
            .orders_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 2_000,
                created_before_secs: 9_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(ids(&due), [(b.clone(), other.id.clone())]);
        let later = store
            .orders_due_for_check(&DueWindow {
                now_secs: 10_060,
                created_after_secs: 2_000,
                created_before_secs: 10_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(
            ids(&later),
            [
                (a.clone(), old.id.clone()),
                (b.clone(), other.id.clone()),
                (b.clone(), young.id.clone())
            ]
        );

        let pending = orders_fixture::refund(&paid, 500);
        assert!(store.reserve_refund(&a, &pending, None).await.unwrap());
        let mine = |due: Vec<(Scope, finvex_core::orders::Refund)>| {
            due.into_iter()
                .filter(|(scope, _)| *scope == a || *scope == b)
                .map(|(scope, r)| (scope, r.id))
                .collect::<Vec<_>>()
        };
        let due = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 0,
                created_before_secs: 10_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(mine(due), [(a.clone(), pending.id.clone())]);
        store
            .set_next_check(&a, CheckTarget::Refund(&pending.id), 10_500)
            .await
            .unwrap();
        let not_yet = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 0,
                created_before_secs: 10_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert!(mine(not_yet).is_empty());
        let due = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_500,
                created_after_secs: 0,
                created_before_secs: 10_500,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(mine(due).len(), 1);
        let too_young = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 0,
                created_before_secs: 1_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert!(mine(too_young).is_empty(), "too young");
    }
);

conformance!(
    settlements_upsert_by_provider_id_within_their_scope,
    |store: SqlStore| async move {
        use finvex_core::ids::SettlementId;
        use finvex_core::money::{Amount, Currency};
        use finvex_core::payments::ProviderName;
        use finvex_core::settlements::{reconcile, Settlement, SettlementStore};
        let a = Scope::new(new_merchant(&store).await.id, Mode::Live);
        let b = Scope::new(new_merchant(&store).await.id, Mode::Live);
        let settlement = |amount: i64, at: i64| Settlement {
            id: SettlementId::generate(),
            entity: "settlement".into(),
            mode: Mode::Live,
            provider: ProviderName::Razorpay,
            provider_settlement_id: "setl_conformance".into(),
            amount: Amount::from_minor(amount),
            currency: Currency::INR,
            fees: Amount::from_minor(200),
            tax: Amount::from_minor(36),
            utr: Some("UTR1".into()),
            status: "created".into(),
            settled_at: 1_000,
            reconciliation: reconcile(Amount::from_minor(amount), &[]).unwrap(),
            entries: vec![],
            created_at: at,
            updated_at: at,
        };
        let first = store
            .upsert_settlement(&a, &settlement(9_764, 10))
            .await
            .unwrap();
        let mut refreshed = settlement(9_765, 20);
        refreshed.status = "processed".into();
        let again = store.upsert_settlement(&a, &refreshed).await.unwrap();
        assert_eq!(
            (again.id.clone(), again.created_at),
            (first.id.clone(), 10),
            "the same settlement keeps its id"
        );
        assert_eq!(
            (
                again.amount.minor(),
                again.status.as_str(),
                again.updated_at
            ),
            (9_765, "processed", 20)
        );
        // The same provider settlement id in another tenant is another record.
        let theirs = store
            .upsert_settlement(&b, &settlement(1, 30))
            .await
            .unwrap();
        assert_ne!(theirs.id, first.id);
        assert_eq!(
            store.settlement(&a, &first.id).await.unwrap(),
            Some(again.clone())
        );
        assert_eq!(store.settlement(&b, &first.id).await.unwrap(), None);
        let listed = store
            .list_settlements(&a, &ListParams::default())
            .await
            .unwrap();
        assert_eq!(listed, vec![again]);
    }
);

conformance!(
    an_order_and_its_events_fan_out_in_one_batch,
    |store: SqlStore| async move {
        use finvex_core::ids::WebhookEndpointId;
        use finvex_core::webhooks::{EndpointRecord, WebhookEndpoint, WebhookStore};
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let endpoint = |events: &[&str]| EndpointRecord {
            endpoint: WebhookEndpoint {
                id: WebhookEndpointId::generate(),
                entity: "webhook_endpoint".into(),
                url: "https://example.com/hook".into(),
                description: String::new(),
                events: events.iter().map(|e| e.to_string()).collect(),
                status: "enabled".into(),
                mode: Mode::Test,
                created_at: 1,
            },
            secret_sealed: "v1.x".into(),
            previous_secret_sealed: None,
            previous_secret_expires_at: None,
        };
        let all = endpoint(&["*"]);
        let other = endpoint(&["refund.processed"]);
        let gone = endpoint(&["*"]);
        for e in [&all, &other, &gone] {
            assert!(store.insert_endpoint(&scope, e, 16).await.unwrap());
        }
        assert!(store
            .delete_endpoint(&scope, &gone.endpoint.id, 2)
            .await
            .unwrap());
        let deliveries = |id: WebhookEndpointId| {
            let (store, scope) = (store.clone(), scope.clone());
            async move {
                store
                    .list_deliveries(&scope, &id, &ListParams::default())
                    .await
                    .unwrap()
            }
        };
        // An order as the service builds it, with its order.created event.
        let with_event = finvex_core::orders::Order {
            id: finvex_core::ids::OrderId::generate(),
            ..orders_fixture::unpaid_order(&store, &scope, 6_000, 11).await
        };
        use finvex_core::orders::OrderStore;
        store
            .insert_order(
                &scope,
                &with_event,
                &[finvex_core::events::NewEvent::new(
                    finvex_core::events::EventType::OrderCreated,
                    &with_event,
                )
                .unwrap()],
            )
            .await
            .unwrap();
        assert_eq!(deliveries(all.endpoint.id.clone()).await.len(), 1);
        assert!(deliveries(other.endpoint.id.clone()).await.is_empty());
        assert!(deliveries(gone.endpoint.id.clone()).await.is_empty());
        // All or nothing: a duplicate order id writes neither it nor its events.
        let err = store
            .insert_order(
                &scope,
                &with_event,
                &[finvex_core::events::NewEvent::new(
                    finvex_core::events::EventType::OrderCreated,
                    &with_event,
                )
                .unwrap()],
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
        assert_eq!(deliveries(all.endpoint.id.clone()).await.len(), 1);
    }
);

conformance!(
    provider_accounts_replace_in_place_within_their_scope,
    |store: SqlStore| async move {
        use finvex_core::payments::accounts::{ProviderAccountStore, StoredAccount};
        use finvex_core::payments::ProviderName;
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let account = |sealed: &str, at: i64| StoredAccount {
            provider: ProviderName::Razorpay,
            public_id: "rzp_test_conformance".into(),
            sealed: sealed.into(),
            created_at: at,
            updated_at: at,
        };
        let first = store
            .put_provider_account(&scope, &account("v1.a", 10))
            .await
            .unwrap();
        assert_eq!(first.created_at, 10);
        let replaced = store
            .put_provider_account(&scope, &account("v1.b", 20))
            .await
            .unwrap();
        assert_eq!(
            (replaced.created_at, replaced.updated_at),
            (10, 20),
            "a replaced account keeps its created_at"
        );
        assert_eq!(
            store.provider_accounts(&scope).await.unwrap(),
            vec![replaced]
        );
        let live = Scope::new(scope.merchant_id.clone(), Mode::Live);
        assert!(store.provider_accounts(&live).await.unwrap().is_empty());
        assert!(!store
            .delete_provider_account(&live, ProviderName::Razorpay)
            .await
            .unwrap());
        assert!(store
            .delete_provider_account(&scope, ProviderName::Razorpay)
            .await
            .unwrap());
        assert!(store.provider_accounts(&scope).await.unwrap().is_empty());
    }
);

/// A database of its own on the Postgres server (master-key rotation spans
/// every tenant, so it must not touch what concurrent tests keep).
#[cfg(feature = "postgres")]
async fn own_postgres_database(url: &str, purpose: &str) -> String {
    let name = format!(
        "finvex_{purpose}_{}",
        ulid::Ulid::generate().to_string().to_ascii_lowercase()
    );
    let admin = finvex_core::store::sql::Db::open(url).await.unwrap();
    admin
        .execute(&format!("CREATE DATABASE {name}"), &[])
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// Security #1: `rotate-master-key` re-seals every sealed value (webhook
/// secrets current and previous, provider credentials, sealed instance
/// settings) in one transaction: all under the new key, or none.
async fn reseal_everything_or_nothing(store: SqlStore) {
    use finvex_core::crypto::SecretBox;
    use finvex_core::payments::accounts::{ProviderAccountStore, StoredAccount};
    use finvex_core::payments::ProviderName;
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
            }
        }
    }
}

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
    use finvex_core::webhooks::{AttemptOutcome, AttemptRecord, Lease, NextState, WebhookStore};
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
    let _ = victim;
});

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
