//! Configuration: defaults, then an optional TOML file, then environment
//! variables, then command-line flags (each overrides the one before).
//! Every option is documented in docs/CONFIGURATION.md.

use std::net::SocketAddr;
use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// `sqlite://PATH` (default `sqlite://finvex.db`) or `postgres://…`.
    pub database_url: String,
    /// HS256 secret for dashboard sessions (>= 32 bytes). When unset, one is
    /// generated once and kept in the database, shared by every instance.
    pub jwt_secret: Option<String>,
    pub body_limit_bytes: usize,
    pub request_timeout_ms: u64,
    /// Per API key (or dashboard merchant).
    pub rate_limit_per_minute: u32,
    /// Per client IP, on unauthenticated endpoints (signup, login).
    pub public_rate_limit_per_minute: u32,
    /// Failed authentications per client IP and minute before that address
    /// is refused outright (429) for the rest of the minute.
    pub auth_failures_per_minute: u32,
    /// Where rate-limit windows live: `local` (this instance), `database`
    /// (shared by every instance on one database), or `auto`: `database` on
    /// Postgres, `local` on SQLite.
    pub rate_limit_store: String,
    /// Load balancers / reverse proxies (addresses or CIDR blocks) whose
    /// `X-Forwarded-For` is believed for per-IP limits. Empty: the header
    /// is ignored and the TCP peer is the client.
    pub trusted_proxies: Vec<String>,
    /// Create a demo merchant and print a test key when the database is empty.
    pub demo_on_empty: bool,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// 64 hex characters sealing secrets at rest (webhook secrets, provider
    /// credentials). When unset, read from (or created in) `master_key_file`.
    pub master_key: Option<String>,
    pub master_key_file: String,
    /// Allow webhooks to private/loopback addresses (development, tests).
    pub webhook_allow_private: bool,
    pub webhook_retry_base_ms: i64,
    pub webhook_timeout_ms: u64,
    /// Run the delivery worker in this instance.
    pub webhook_worker: bool,
    pub webhook_concurrency: usize,
    pub webhook_batch: u32,
    pub webhook_poll_ms: u64,
    /// How long a claimed delivery stays reserved for its worker; after a
    /// crash, another worker takes it over when this runs out.
    pub webhook_lease_ms: i64,
    /// How often the reconciler asks providers about unpaid orders and
    /// pending refunds (0: never, in this instance).
    pub reconcile_interval_ms: u64,
    /// Orders and refunds younger than this are left alone (checkout or request in flight).
    pub reconcile_min_age_secs: i64,
    /// How often this instance looks for due jobs (reconciliation rounds,
    /// settlement syncs, …) when it found none.
    pub job_poll_ms: u64,
    /// How long a claimed job is reserved for its worker; after a crash,
    /// another instance takes it over when this runs out. Must outlast the
    /// longest job (a reconciliation round asks providers up to 2,000 times).
    pub job_lease_ms: i64,
    /// Run the job worker in this instance.
    pub job_worker: bool,
    /// How often merchants' own provider accounts' settlements of the last
    /// 7 days are synced (0: never, in this instance).
    pub settlement_sync_interval_ms: u64,
    /// Provider hosts for merchants' own accounts (connected through the API).
    pub razorpay_api_url: String,
    pub cashfree_test_api_url: String,
    pub cashfree_live_api_url: String,
    pub provider_timeout_ms: u64,
    /// Razorpay account used by this instance (all merchants), if any.
    pub razorpay: Option<RazorpaySettings>,
    /// Cashfree PG account used by this instance (all merchants), if any.
    pub cashfree: Option<CashfreeSettings>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RazorpaySettings {
    /// `test` or `live`: which mode's orders may use this account.
    pub mode: String,
    pub base_url: String,
    pub key_id: String,
    pub key_secret: String,
    pub webhook_secret: String,
    #[serde(default = "default_provider_timeout_ms")]
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CashfreeSettings {
    pub mode: String,
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    #[serde(default = "default_provider_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_provider_timeout_ms() -> u64 {
    15_000
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://finvex.db".into(),
            jwt_secret: None,
            body_limit_bytes: 1024 * 1024,
            request_timeout_ms: 30_000,
            rate_limit_per_minute: 300,
            public_rate_limit_per_minute: 60,
            auth_failures_per_minute: 20,
            rate_limit_store: "auto".into(),
            trusted_proxies: Vec::new(),
            demo_on_empty: true,
            log_format: "text".into(),
            master_key: None,
            master_key_file: "finvex-master.key".into(),
            webhook_allow_private: false,
            webhook_retry_base_ms: finvex_core::webhooks::schedule::DEFAULT_RETRY_BASE_MS,
            webhook_timeout_ms: 10_000,
            webhook_worker: true,
            webhook_concurrency: 16,
            webhook_batch: 64,
            webhook_poll_ms: 500,
            webhook_lease_ms: 90_000,
            job_poll_ms: 500,
            job_lease_ms: 600_000,
            job_worker: true,
            reconcile_interval_ms: 30_000,
            reconcile_min_age_secs: 120,
            settlement_sync_interval_ms: 3_600_000,
            razorpay_api_url: finvex_providers::razorpay::PRODUCTION_BASE_URL.into(),
            cashfree_test_api_url: finvex_providers::cashfree::SANDBOX_BASE_URL.into(),
            cashfree_live_api_url: finvex_providers::cashfree::PRODUCTION_BASE_URL.into(),
            provider_timeout_ms: 15_000,
            razorpay: None,
            cashfree: None,
        }
    }
}

