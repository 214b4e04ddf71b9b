//! Helpers shared by the contract tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use finvex_core::ids::{OrderId, RefundId};
use finvex_core::money::Money;
use finvex_core::providers::{
    CreateProviderOrder, CreateProviderRefund, CustomerDetails, ProviderSettlement,
    ProviderSettlementEntry, RefundSpeed,
};

pub type Received = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

/// A local webhook receiver; returns its URL and what it received.
pub async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let store = received.clone();
    let app = axum::Router::new().route(
        "/hooks",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let store = store.clone();
                async move {
                    let headers = headers
                        .iter()
                        .map(|(n, v)| {
                            (n.as_str().to_string(), v.to_str().unwrap_or("").to_string())
                        })
                        .collect();
                    store.lock().unwrap().push((headers, body.to_vec()));
                    "ok"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/hooks"), received)
}

pub fn order_request(paise: i64) -> CreateProviderOrder {
    let order_id = OrderId::generate();
    CreateProviderOrder {
        idempotency_key: format!("idem-{}", order_id.as_str()),
        order_id,
        amount: Money::inr(paise),
        receipt: None,
        description: Some("Contract test order".into()),
        customer: CustomerDetails {
            name: Some("Asha Kumar".into()),
            email: Some("asha@example.com".into()),
            phone: Some("+919876543210".into()),
        },
        notes: BTreeMap::from([("plan".to_string(), "pro".to_string())]),
    }
}

pub fn refund_request(order_id: &str, payment_id: &str, paise: i64) -> CreateProviderRefund {
    let refund_id = RefundId::generate();
    CreateProviderRefund {
        idempotency_key: format!("rfidem-{}", refund_id.as_str()),
        refund_id,
        provider_order_id: order_id.into(),
        provider_payment_id: payment_id.into(),
        amount: Money::inr(paise),
        speed: RefundSpeed::Normal,
        notes: BTreeMap::from([("reason".to_string(), "customer asked".to_string())]),
    }
}

/// A settlement's lines add up to it: amount = Σ credit lines − Σ debit lines
/// − Σ fees − Σ GST, and its fee and GST are the lines' sums.
pub fn assert_reconciles(settlement: &ProviderSettlement, entries: &[ProviderSettlementEntry]) {
    let sum =
        |pick: &dyn Fn(&ProviderSettlementEntry) -> i64| -> i64 { entries.iter().map(pick).sum() };
    let credits = sum(&|e| if e.credit { e.amount.amount.minor() } else { 0 });
    let debits = sum(&|e| if e.credit { 0 } else { e.amount.amount.minor() });
    let fees = sum(&|e| e.fee_minor);
    let taxes = sum(&|e| e.tax_minor);
    assert!(
        entries.iter().all(|e| e.amount.amount.minor() > 0),
        "{entries:?}"
    );
    assert_eq!(
        settlement.amount.amount.minor(),
        credits - debits - fees - taxes,
        "{settlement:?} against {entries:?}"
    );
    assert_eq!((settlement.fees_minor, settlement.tax_minor), (fees, taxes));
}

/// Whether python3 has the official client `module` (`pip install
/// package`). CI must: there a missing client fails the test.
pub fn has_official_client(module: &str, package: &str) -> bool {
    let has = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install the official client: pip install {package}"
        );
        eprintln!("skipping: python3 has no {module} package (pip install {package})");
    }
    has
}

/// Runs `tests/official_clients/<script>` with `args`; it must exit 0 and
/// print its closing line `done`.
pub async fn run_official_client(script: &str, args: Vec<String>, done: &str) {
    let path = format!(
        "{}/tests/official_clients/{script}",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(path)
            .args(args)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains(done),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
