//! Cost of one routing decision (pure): ns per `route` call for the rule kinds.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use finvex_core::providers::ProviderName::{Cashfree, Razorpay, Sandbox};
use finvex_core::routing::rules::{
    route, FeeEntry, MethodHint, ProviderFacts, RoutingConfig, RoutingInput, RoutingRule,
};

fn bench_routing(c: &mut Criterion) {
    let facts = vec![
        ProviderFacts {
            name: Razorpay,
            available: false,
            success_rate_bps: Some(9_200),
        },
        ProviderFacts {
            name: Cashfree,
            available: true,
            success_rate_bps: Some(9_500),
        },
        ProviderFacts {
            name: Sandbox,
            available: true,
            success_rate_bps: None,
        },
    ];
    let configs = [
        (
            "priority",
            RoutingConfig {
                rules: vec![RoutingRule::Priority {
                    providers: vec![Razorpay, Cashfree],
                }],
            },
        ),
        (
            "volume_split",
            RoutingConfig {
                rules: vec![RoutingRule::VolumeSplit {
                    weights: vec![(Razorpay, 70), (Cashfree, 30)],
                }],
            },
        ),
        (
            "threshold_then_lowest_cost",
            RoutingConfig {
                rules: vec![
                    RoutingRule::AmountThreshold {
                        min_amount: 10_000_000,
                        providers: vec![Cashfree],
                    },
                    RoutingRule::LowestCost {
                        fees: vec![
                            FeeEntry {
                                provider: Razorpay,
                                method: MethodHint::Upi,
                                percent_bps: 0,
                                fixed_minor: 0,
                            },
                            FeeEntry {
                                provider: Cashfree,
                                method: MethodHint::Any,
                                percent_bps: 190,
                                fixed_minor: 300,
                            },
                        ],
                    },
                ],
            },
        ),
        (
            "success_rate",
            RoutingConfig {
                rules: vec![RoutingRule::SuccessRate],
            },
        ),
    ];
    let mut group = c.benchmark_group("route");
    for (name, config) in &configs {
        group.bench_function(*name, |b| {
            let mut draw = 0;
            b.iter(|| {
                draw = (draw + 37) % 100;
                route(
                    black_box(&RoutingInput {
                        amount_minor: 50_000,
                        method: MethodHint::Upi,
                        split_draw: draw,
                    }),
                    config,
                    &facts,
                )
                .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_routing);
criterion_main!(benches);
