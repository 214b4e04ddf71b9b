//! Builds merchants' own provider accounts into the real HTTP adapters.
//! The hosts are the installation's (never the merchant's: a merchant must
//! not point our server at an address of its choosing), and one HTTP client
//! per host is shared by every merchant's account there.

use std::sync::Arc;

use finvex_core::providers::accounts::{ProviderCredentials, ProviderFactory, Sandbox};
use finvex_core::providers::{Provider, ProviderError, ProviderName};
use finvex_core::Mode;

use crate::cashfree::{self, CashfreeConfig, CashfreeProvider};
use crate::http::{build_client, parse_base_url};
use crate::razorpay::{self, RazorpayConfig, RazorpayProvider};
use crate::sandbox::SandboxProvider;

/// Provider hosts for merchants' accounts.
#[derive(Debug, Clone)]
pub struct ProviderHosts {
    pub razorpay: String,
    pub cashfree_test: String,
    pub cashfree_live: String,
    pub timeout_ms: u64,
}

impl Default for ProviderHosts {
    fn default() -> Self {
        ProviderHosts {
            razorpay: razorpay::PRODUCTION_BASE_URL.into(),
            cashfree_test: cashfree::SANDBOX_BASE_URL.into(),
            cashfree_live: cashfree::PRODUCTION_BASE_URL.into(),
            timeout_ms: 15_000,
        }
    }
}

struct Host {
    base_url: String,
    client: reqwest::Client,
}

impl Host {
    fn new(provider: ProviderName, base_url: &str, timeout_ms: u64) -> Result<Host, ProviderError> {
        let base = parse_base_url(provider, base_url)?;
        Ok(Host {
            base_url: base_url.to_string(),
            client: build_client(provider, &base, timeout_ms)?,
        })
    }
}

pub struct HttpProviderFactory {
    razorpay: Host,
    cashfree_test: Host,
    cashfree_live: Host,
    timeout_ms: u64,
}

impl HttpProviderFactory {
    pub fn new(hosts: &ProviderHosts) -> Result<HttpProviderFactory, ProviderError> {
        Ok(HttpProviderFactory {
            razorpay: Host::new(ProviderName::Razorpay, &hosts.razorpay, hosts.timeout_ms)?,
            cashfree_test: Host::new(
                ProviderName::Cashfree,
                &hosts.cashfree_test,
                hosts.timeout_ms,
            )?,
            cashfree_live: Host::new(
                ProviderName::Cashfree,
                &hosts.cashfree_live,
                hosts.timeout_ms,
            )?,
            timeout_ms: hosts.timeout_ms,
        })
    }
}

impl ProviderFactory for HttpProviderFactory {
    fn build(
        &self,
        mode: Mode,
        credentials: &ProviderCredentials,
    ) -> Result<Arc<dyn Provider>, ProviderError> {
        Ok(match credentials {
            ProviderCredentials::Razorpay {
                key_id,
                key_secret,
                webhook_secret,
            } => Arc::new(RazorpayProvider::with_client(
                RazorpayConfig {
                    base_url: self.razorpay.base_url.clone(),
                    key_id: key_id.clone(),
                    key_secret: key_secret.clone(),
                    webhook_secret: webhook_secret.clone(),
                    timeout_ms: self.timeout_ms,
                },
                self.razorpay.client.clone(),
            )?),
            ProviderCredentials::Cashfree {
                client_id,
                client_secret,
            } => {
                let host = match mode {
                    Mode::Test => &self.cashfree_test,
                    Mode::Live => &self.cashfree_live,
                };
                Arc::new(CashfreeProvider::with_client(
                    CashfreeConfig {
                        base_url: host.base_url.clone(),
                        client_id: client_id.clone(),
                        client_secret: client_secret.clone(),
                        api_version: cashfree::API_VERSION.to_string(),
                        timeout_ms: self.timeout_ms,
                    },
                    host.client.clone(),
                )?)
            }
        })
    }

    fn sandbox(&self, key_secret: &str) -> Sandbox {
        let sandbox = Arc::new(SandboxProvider::new(key_secret));
        Sandbox {
            provider: sandbox.clone(),
            checkout: sandbox,
        }
    }
}
