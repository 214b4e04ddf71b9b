//! Merchants: the tenants of Finvex, and their roles.

mod model;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use async_trait::async_trait;

pub use model::{Merchant, MerchantRecord, Role};

use crate::ids::MerchantId;
use crate::pagination::ListParams;
use crate::types::Email;
use crate::{Error, Scope};

/// The tenant's own merchant record.
#[async_trait]
pub trait MerchantStore: Send + Sync {
    async fn merchant(&self, scope: &Scope) -> Result<Option<Merchant>, Error>;
}

/// Finding and managing tenants: signup, login, authentication, the
/// operator's CLI and admin.
#[async_trait]
pub trait MerchantSystemStore: Send + Sync {
    /// Fails with `Conflict` on a duplicate email.
    async fn insert_merchant(&self, record: &MerchantRecord) -> Result<(), Error>;
    async fn merchant_by_id(&self, id: &MerchantId) -> Result<Option<Merchant>, Error>;
    /// For login: finds the tenant by email, with its password hash.
    async fn merchant_by_email(&self, email: &Email) -> Result<Option<MerchantRecord>, Error>;
    async fn count_merchants(&self) -> Result<i64, Error>;
    /// Every merchant, newest first (the admin's list).
    async fn list_merchants(&self, params: &ListParams) -> Result<Vec<Merchant>, Error>;
    async fn set_merchant_role(&self, id: &MerchantId, role: Role) -> Result<bool, Error>;
    /// Whether the installation's accounts serve this merchant in live mode.
    async fn set_installation_accounts_live(
        &self,
        id: &MerchantId,
        allowed: bool,
    ) -> Result<bool, Error>;
}
