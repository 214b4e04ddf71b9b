//! Finvex inside your own Rust app, no server: SQLite and the offline
//! sandbox. Create an order, pay it at the sandbox checkout, verify it,
//! refund part of it, and print the events a webhook endpoint would receive.
//!
//! `cargo run -p finvex-examples --example embed`

use std::sync::Arc;

use finvex_core::auth::AuthService;
use finvex_core::clock::SystemClock;
use finvex_core::orders::{CreateOrder, CreateRefund};
use finvex_core::pagination::ListParams;
use finvex_core::providers::ProviderRegistry;
use finvex_core::services::PaymentServices;
use finvex_core::store::{SqlStore, SystemStore};
use finvex_core::{Mode, Scope};
use finvex_providers::sandbox::SandboxProvider;

#[tokio::main]
async fn main() -> Result<(), finvex_core::Error> {
    let dir = tempfile::tempdir().map_err(|e| finvex_core::Error::Internal(e.to_string()))?;
    let store: Arc<dyn SystemStore> = Arc::new(
        SqlStore::open(&format!(
            "sqlite://{}",
            dir.path().join("embed.db").display()
        ))
        .await?,
    );
    let clock = Arc::new(SystemClock);

    let auth = AuthService::new(
        store.clone(),
        clock.clone(),
        b"an-example-secret-of-at-least-32-bytes".to_vec(),
    )?;
    let merchant = auth
        .signup("Embedded Shop", "owner@embedded.example", "a long password")
        .await?
        .merchant;
    let scope = Scope::new(merchant.id.clone(), Mode::Test);

    let registry = ProviderRegistry::new()
        .with_sandbox(Arc::new(SandboxProvider::new("embed-sandbox-secret")));
    let finvex = PaymentServices::new(store.clone(), clock, registry);

    let order = finvex
        .orders
        .create_order(
            &scope,
            &CreateOrder {
                amount: 50_000,
                currency: None,
                receipt: Some("rcpt-1".into()),
                description: Some("Pro Plan".into()),
                customer: None,
                notes: None,
                provider: None,
            },
            None,
        )
        .await?;
    println!(
        "order {} for {} paise at {} ({})",
        order.id,
        order.amount.minor(),
        order.provider.as_str(),
        order.routing.reason
    );

    let paid = finvex
        .payments
        .sandbox_pay(&scope, order.id.as_str(), "success@finvex")
        .await?;
    let verified = finvex
        .payments
        .verify(
            &scope,
            order.id.as_str(),
            &paid.payment_id,
            Some(&paid.signature),
        )
        .await?;
    let payment = verified.payment.expect("a verified order has its payment");
    println!(
        "verified: {} — payment {} is {}",
        verified.verified,
        payment.id,
        payment.status.as_str()
    );

    let refund = finvex
        .refunds
        .create_refund(
            &scope,
            payment.id.as_str(),
            &CreateRefund {
                amount: Some(20_000),
                ..CreateRefund::default()
            },
            // An idempotency key binds the refund: a retry gets it back.
            Some("refund-order-1"),
        )
        .await?;
    println!(
        "refund {} of {} paise: {}",
        refund.id,
        refund.amount.minor(),
        refund.status.as_str()
    );

    println!("events, oldest first:");
    let mut events = store
        .list_events(
            &scope,
            &ListParams {
                count: 100,
                ..ListParams::default()
            },
        )
        .await?;
    events.reverse();
    for event in events {
        println!("  {} {}", event.id, event.event);
    }
    Ok(())
}
