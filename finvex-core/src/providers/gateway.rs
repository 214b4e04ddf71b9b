//! Which provider accounts serve a merchant: its own accounts (credentials
//! sealed at rest, connected through the API), else the installation's
//! accounts, plus in test mode the offline sandbox signing with the
//! merchant's own sandbox secret. Resolved per merchant and mode and cached
//! briefly; a change on this instance is seen at once, on others within the
//! cache's lifetime.

use std::sync::Arc;

use serde::Serialize;

use std::collections::HashMap;
use std::sync::Mutex;

use crate::auth::Principal;
use crate::cache::TtlCache;
use crate::clock::Clock;
use crate::crypto::SecretBox;
use crate::pagination::Collection;
use crate::providers::accounts::{
    sandbox_secret, AccountView, CredentialsInput, Envelope, ProviderCredentials, ProviderFactory,
    StoredAccount,
};
use crate::providers::health::{BreakerSettings, CircuitBreaker};
use crate::providers::sandbox::SandboxCheckout;
use crate::providers::{Provider, ProviderErrorKind, ProviderName};
use crate::store::Store;
use crate::{Error, Mode, Scope};

/// How long a merchant's resolved accounts are reused.
pub(crate) const RESOLVED_TTL_MS: i64 = 5_000;
pub(crate) const RESOLVED_MAX_ENTRIES: usize = 10_000;
/// The window of the settlement listing that checks new credentials.
const VERIFY_WINDOW_SECS: i64 = 86_400;

/// Merchants' own accounts: how to build them and how to open their secrets.
struct MerchantAccounts {
    factory: Arc<dyn ProviderFactory>,
    sealer: SecretBox,
    sandbox_key: String,
}

/// The installation's providers per mode, in the default routing order, and
/// (for servers) the means to serve merchants' own accounts.
#[derive(Default)]
pub struct ProviderRegistry {
    providers: Vec<(Mode, Arc<dyn Provider>)>,
    sandbox: Option<Arc<dyn SandboxCheckout>>,
    merchant_accounts: Option<MerchantAccounts>,
}

impl ProviderRegistry {
    pub fn new() -> Self {
        ProviderRegistry::default()
    }

    /// An account of the installation, serving every merchant in `mode`
    /// that has not connected its own account at that provider.
    pub fn add(mut self, mode: Mode, provider: Arc<dyn Provider>) -> Self {
        self.providers.push((mode, provider));
        self
    }

    /// One offline sandbox for every merchant (embedding apps), test mode only.
    pub fn with_sandbox<S: Provider + SandboxCheckout + 'static>(
        mut self,
        sandbox: Arc<S>,
    ) -> Self {
        self.sandbox = Some(sandbox.clone());
        self.providers.push((Mode::Test, sandbox));
        self
    }

    /// Merchants may connect their own accounts (sealed with `sealer`), and
    /// each gets its own sandbox secret derived from `sandbox_key`.
    pub fn with_merchant_accounts(
        mut self,
        factory: Arc<dyn ProviderFactory>,
        sealer: SecretBox,
        sandbox_key: String,
    ) -> Self {
        self.merchant_accounts = Some(MerchantAccounts {
            factory,
            sealer,
            sandbox_key,
        });
        self
    }

    /// The installation's accounts at one provider (instance-wide webhooks).
    pub(crate) fn named(&self, name: ProviderName) -> Vec<Arc<dyn Provider>> {
        self.providers
            .iter()
            .filter(|(_, p)| p.name() == name)
            .map(|(_, p)| p.clone())
            .collect()
    }
}

/// The accounts serving one merchant in one mode.
pub(crate) struct Resolved {
    /// In the default routing order: the merchant's own first.
    pub providers: Vec<Arc<dyn Provider>>,
    /// The providers at which these are the merchant's own accounts (not the installation's).
    pub own: Vec<ProviderName>,
    pub sandbox: Option<Arc<dyn SandboxCheckout>>,
}

impl Resolved {
    pub fn get(&self, mode: Mode, name: ProviderName) -> Result<Arc<dyn Provider>, Error> {
        self.providers
            .iter()
            .find(|p| p.name() == name)
            .cloned()
            .ok_or_else(|| {
                Error::business(
                    Some("provider"),
                    format!("{} is not configured for {mode} mode", name.as_str()),
                )
            })
    }
}

pub(crate) type ResolvedCache = TtlCache<Scope, Arc<Resolved>>;

