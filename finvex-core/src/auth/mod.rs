//! Authentication: merchants sign up and log in (Argon2id + JWT) and create
//! API keys (SHA-256 verified, shown once).

pub mod api_key;
pub mod jwt;
pub mod password;
mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use service::{
    AuthMethod, AuthService, CreatedApiKey, DemoMerchant, PortalPrincipal, PortalSession,
    Principal, Session, SignedUp, MAX_ACTIVE_KEYS_PER_MODE, PORTAL_SESSION_TTL_SECS,
};

use crate::events::NewEvent;
use crate::ids::{ApiKeyId, MerchantId};
use crate::merchants::Role;
use crate::pagination::ListParams;
use crate::{Error, Mode, Scope};

/// An API key as the API lists it: never the secret, only its last four characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub entity: String,
    pub mode: Mode,
    pub name: String,
    pub secret_last4: String,
    /// Unix seconds.
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// What authentication needs to know about a key, found by its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyAuthRecord {
    pub key_id: ApiKeyId,
    pub merchant_id: MerchantId,
    pub mode: Mode,
    pub secret_sha256: String,
    pub revoked: bool,
    pub role: Role,
}

#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Inserts the key unless the tenant already has `max_active`
    /// unrevoked keys (then `false`, nothing written).
    async fn insert_api_key(
        &self,
        scope: &Scope,
        key: &ApiKey,
        secret_sha256: &str,
        events: &[NewEvent],
        max_active: u32,
    ) -> Result<bool, Error>;
    async fn list_api_keys(&self, scope: &Scope, params: &ListParams)
        -> Result<Vec<ApiKey>, Error>;
    /// Marks the key revoked; `false` when it does not exist in this scope or was revoked already.
    async fn revoke_api_key(
        &self,
        scope: &Scope,
        key_id: &ApiKeyId,
        now_secs: i64,
        events: &[NewEvent],
    ) -> Result<bool, Error>;
    async fn api_key_by_id(
        &self,
        scope: &Scope,
        key_id: &ApiKeyId,
    ) -> Result<Option<ApiKey>, Error>;
}

/// Authentication: the key id is what names the tenant.
#[async_trait]
pub trait ApiKeySystemStore: Send + Sync {
    /// The one cross-tenant key read: the key id is what names the tenant.
    async fn api_key_for_auth(&self, key_id: &ApiKeyId) -> Result<Option<ApiKeyAuthRecord>, Error>;
}
