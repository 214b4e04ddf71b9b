//! A merchant's own accounts at the payment providers: their credentials
//! (sealed at rest, never shown again), the factory that turns them into
//! adapters, and each merchant's own sandbox secret.

use std::sync::Arc;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::sandbox::SandboxCheckout;
use super::{Provider, ProviderError, ProviderName};
use crate::{Error, Mode, Scope};

const MAX_CREDENTIAL_CHARS: usize = 256;

/// What the merchant sends to connect an account (`PUT /v1/providers/:provider/credentials`).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialsInput {
    /// Razorpay `key_id` (`rzp_test_…` / `rzp_live_…`).
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    pub key_secret: Option<String>,
    /// Razorpay's webhook secret (set in its dashboard).
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// Cashfree `x-client-id`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Cashfree `x-client-secret` (also signs its webhooks).
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Check the credentials with one authenticated call first (default true).
    #[serde(default)]
    pub verify: Option<bool>,
}

/// A merchant's credentials at one provider.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase")]
pub enum ProviderCredentials {
    Razorpay {
        key_id: String,
        key_secret: String,
        webhook_secret: String,
    },
    Cashfree {
        client_id: String,
        client_secret: String,
    },
}

impl std::fmt::Debug for ProviderCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}({})", self.provider().as_str(), self.public_id())
    }
}

fn required(field: &'static str, value: &Option<String>) -> Result<String, Error> {
    let value = value.as_deref().map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Err(Error::validation(field, format!("{field} is required")));
    }
    if value.chars().count() > MAX_CREDENTIAL_CHARS || value.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            format!("{field} must be at most {MAX_CREDENTIAL_CHARS} printable characters"),
        ));
    }
    Ok(value.to_string())
}

fn absent(
    field: &'static str,
    value: &Option<String>,
    provider: ProviderName,
) -> Result<(), Error> {
    match value {
        Some(_) => Err(Error::validation(
            field,
            format!("{field} is not a {} credential", provider.as_str()),
        )),
        None => Ok(()),
    }
}

impl ProviderCredentials {
    /// Checks the fields the provider needs; a Razorpay key must belong to
    /// the caller's mode, so test keys never move real money.
    pub fn parse(
        provider: ProviderName,
        mode: Mode,
        input: &CredentialsInput,
    ) -> Result<Self, Error> {
        match provider {
            ProviderName::Razorpay => {
                absent("client_id", &input.client_id, provider)?;
                absent("client_secret", &input.client_secret, provider)?;
                let key_id = required("key_id", &input.key_id)?;
                let expected = match mode {
                    Mode::Test => "rzp_test_",
                    Mode::Live => "rzp_live_",
                };
                if !key_id.starts_with(expected) {
                    return Err(Error::validation(
                        "key_id",
                        format!("a {mode}-mode Razorpay key_id starts with {expected}"),
                    ));
                }
                Ok(ProviderCredentials::Razorpay {
                    key_id,
                    key_secret: required("key_secret", &input.key_secret)?,
                    webhook_secret: required("webhook_secret", &input.webhook_secret)?,
                })
            }
            ProviderName::Cashfree => {
                absent("key_id", &input.key_id, provider)?;
                absent("key_secret", &input.key_secret, provider)?;
                absent("webhook_secret", &input.webhook_secret, provider)?;
                Ok(ProviderCredentials::Cashfree {
                    client_id: required("client_id", &input.client_id)?,
                    client_secret: required("client_secret", &input.client_secret)?,
                })
            }
            ProviderName::Sandbox => Err(Error::validation(
                "provider",
                "the sandbox needs no credentials; its secret is at GET /v1/sandbox/credentials",
            )),
        }
    }

    pub fn provider(&self) -> ProviderName {
        match self {
            ProviderCredentials::Razorpay { .. } => ProviderName::Razorpay,
            ProviderCredentials::Cashfree { .. } => ProviderName::Cashfree,
        }
    }

    /// The identifier that may be shown (Razorpay key id, Cashfree client id).
    pub fn public_id(&self) -> &str {
        match self {
            ProviderCredentials::Razorpay { key_id, .. } => key_id,
            ProviderCredentials::Cashfree { client_id, .. } => client_id,
        }
    }
}

/// The sealed envelope: it names its owner, so a sealed value copied to
/// another merchant's row does not open there.
#[derive(Serialize, Deserialize)]
pub(crate) struct Envelope {
    pub merchant_id: String,
    pub mode: Mode,
    pub credentials: ProviderCredentials,
}