impl Config {
    /// Loads the file (when given), then applies `FINVEX_*` environment variables.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        config.validate()?;
        Ok(config)
    }

    /// Environment variables over the current values: every top-level
    /// setting `name` is `FINVEX_NAME` (upper case), parsed by the type the
    /// setting has, so a new setting needs no code here. The installation's
    /// provider accounts come from the providers' own variable names.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        let mut layered = serde_json::to_value(&*self).map_err(|e| e.to_string())?;
        let settings = layered
            .as_object_mut()
            .ok_or("the configuration is not a table")?;
        let mut given = Vec::new();
        for (key, current) in settings.iter_mut() {
            if matches!(key.as_str(), "razorpay" | "cashfree") {
                continue;
            }
            let name = format!("FINVEX_{}", key.to_uppercase());
            if let Some(raw) = var(&name) {
                *current = env_value(current, &raw)
                    .ok_or_else(|| format!("{name}={raw:?} is not valid"))?;
                given.push((key.clone(), name, raw));
            }
        }
        *self = serde_path_to_error::deserialize(layered).map_err(|e| {
            let field = e.path().to_string();
            let top = field.split(['.', '[']).next().unwrap_or("");
            match given.iter().find(|(key, _, _)| key == top) {
                Some((_, name, raw)) => format!("{name}={raw:?} is not valid: {}", e.inner()),
                None => e.to_string(),
            }
        })?;
        self.apply_provider_env(&var);
        Ok(())
    }

    fn apply_provider_env(&mut self, var: &impl Fn(&str) -> Option<String>) {
        if let (Some(key_id), Some(key_secret)) = (
            var("FINVEX_RAZORPAY_KEY_ID"),
            var("FINVEX_RAZORPAY_KEY_SECRET"),
        ) {
            self.razorpay = Some(RazorpaySettings {
                mode: if key_id.starts_with("rzp_live_") {
                    "live".into()
                } else {
                    "test".into()
                },
                base_url: var("FINVEX_RAZORPAY_BASE_URL")
                    .unwrap_or_else(|| "https://api.razorpay.com".into()),
                key_id,
                key_secret,
                webhook_secret: var("FINVEX_RAZORPAY_WEBHOOK_SECRET").unwrap_or_default(),
                timeout_ms: default_provider_timeout_ms(),
            });
        }
        if let (Some(client_id), Some(client_secret)) = (
            var("FINVEX_CASHFREE_CLIENT_ID"),
            var("FINVEX_CASHFREE_CLIENT_SECRET"),
        ) {
            let base_url = var("FINVEX_CASHFREE_BASE_URL")
                .unwrap_or_else(|| "https://sandbox.cashfree.com/pg".into());
            self.cashfree = Some(CashfreeSettings {
                mode: var("FINVEX_CASHFREE_MODE").unwrap_or_else(|| {
                    if base_url.contains("sandbox") {
                        "test".into()
                    } else {
                        "live".into()
                    }
                }),
                base_url,
                client_id,
                client_secret,
                timeout_ms: default_provider_timeout_ms(),
            });
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        self.validate_http()?;
        self.validate_webhooks()?;
        self.validate_workers()?;
        self.validate_timeouts()?;
        self.validate_names()
    }

    /// Limits, proxies, bodies and request timeouts.
    fn validate_http(&self) -> Result<(), String> {
        if self.rate_limit_per_minute == 0
            || self.public_rate_limit_per_minute == 0
            || self.auth_failures_per_minute == 0
        {
            return Err("rate limits must be at least 1 per minute".into());
        }
        if !matches!(
            self.rate_limit_store.as_str(),
            "auto" | "local" | "database"
        ) {
            return Err("rate_limit_store must be auto, local or database".into());
        }
        self.trusted_proxy_blocks()?;
        if !(1024..=64 * 1024 * 1024).contains(&self.body_limit_bytes) {
            return Err("body_limit_bytes must be between 1 KiB and 64 MiB".into());
        }
        if !(100..=600_000).contains(&self.request_timeout_ms) {
            return Err("request_timeout_ms must be between 100 and 600000".into());
        }
        if self.jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
            return Err("FINVEX_JWT_SECRET must have at least 32 bytes".into());
        }
        Ok(())
    }

    /// Webhook delivery: backoff, batch, concurrency and a lease that
    /// outlasts a batch.
    fn validate_webhooks(&self) -> Result<(), String> {
        if !(10..=86_400_000).contains(&self.webhook_retry_base_ms) {
            return Err("webhook_retry_base_ms must be between 10 and 86400000".into());
        }
        // A worker runs two rounds at once, sharing `concurrency` sends, so
        // the last delivery of a batch may start after (2 x batch /
        // concurrency - 1) timeouts and take a timeout more: the lease must
        // outlast that, or another instance takes deliveries over while they
        // are still being sent.
        let rounds =
            (2 * u64::from(self.webhook_batch)).div_ceil(self.webhook_concurrency.max(1) as u64);
        let batch_ms = rounds.saturating_mul(self.webhook_timeout_ms) + 1_000;
        if u64::try_from(self.webhook_lease_ms).unwrap_or(0) < batch_ms {
            return Err(format!(
                "webhook_lease_ms ({}) must be at least ceil(2 x webhook_batch / webhook_concurrency) x webhook_timeout_ms + 1000 = {batch_ms}",
                self.webhook_lease_ms
            ));
        }
        if !(10..=60_000).contains(&self.webhook_poll_ms) {
            return Err("webhook_poll_ms must be between 10 and 60000".into());
        }
        if !(100..=60_000).contains(&self.webhook_timeout_ms) {
            return Err("webhook_timeout_ms must be between 100 and 60000".into());
        }
        if !(1..=256).contains(&self.webhook_concurrency)
            || !(1..=1_000).contains(&self.webhook_batch)
        {
            return Err("webhook_concurrency must be 1-256 and webhook_batch 1-1000".into());
        }
        Ok(())
    }

    /// The reconciler, settlement syncs and the job queue.
    fn validate_workers(&self) -> Result<(), String> {
        if self.reconcile_interval_ms != 0
            && !(100..=86_400_000).contains(&self.reconcile_interval_ms)
        {
            return Err("reconcile_interval_ms must be 0 (off) or between 100 and 86400000".into());
        }
        if self.settlement_sync_interval_ms != 0
            && !(1_000..=86_400_000).contains(&self.settlement_sync_interval_ms)
        {
            return Err(
                "settlement_sync_interval_ms must be 0 (off) or between 1000 and 86400000".into(),
            );
        }
        if !(0..=86_400).contains(&self.reconcile_min_age_secs) {
            return Err("reconcile_min_age_secs must be between 0 and 86400".into());
        }
        if !(10..=60_000).contains(&self.job_poll_ms) {
            return Err("job_poll_ms must be between 10 and 60000".into());
        }
        if !(10_000..=86_400_000).contains(&self.job_lease_ms) {
            return Err("job_lease_ms must be between 10000 and 86400000".into());
        }
        Ok(())
    }

    /// Provider timeouts, all below the idempotency takeover window.
    fn validate_timeouts(&self) -> Result<(), String> {
        if !(100..=120_000).contains(&self.provider_timeout_ms) {
            return Err("provider_timeout_ms must be between 100 and 120000".into());
        }
        // An idempotency key still "in progress" is taken over after this
        // window, on the assumption that its request is gone. Every request
        // (and every provider call inside one) must end well before, or a
        // retry would run beside the original.
        let takeover_ms =
            u64::try_from(finvex_core::idempotency::IN_PROGRESS_STALE_SECS).unwrap_or(0) * 1_000;
        let provider_timeouts = [
            Some(self.provider_timeout_ms),
            self.razorpay.as_ref().map(|r| r.timeout_ms),
            self.cashfree.as_ref().map(|c| c.timeout_ms),
        ];
        if self.request_timeout_ms >= takeover_ms
            || provider_timeouts
                .iter()
                .flatten()
                .any(|t| *t >= takeover_ms)
        {
            return Err(format!(
                "request_timeout_ms and every provider timeout must be below the idempotency takeover window ({takeover_ms} ms)"
            ));
        }
        Ok(())
    }

    /// Settings that name one of a few choices.
    fn validate_names(&self) -> Result<(), String> {
        let modes = [
            self.razorpay.as_ref().map(|r| r.mode.as_str()),
            self.cashfree.as_ref().map(|c| c.mode.as_str()),
        ];
        if modes
            .iter()
            .flatten()
            .any(|m| !matches!(*m, "test" | "live"))
        {
            return Err("provider mode must be test or live".into());
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err("log_format must be text or json".into());
        }
        Ok(())
    }
}

