//! Storage: the async traits services depend on, and [`SqlStore`], their one
//! implementation over SQLite or Postgres (see [`sql`]).
//!
//! Tenancy: every method of [`Store`] that touches tenant data takes a
//! [`crate::Scope`] (merchant + mode) and every query filters by both. The
//! methods that cross tenants are on [`SystemStore`] alone.

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod sql;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql_store;

use async_trait::async_trait;

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use sql_store::SqlStore;

use crate::admin::AdminStore;
use crate::auth::{ApiKeyStore, ApiKeySystemStore};
use crate::customers::CustomerStore;
use crate::events::EventStore;
use crate::gst::GstStore;
use crate::idempotency::{IdempotencyStore, IdempotencySystemStore};
use crate::jobs::{JobStore, JobSystemStore};
use crate::merchants::{MerchantStore, MerchantSystemStore};
use crate::orders::{OrderStore, OrderSystemStore};
use crate::plans::PlanStore;
use crate::providers::accounts::ProviderAccountStore;
use crate::ratelimit::{RateLimitStore, RateLimitSystemStore};
use crate::settlements::{SettlementStore, SettlementSystemStore};
use crate::webhooks::{WebhookStore, WebhookSystemStore};
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

/// What tenant-facing services get: every method takes a [`crate::Scope`]
/// (or, for rate-limit windows, a bucket key that names its tenant), so a
/// service holding only a `Store` cannot read across tenants.
pub trait Store:
    MerchantStore
    + ApiKeyStore
    + IdempotencyStore
    + EventStore
    + WebhookStore
    + GstStore
    + CustomerStore
    + PlanStore
    + OrderStore
    + ProviderAccountStore
    + SettlementStore
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
        + CustomerStore
        + PlanStore
        + OrderStore
        + ProviderAccountStore
        + SettlementStore
        + RateLimitStore
        + JobStore
        + StoreHealth
{
}

/// Everything, including what crosses tenants: finding the tenant (login,
/// authentication, a provider's id in a webhook), the workers' queues
/// (deliveries, jobs, due reconciliation checks, settlement syncs), upkeep,
/// instance settings and the operator's commands.
///
/// Architecture invariant: only the services that find tenants or work for
/// all of them hold a `SystemStore` (`AuthService`, `AdminService`, `ProviderWebhookService`,
/// `Reconciler`, the webhook and job workers, the settlement scheduler,
/// upkeep); every other service holds a [`Store`] and cannot reach these
/// methods. A `SystemStore` is a `Store` (`Arc<dyn SystemStore>` upcasts).
pub trait SystemStore:
    Store
    + AdminStore
    + MerchantSystemStore
    + ApiKeySystemStore
    + IdempotencySystemStore
    + WebhookSystemStore
    + OrderSystemStore
    + SettlementSystemStore
    + RateLimitSystemStore
    + JobSystemStore
    + SettingsStore
{
}

impl<T> SystemStore for T where
    T: Store
        + AdminStore
        + MerchantSystemStore
        + ApiKeySystemStore
        + IdempotencySystemStore
        + WebhookSystemStore
        + OrderSystemStore
        + SettlementSystemStore
        + RateLimitSystemStore
        + JobSystemStore
        + SettingsStore
{
}