/// A stored account, secrets still sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    pub provider: ProviderName,
    pub public_id: String,
    pub sealed: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What the API shows of an account: never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AccountView {
    pub entity: &'static str,
    pub provider: ProviderName,
    pub mode: Mode,
    /// Razorpay key id or Cashfree client id.
    pub public_id: String,
    /// Where this provider must send this merchant's webhooks (path on this server).
    pub webhook_path: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl AccountView {
    pub fn new(scope: &Scope, account: &StoredAccount) -> Self {
        AccountView {
            entity: "provider_account",
            provider: account.provider,
            mode: scope.mode,
            public_id: account.public_id.clone(),
            webhook_path: format!(
                "/v1/providers/{}/webhook/{}/{}",
                account.provider.as_str(),
                scope.merchant_id,
                scope.mode
            ),
            created_at: account.created_at,
            updated_at: account.updated_at,
        }
    }
}

/// A merchant's own sandbox: the adapter and its checkout, one value.
pub struct Sandbox {
    pub provider: Arc<dyn Provider>,
    pub checkout: Arc<dyn SandboxCheckout>,
}

/// Builds adapters from a merchant's credentials; `finvex-providers`
/// implements it with the real HTTP adapters.
pub trait ProviderFactory: Send + Sync {
    fn build(
        &self,
        mode: Mode,
        credentials: &ProviderCredentials,
    ) -> Result<Arc<dyn Provider>, ProviderError>;
    /// The offline sandbox, signing with `key_secret`.
    fn sandbox(&self, key_secret: &str) -> Sandbox;
}

/// Each merchant's sandbox secret, derived from the installation's sandbox
/// key: a merchant can verify its own checkout signatures with it (as with
/// Razorpay's key secret) and can forge no other merchant's.
pub fn sandbox_secret(installation_key: &str, scope: &Scope) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(installation_key.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(format!("sandbox:{}:{}", scope.merchant_id, scope.mode).as_bytes());
    format!("sbx_sk_{}", hex::encode(mac.finalize().into_bytes()))
}

#[async_trait]
pub trait ProviderAccountStore: Send + Sync {
    async fn provider_accounts(&self, scope: &Scope) -> Result<Vec<StoredAccount>, Error>;
    /// Inserts or replaces the merchant's account at `account.provider`;
    /// returns what is stored (a replaced account keeps its `created_at`).
    async fn put_provider_account(
        &self,
        scope: &Scope,
        account: &StoredAccount,
    ) -> Result<StoredAccount, Error>;
    /// `false` when there was none.
    async fn delete_provider_account(
        &self,
        scope: &Scope,
        provider: ProviderName,
    ) -> Result<bool, Error>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MerchantId;

    fn input(pairs: &[(&str, &str)]) -> CredentialsInput {
        let map: serde_json::Map<String, serde_json::Value> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        serde_json::from_value(serde_json::Value::Object(map)).unwrap()
    }

    #[test]
    fn credentials_are_checked_per_provider_and_mode() {
        let rzp = input(&[
            ("key_id", "rzp_test_abc"),
            ("key_secret", "s3cret"),
            ("webhook_secret", "hook"),
        ]);
        let parsed = ProviderCredentials::parse(ProviderName::Razorpay, Mode::Test, &rzp).unwrap();
        assert_eq!(parsed.public_id(), "rzp_test_abc");
        assert!(
            !format!("{parsed:?}").contains("s3cret"),
            "Debug never shows secrets"
        );
        let err = ProviderCredentials::parse(ProviderName::Razorpay, Mode::Live, &rzp).unwrap_err();
        assert_eq!(err.field(), Some("key_id"));
        let err = ProviderCredentials::parse(ProviderName::Cashfree, Mode::Test, &rzp).unwrap_err();
        assert_eq!(err.field(), Some("key_id"));
        let cf = input(&[("client_id", "CF123"), ("client_secret", " ")]);
        let err = ProviderCredentials::parse(ProviderName::Cashfree, Mode::Test, &cf).unwrap_err();
        assert_eq!(err.field(), Some("client_secret"));
    }

    #[test]
    fn sandbox_secrets_differ_per_merchant_and_mode() {
        let a = Scope::new(MerchantId::generate(), Mode::Test);
        let b = Scope::new(MerchantId::generate(), Mode::Test);
        let key = "installation";
        assert_eq!(sandbox_secret(key, &a), sandbox_secret(key, &a));
        assert_ne!(sandbox_secret(key, &a), sandbox_secret(key, &b));
        assert_ne!(
            sandbox_secret(key, &a),
            sandbox_secret(key, &Scope::new(a.merchant_id.clone(), Mode::Live))
        );
    }
}
