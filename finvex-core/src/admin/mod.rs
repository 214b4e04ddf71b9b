//! The installation's admins: operators who verify merchants and look after
//! the installation. Admins are not tenants and not merchants: their own
//! table, their own login (`POST /v1/admin/login`), sessions signed with a
//! key of their own and an `admin` audience. The first admin is created on
//! the server's machine (`finvex-server admin create --email …`), never
//! through an HTTP signup.

mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use async_trait::async_trait;
use serde::Serialize;

pub use service::{AdminPrincipal, AdminService};

use crate::ids::AdminId;
use crate::types::Email;
use crate::Error;

/// An admin as the API shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Admin {
    pub id: AdminId,
    pub entity: &'static str,
    pub email: Email,
    /// Unix seconds.
    pub created_at: i64,
}

/// An admin with its Argon2id password hash, for login.
#[derive(Debug, Clone)]
pub struct AdminRecord {
    pub admin: Admin,
    pub password_hash: String,
}

/// Admins are installation-wide, so their store is a system store.
#[async_trait]
pub trait AdminStore: Send + Sync {
    /// Fails with `Conflict` on a duplicate email.
    async fn insert_admin(&self, record: &AdminRecord) -> Result<(), Error>;
    async fn admin_by_email(&self, email: &Email) -> Result<Option<AdminRecord>, Error>;
    async fn admin_by_id(&self, id: &AdminId) -> Result<Option<Admin>, Error>;
}