impl Config {
    /// `trusted_proxies`, parsed.
    pub fn trusted_proxy_blocks(&self) -> Result<Vec<crate::http::client_ip::Cidr>, String> {
        self.trusted_proxies
            .iter()
            .map(|raw| {
                crate::http::client_ip::Cidr::parse(raw)
                    .map_err(|e| format!("trusted_proxies: {e}"))
            })
            .collect()
    }

    /// Whether rate limits are shared through the database.
    pub fn shared_rate_limits(&self) -> bool {
        match self.rate_limit_store.as_str() {
            "database" => true,
            "auto" => self.database_url.starts_with("postgres"),
            _ => false,
        }
    }
}

/// An environment variable's text as a value of the setting's own type.
fn env_value(current: &serde_json::Value, raw: &str) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match current {
        Value::Bool(_) => Value::Bool(match raw.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => true,
            "0" | "false" | "no" | "off" => false,
            _ => return None,
        }),
        Value::Number(_) => Value::Number(serde_json::from_str(raw.trim()).ok()?),
        Value::Array(_) => Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_string()))
                .collect(),
        ),
        // Strings, and optional settings not set yet (all text).
        Value::String(_) | Value::Null => Value::String(raw.to_string()),
        Value::Object(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_defaults() {
        let mut config = Config::default();
        config
            .apply_env(|name| match name {
                "FINVEX_LISTEN" => Some("0.0.0.0:9000".into()),
                "FINVEX_RATE_LIMIT_PER_MINUTE" => Some("5".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.rate_limit_per_minute, 5);
        assert_eq!(config.database_url, "sqlite://finvex.db");
    }

    #[test]
    fn bad_values_are_named() {
        let mut config = Config::default();
        let err = config
            .apply_env(|n| (n == "FINVEX_LISTEN").then(|| "nope".into()))
            .unwrap_err();
        assert!(err.contains("FINVEX_LISTEN"));
        config.jwt_secret = Some("short".into());
        assert!(config.validate().is_err());
    }

    #[test]
    fn a_webhook_lease_outlasts_a_whole_batch() {
        let mut config = Config::default();
        // Two overlapping rounds share the sends: 2 x 64 / 16 x 10 s + 1 s < 90 s.
        assert!(config.validate().is_ok());
        config.webhook_concurrency = 4;
        let err = config.validate().unwrap_err();
        assert!(err.contains("321000"), "{err}");
        config.webhook_lease_ms = 321_000;
        assert!(config.validate().is_ok());
    }

    #[test]
    fn timeouts_must_end_inside_the_idempotency_takeover_window() {
        let mut config = Config::default();
        assert!(config.validate().is_ok());
        config.request_timeout_ms = 180_000;
        let err = config.validate().unwrap_err();
        assert!(err.contains("takeover"), "{err}");
        config.request_timeout_ms = 30_000;
        config.provider_timeout_ms = 120_000;
        assert!(config.validate().unwrap_err().contains("takeover"));
    }

    #[test]
    fn every_setting_has_its_variable_parsed_by_its_type() {
        let mut config = Config::default();
        config
            .apply_env(|name| match name {
                "FINVEX_WEBHOOK_BATCH" => Some("8".into()),
                "FINVEX_DEMO_ON_EMPTY" => Some("no".into()),
                "FINVEX_WEBHOOK_WORKER" => Some("0".into()),
                "FINVEX_TRUSTED_PROXIES" => Some("10.0.0.0/8, fd00::/8".into()),
                "FINVEX_MASTER_KEY" => Some("ab".repeat(32)),
                "FINVEX_RAZORPAY_KEY_ID" => Some("rzp_live_x".into()),
                "FINVEX_RAZORPAY_KEY_SECRET" => Some("s".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.webhook_batch, 8);
        assert!(!config.demo_on_empty && !config.webhook_worker);
        assert_eq!(config.trusted_proxies, vec!["10.0.0.0/8", "fd00::/8"]);
        assert_eq!(config.master_key.as_deref(), Some("ab".repeat(32).as_str()));
        assert_eq!(
            config.razorpay.as_ref().map(|r| r.mode.as_str()),
            Some("live")
        );
        for (name, raw) in [
            ("FINVEX_WEBHOOK_BATCH", "-1"),
            ("FINVEX_WEBHOOK_BATCH", "many"),
            ("FINVEX_DEMO_ON_EMPTY", "perhaps"),
        ] {
            let err = Config::default()
                .apply_env(|n| (n == name).then(|| raw.to_string()))
                .unwrap_err();
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn toml_files_reject_unknown_keys() {
        assert!(toml::from_str::<Config>("listen = \"127.0.0.1:1\"\nbogus = 1").is_err());
        let config: Config = toml::from_str("rate_limit_per_minute = 10").unwrap();
        assert_eq!(config.rate_limit_per_minute, 10);
    }
}
