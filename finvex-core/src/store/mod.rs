//! Storage: the async traits services depend on, and [`SqlStore`], their one
//! implementation over SQLite or Postgres (see [`sql`]).
//!
//! Tenancy: every method that touches tenant data takes a [`crate::Scope`]
//! (merchant + mode) and every query filters by both. The only reads that do
//! not are the ones that *find* the tenant: a merchant by email at login, and
//! an API key by its id at authentication.

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod sql;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql_store;

use async_trait::async_trait;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use sql_store::SqlStore;

use crate::auth::ApiKeyStore;
use crate::events::EventStore;
use crate::gst::GstStore;
use crate::idempotency::IdempotencyStore;
use crate::jobs::JobStore;
use crate::merchants::MerchantStore;
use crate::orders::OrderStore;
use crate::providers::accounts::ProviderAccountStore;
use crate::ratelimit::RateLimitStore;
use crate::settlements::SettlementStore;
use crate::webhooks::WebhookStore;
use crate::Error;

/// Instance-wide settings shared by every server on one database.
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// Returns the stored value, or stores `value` and returns it when absent.
    /// Several instances racing agree on one value.
    async fn setting_get_or_insert(&self, name: &str, value: &str) -> Result<String, Error>;
    /// Removes an instance setting (one that must no longer be kept).
    async fn setting_delete(&self, name: &str) -> Result<(), Error>;
    /// Master-key rotation: passes every sealed value (webhook secrets,
    /// provider credentials, sealed instance settings, stored idempotent
    /// responses) through `reseal` and
    /// writes the results back, all in one transaction; returns how many.
    /// The one operation that spans every tenant: it is the operator's, run
    /// from the CLI, never reachable over HTTP.
    async fn reseal_all(&self, reseal: &Reseal<'_>) -> Result<u64, Error>;
}

/// Opens a sealed value with the old key and seals it with the new one.
pub type Reseal<'a> = dyn Fn(&str) -> Result<String, Error> + Send + Sync + 'a;

/// Liveness of the storage engine, for `/readyz`.
#[async_trait]
pub trait StoreHealth: Send + Sync {
    async fn ping(&self) -> Result<(), Error>;
    /// `"sqlite"` or `"postgres"`.
    fn engine(&self) -> &'static str;
}

/// Everything the services need from storage.
pub trait Store:
    MerchantStore
    + ApiKeyStore
    + IdempotencyStore
    + EventStore
    + WebhookStore
    + GstStore
    + OrderStore
    + ProviderAccountStore
    + SettlementStore
    + SettingsStore
    + RateLimitStore
    + JobStore
    + StoreHealth
{
}

impl<T> Store for T where
    T: MerchantStore
        + ApiKeyStore
        + IdempotencyStore
        + EventStore
        + WebhookStore
        + GstStore
        + OrderStore
        + ProviderAccountStore
        + SettlementStore
        + SettingsStore
        + RateLimitStore
        + JobStore
        + StoreHealth
{
}