/// `GET /v1/sandbox/credentials`: what a test-mode integration verifies
/// sandbox checkout signatures with.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SandboxCredentials {
    pub entity: &'static str,
    pub key_id: String,
    /// `signature = hex(HMAC-SHA256(provider_order_id + "|" + payment_id, key_secret))`.
    pub key_secret: String,
}

/// The one way to reach providers: which accounts serve a tenant (resolved
/// and cached), their circuit breakers, and merchants' own accounts. The
/// services over it (orders, refunds, settlements, provider webhooks) never
/// hold a provider themselves.
pub struct ProviderGateway {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    registry: ProviderRegistry,
    resolved: ResolvedCache,
    breakers: Mutex<HashMap<(Mode, ProviderName), CircuitBreaker>>,
    breaker_settings: BreakerSettings,
}

impl ProviderGateway {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, registry: ProviderRegistry) -> Self {
        ProviderGateway {
            store,
            clock,
            registry,
            resolved: ResolvedCache::new(RESOLVED_TTL_MS, RESOLVED_MAX_ENTRIES),
            breakers: Mutex::new(HashMap::new()),
            breaker_settings: BreakerSettings::default(),
        }
    }

    /// Runs `work` on the breaker of one provider in one mode.
    pub(crate) fn with_breaker<T>(
        &self,
        mode: Mode,
        name: ProviderName,
        work: impl FnOnce(&mut CircuitBreaker) -> T,
    ) -> T {
        let mut breakers = self
            .breakers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(
            breakers
                .entry((mode, name))
                .or_insert_with(|| CircuitBreaker::new(self.breaker_settings)),
        )
    }

    /// The installation's accounts at one provider (instance-wide webhooks).
    pub(crate) fn named(&self, name: ProviderName) -> Vec<Arc<dyn Provider>> {
        self.registry.named(name)
    }

    fn accounts_config(&self) -> Result<&MerchantAccounts, Error> {
        self.registry.merchant_accounts.as_ref().ok_or_else(|| {
            Error::business(
                None,
                "this installation does not take merchants' own provider accounts",
            )
        })
    }

    fn open(&self, scope: &Scope, account: &StoredAccount) -> Result<ProviderCredentials, Error> {
        let config = self.accounts_config()?;
        let envelope: Envelope = serde_json::from_str(&config.sealer.open(&account.sealed)?)
            .map_err(|e| Error::Internal(format!("sealed provider credentials: {e}")))?;
        if envelope.merchant_id != scope.merchant_id.as_str()
            || envelope.mode != scope.mode
            || envelope.credentials.provider() != account.provider
        {
            return Err(Error::Internal(format!(
                "the sealed {} credentials belong to another merchant or mode",
                account.provider.as_str()
            )));
        }
        Ok(envelope.credentials)
    }

    /// The accounts serving this merchant and mode.
    pub(crate) async fn resolve(&self, scope: &Scope) -> Result<Arc<Resolved>, Error> {
        let now = self.clock.now();
        if let Some(hit) = self.resolved.get(scope, now) {
            return Ok(hit);
        }
        let mut providers: Vec<Arc<dyn Provider>> = Vec::new();
        let mut own = Vec::new();
        let mut sandbox = None;
        if let Some(config) = &self.registry.merchant_accounts {
            for account in self.store.provider_accounts(scope).await? {
                let credentials = self.open(scope, &account)?;
                let adapter = config
                    .factory
                    .build(scope.mode, &credentials)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                own.push(adapter.name());
                providers.push(adapter);
            }
            if scope.mode == Mode::Test {
                let own = config
                    .factory
                    .sandbox(&sandbox_secret(&config.sandbox_key, scope));
                providers.push(own.provider);
                sandbox = Some(own.checkout);
            }
        }
        // Live money through the installation's own accounts is for the
        // merchants the operator allowed; others bring their own accounts.
        let installation_serves = scope.mode == Mode::Test
            || self
                .store
                .merchant(scope)
                .await?
                .is_some_and(|m| m.installation_accounts_live);
        for (mode, provider) in &self.registry.providers {
            let taken = providers.iter().any(|p| p.name() == provider.name());
            if *mode == scope.mode && !taken && installation_serves {
                providers.push(provider.clone());
            }
        }
        if sandbox.is_none() && scope.mode == Mode::Test {
            sandbox = self.registry.sandbox.clone();
        }
        let resolved = Arc::new(Resolved {
            providers,
            own,
            sandbox,
        });
        self.resolved.insert(scope.clone(), resolved.clone(), now);
        Ok(resolved)
    }

    /// Whether this tenant's accounts are resolved and cached right now.
    pub(crate) fn accounts_cached(&self, scope: &Scope) -> bool {
        self.resolved.get(scope, self.clock.now()).is_some()
    }

    /// Tenants whose resolved accounts are cached (for metrics and tests).
    pub fn cached_account_sets(&self) -> usize {
        self.resolved.len()
    }

    /// Whether the tenant has connected its own account at `name`.
    pub(crate) async fn has_own_account(
        &self,
        scope: &Scope,
        name: ProviderName,
    ) -> Result<bool, Error> {
        Ok(self
            .store
            .provider_accounts(scope)
            .await?
            .iter()
            .any(|a| a.provider == name))
    }

    pub(crate) async fn provider(
        &self,
        scope: &Scope,
        name: ProviderName,
    ) -> Result<Arc<dyn Provider>, Error> {
        self.resolve(scope).await?.get(scope.mode, name)
    }

    /// Connects (or replaces) the merchant's own account at `provider` for
    /// this mode. The credentials are checked with one authenticated call
    /// unless `verify` is false, then sealed; they are never shown again.
    ///
    /// A dashboard session only: a leaked API key must not be able to point
    /// the merchant's money at another account.
    pub async fn set_provider_account(
        &self,
        principal: &Principal,
        provider: ProviderName,
        input: &CredentialsInput,
    ) -> Result<AccountView, Error> {
        principal.require_session()?;
        let scope = &principal.scope();
        let config = self.accounts_config()?;
        let credentials = ProviderCredentials::parse(provider, scope.mode, input)?;
        if input.verify != Some(false) {
            let adapter = config
                .factory
                .build(scope.mode, &credentials)
                .map_err(|e| Error::Internal(e.to_string()))?;
            let now = self.clock.now().unix_secs();
            // Listing a day of settlements is the cheapest authenticated call
            // both providers answer.
            let settlements = adapter.require_settlements()?;
            if let Err(e) = settlements
                .list_settlements(now - VERIFY_WINDOW_SECS, now)
                .await
            {
                return Err(match e.kind {
                    ProviderErrorKind::Authentication => Error::business(
                        None,
                        format!("{} rejected these credentials", provider.as_str()),
                    ),
                    _ => Error::Unavailable(format!(
                        "could not check the credentials with {} ({}); retry, or pass \"verify\": false",
                        provider.as_str(),
                        e.message
                    )),
                });
            }
        }
        let envelope = Envelope {
            merchant_id: scope.merchant_id.to_string(),
            mode: scope.mode,
            credentials: credentials.clone(),
        };
        let plaintext = serde_json::to_string(&envelope)
            .map_err(|e| Error::Internal(format!("credentials JSON: {e}")))?;
        let now = self.clock.now().unix_secs();
        let account = StoredAccount {
            provider,
            public_id: credentials.public_id().to_string(),
            sealed: config.sealer.seal(&plaintext)?,
            created_at: now,
            updated_at: now,
        };
        let stored = self.store.put_provider_account(scope, &account).await?;
        self.resolved.remove(scope);
        Ok(AccountView::new(scope, &stored))
    }

    pub async fn provider_accounts(&self, scope: &Scope) -> Result<Collection<AccountView>, Error> {
        Ok(Collection::new(
            self.store
                .provider_accounts(scope)
                .await?
                .iter()
                .map(|a| AccountView::new(scope, a))
                .collect(),
        ))
    }

    /// Disconnects the merchant's own account; the installation's (if any)
    /// serves again. A dashboard session only, like connecting one.
    pub async fn delete_provider_account(
        &self,
        principal: &Principal,
        provider: ProviderName,
    ) -> Result<(), Error> {
        principal.require_session()?;
        let scope = &principal.scope();
        if !self.store.delete_provider_account(scope, provider).await? {
            return Err(Error::not_found("provider_account", provider.as_str()));
        }
        self.resolved.remove(scope);
        Ok(())
    }

    /// The merchant's sandbox key, test mode only.
    pub fn sandbox_credentials(&self, scope: &Scope) -> Result<SandboxCredentials, Error> {
        if scope.mode != Mode::Test {
            return Err(Error::Forbidden(
                "the sandbox exists in test mode only".into(),
            ));
        }
        let config = self.accounts_config()?;
        Ok(SandboxCredentials {
            entity: "sandbox_credentials",
            key_id: format!("sbx_test_{}", scope.merchant_id),
            key_secret: sandbox_secret(&config.sandbox_key, scope),
        })
    }
}
