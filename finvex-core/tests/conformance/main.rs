//! One conformance suite, every engine: each test runs on SQLite always and on
//! Postgres when `FINVEX_TEST_DATABASE_URL` is set. Under CI (`CI=true`) a
//! missing Postgres URL fails the run instead of silently skipping.

use std::sync::Arc;

use finvex_core::auth::{ApiKey, ApiKeyStore, ApiKeySystemStore};
// The cross-tenant methods under test, for every module (`use super::*`).
use finvex_core::clock::{ManualClock, Timestamp};
use finvex_core::idempotency::{
    Claim, IdempotencyService, IdempotencyStore, IdempotencySystemStore,
};
use finvex_core::ids::{ApiKeyId, MerchantId};
use finvex_core::jobs::JobSystemStore;
use finvex_core::merchants::{Merchant, MerchantRecord, MerchantSystemStore, Role};
use finvex_core::orders::OrderSystemStore;
use finvex_core::pagination::ListParams;
use finvex_core::ratelimit::RateLimitSystemStore;
use finvex_core::store::sql::{Executor, SqlValue};
use finvex_core::store::{SettingsStore, SqlStore, StoreHealth};
use finvex_core::types::Email;
use finvex_core::webhooks::WebhookSystemStore;
use finvex_core::{Error, Mode, Scope};

struct Engine {
    store: SqlStore,
    _dir: Option<tempfile::TempDir>,
    /// A Postgres database made for this test alone, dropped after it.
    own_database: Option<String>,
}

impl Engine {
    async fn finish(self) {
        #[cfg(feature = "postgres")]
        if let Some(name) = self.own_database {
            drop(self.store);
            drop_own_postgres_database(&name).await;
        }
    }
}

async fn sqlite() -> Engine {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
    Engine {
        store: SqlStore::open(&url).await.unwrap(),
        _dir: Some(dir),
        own_database: None,
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
                own_database: None,
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
                    engine.finish().await;
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
            own_database: own.rsplit_once('/').map(|(_, name)| name.to_string()),
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

mod orders_fixture {
    use super::*;
    use finvex_core::ids::{OrderId, PaymentId, RefundId};
    use finvex_core::money::{Amount, Currency};
    use finvex_core::orders::{Order, OrderRouting, OrderStore, Payment, Refund, RefundStatus};
    use finvex_core::payments::state::{OrderStatus, PaymentStatus};
    use finvex_core::providers::{ProviderName, RefundSpeed};

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

/// A database of its own on the Postgres server (master-key rotation spans
/// every tenant, so it must not touch what concurrent tests keep).
#[cfg(feature = "postgres")]
async fn drop_own_postgres_database(name: &str) {
    let url = std::env::var("FINVEX_TEST_DATABASE_URL").unwrap();
    let admin = finvex_core::store::sql::Db::open(&url).await.unwrap();
    let _ = admin
        .execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), &[])
        .await;
}

#[cfg(feature = "postgres")]
async fn own_postgres_database(url: &str, purpose: &str) -> String {
    // Postgres cuts names at 63 bytes: the unique part must come first.
    let purpose: String = purpose.chars().take(24).collect();
    let name = format!(
        "finvex_{}_{purpose}",
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

// One module per area; each `conformance!` runs on SQLite and Postgres.
mod accounts;
mod customers;
mod foundation;
mod gst;
mod jobs;
mod orders;
mod plans;
mod security;
mod settlements;
mod webhooks;
