//! Store write throughput on SQLite: small inserts per second through the
//! async store (writer thread + WAL), one at a time and from 16 concurrent tasks.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use finvex_core::clock::{Clock, SystemClock};
use finvex_core::idempotency::IdempotencyStore;
use finvex_core::ids::MerchantId;
use finvex_core::store::SqlStore;
use finvex_core::{Mode, Scope};

fn bench_inserts(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("finvex-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let (store, scope) = runtime.block_on(async {
        let store = Arc::new(SqlStore::open(&url).await.unwrap());
        let auth =
            finvex_core::auth::AuthService::new(store.clone(), Arc::new(SystemClock), vec![7; 32])
                .unwrap();
        let merchant = auth
            .signup("Bench", "bench@example.com", "bench password 123")
            .await
            .unwrap()
            .merchant;
        (store, Scope::new(merchant.id, Mode::Test))
    });
    let _ = MerchantId::generate();
    let counter = std::sync::atomic::AtomicU64::new(0);
    let now = SystemClock.now().unix_secs();

    let mut group = c.benchmark_group("sqlite_store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("insert_one", |b| {
        b.to_async(&runtime).iter(|| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (store, scope) = (store.clone(), scope.clone());
            async move {
                assert!(store
                    .idempotency_insert(&scope, &format!("k{n}"), "hash", now)
                    .await
                    .unwrap());
            }
        })
    });
    group.throughput(Throughput::Elements(16));
    group.bench_function("insert_16_concurrent", |b| {
        b.to_async(&runtime).iter(|| {
            let base = counter.fetch_add(16, std::sync::atomic::Ordering::Relaxed);
            let (store, scope) = (store.clone(), scope.clone());
            async move {
                let tasks: Vec<_> = (0..16)
                    .map(|i| {
                        let (store, scope) = (store.clone(), scope.clone());
                        tokio::spawn(async move {
                            store
                                .idempotency_insert(&scope, &format!("c{}", base + i), "hash", now)
                                .await
                                .unwrap()
                        })
                    })
                    .collect();
                for task in tasks {
                    assert!(task.await.unwrap());
                }
            }
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_inserts);
criterion_main!(benches);
