//! Finvex core: the domain types, rules and services of Finvex, and the
//! storage they run on.
//!
//! Rust applications can link this crate and call the services directly,
//! without `finvex-server`:
//!
//! ```no_run
//! # async fn demo() -> Result<(), finvex_core::Error> {
//! use std::sync::Arc;
//! use finvex_core::{auth::AuthService, clock::SystemClock, store::SqlStore};
//!
//! let store: Arc<dyn finvex_core::store::SystemStore> = Arc::new(SqlStore::open("sqlite://finvex.db").await?);
//! let auth = AuthService::new(store, Arc::new(SystemClock), b"a-long-random-jwt-secret-of-32-bytes!".to_vec())?;
//! let signed_up = auth.signup("Acme", "founder@acme.in", "correct horse battery").await?;
//! println!("merchant {}", signed_up.merchant.id);
//! # Ok(()) }
//! ```
//!
//! Layout: pure rules (money, ids, newtypes, key formats, idempotency
//! fingerprints) have no I/O; services orchestrate them through the async
//! storage traits in [`store`] and the [`clock::Clock`] trait.

pub mod admin;
pub mod auth;
pub mod cache;
pub mod calendar;
pub mod clock;
pub mod crypto;
pub mod customers;
pub mod error;
pub mod events;
pub mod gst;
pub mod idempotency;
pub mod ids;
pub mod jobs;
pub mod merchants;
pub mod mode;
pub mod money;
pub mod orders;
pub mod pagination;
pub mod payments;
pub mod plans;
pub mod provider_webhooks;
pub mod providers;
pub mod ratelimit;
pub mod refunds;
pub mod routing;
pub mod services;
pub mod settlements;
pub mod store;
pub mod subscriptions;
pub mod tasks;
pub mod types;
pub mod webhooks;

pub use error::Error;
pub use mode::{Mode, Scope};
pub use money::{Amount, Currency, Money};

/// Result type used by every service in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
