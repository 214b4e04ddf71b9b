//! Razorpay Payment Gateway adapter over its REST API (`/v1`), behind
//! [`Provider`] and its capability traits.
//!
//! - Auth: HTTP Basic `key_id:key_secret`. Amounts: integer paise.
//! - Orders carry our order id as `receipt` (≤ 40 chars); the checkout payload
//!   is `{"key_id", "order_id"}`.
//! - Refunds send `X-Refund-Idempotency` (≥ 10 chars of `[A-Za-z0-9_-]`; any
//!   other key is replaced by a stable hash of it).
//! - Money-moving POSTs are never retried; GETs at most twice (see [`crate::http`]).
//! - Settlements are paged with `count=100&skip=…`, at most 50 pages; a range
//!   holding more is an error rather than a silently short list.
//! - Fees: our `fee_minor` excludes GST (Razorpay's `fee` includes it) and
//!   `tax_minor` is the GST, for payments and settlements alike.

pub mod transformers;

use std::collections::BTreeMap;
use std::fmt;

use async_trait::async_trait;
use finvex_core::money::Money;
use finvex_core::providers::{
    CreateProviderOrder, CreateProviderRefund, PaymentsCapability, Provider, ProviderError,
    ProviderErrorKind, ProviderName, ProviderOrder, ProviderPayment, ProviderRefund,
    ProviderSettlement, ProviderSettlementEntry, ProviderWebhook, RefundsCapability,
    SettlementsCapability, WebhooksCapability,
};
use serde::de::DeserializeOwned;

use crate::http::{
    build_client, endpoint, header, parse_base_url, provider_error, sha256_hex, unusable, Retry,
    Transport, MAX_PAGES,
};
use transformers as tx;

const P: ProviderName = ProviderName::Razorpay;
/// Razorpay's production API host; test and live mode share it.
pub const PRODUCTION_BASE_URL: &str = "https://api.razorpay.com";
const RECEIPT_MAX: usize = 40;
const NOTES_MAX: usize = 15;
const NOTE_VALUE_MAX: usize = 256;
const SETTLEMENT_PAGE: usize = 100;

/// One Razorpay account's keys.
#[derive(Clone)]
pub struct RazorpayConfig {
    /// `https://api.razorpay.com` (no `/v1`; paths add it).
    pub base_url: String,
    /// `rzp_test_…` or `rzp_live_…`.
    pub key_id: String,
    pub key_secret: String,
    /// The secret set on the dashboard's webhook (not the key secret).
    pub webhook_secret: String,
    /// Per-request timeout, connect included.
    pub timeout_ms: u64,
}

impl RazorpayConfig {
    /// The production host with a 15 s timeout.
    pub fn production(
        key_id: impl Into<String>,
        key_secret: impl Into<String>,
        webhook_secret: impl Into<String>,
    ) -> RazorpayConfig {
        RazorpayConfig {
            base_url: PRODUCTION_BASE_URL.into(),
            key_id: key_id.into(),
            key_secret: key_secret.into(),
            webhook_secret: webhook_secret.into(),
            timeout_ms: 15_000,
        }
    }
}

impl fmt::Debug for RazorpayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RazorpayConfig")
            .field("base_url", &self.base_url)
            .field("key_id", &self.key_id)
            .field("key_secret", &"<redacted>")
            .field("webhook_secret", &"<redacted>")
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

pub struct RazorpayProvider {
    config: RazorpayConfig,
    base: url::Url,
    transport: Transport,
}

fn invalid(message: impl Into<String>) -> ProviderError {
    provider_error(P, ProviderErrorKind::InvalidRequest, message)
}

/// Razorpay's refund idempotency key rule: ≥ 10 chars of `[A-Za-z0-9_-]`.
/// Other keys are mapped to a stable 40-char hex digest of themselves, so a
/// retry with the same key still deduplicates.
pub fn refund_idempotency_key(key: &str) -> String {
    let valid = key.len() >= 10
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        key.to_string()
    } else {
        sha256_hex(&[key.as_bytes()])[..40].to_string()
    }
}

fn check_notes(notes: &BTreeMap<String, String>) -> Result<(), ProviderError> {
    if notes.len() > NOTES_MAX {
        return Err(invalid(format!(
            "Razorpay takes at most {NOTES_MAX} notes, got {}",
            notes.len()
        )));
    }
    if let Some((key, _)) = notes
        .iter()
        .find(|(k, v)| k.chars().count() > NOTE_VALUE_MAX || v.chars().count() > NOTE_VALUE_MAX)
    {
        return Err(invalid(format!(
            "Razorpay note {key:?} is longer than {NOTE_VALUE_MAX} characters"
        )));
    }
    Ok(())
}

impl RazorpayProvider {
    pub fn new(config: RazorpayConfig) -> Result<RazorpayProvider, ProviderError> {
        let base = parse_base_url(P, &config.base_url)?;
        let client = build_client(P, &base, config.timeout_ms)?;
        Self::with_client(config, client)
    }

    /// With a client shared among accounts at this provider (see
    /// [`crate::factory::HttpProviderFactory`]).
    pub fn with_client(
        config: RazorpayConfig,
        client: reqwest::Client,
    ) -> Result<RazorpayProvider, ProviderError> {
        let base = parse_base_url(P, &config.base_url)?;
        if config.key_id.is_empty() || config.key_secret.is_empty() {
            return Err(invalid("the Razorpay key id and key secret are required"));
        }
        let transport = Transport::with_client(P, client, config.timeout_ms);
        Ok(RazorpayProvider {
            config,
            base,
            transport,
        })
    }

    pub fn config(&self) -> &RazorpayConfig {
        &self.config
    }

    /// One day's recon lines (a day in India) of one settlement.
    async fn recon_day(
        &self,
        date: finvex_core::calendar::Date,
        settlement_id: &str,
    ) -> Result<Vec<ProviderSettlementEntry>, ProviderError> {
        let (year, month, day) = (date.year(), date.month(), date.day());
        let mut entries = Vec::new();
        for page in 0..MAX_PAGES {
            let query = [
                ("year", year.to_string()),
                ("month", month.to_string()),
                ("day", day.to_string()),
                ("count", SETTLEMENT_PAGE.to_string()),
                ("skip", (page * SETTLEMENT_PAGE).to_string()),
            ];
            let list: tx::Collection<tx::ReconItem> = self
                .call(
                    reqwest::Method::GET,
                    &["v1", "settlements", "recon", "combined"],
                    &query,
                    None,
                    &[],
                    "settlement recon",
                )
                .await?;
            let full = list.items.len() >= SETTLEMENT_PAGE;
            for item in list.items {
                if item.settlement_id.as_deref() == Some(settlement_id) {
                    entries.push(self.mapped(tx::settlement_entry(item), "settlement recon")?);
                }
            }
            if !full {
                return Ok(entries);
            }
        }
        Err(invalid(format!(
            "more than {} recon lines on the day of {settlement_id}",
            MAX_PAGES * SETTLEMENT_PAGE
        )))
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<String>,
        extra_headers: &[(&str, &str)],
        what: &str,
    ) -> Result<T, ProviderError> {
        let url = endpoint(&self.base, segments, query);
        let retry = if method == reqwest::Method::GET {
            Retry::Read
        } else {
            Retry::Never
        };
        self.transport
            .json(
                retry,
                method,
                url,
                body,
                |request| {
                    let mut request =
                        request.basic_auth(&self.config.key_id, Some(&self.config.key_secret));
                    for (name, value) in extra_headers {
                        request = request.header(*name, *value);
                    }
                    request
                },
                tx::error_from_response,
                what,
            )
            .await
    }

    fn mapped<T>(&self, result: Result<T, String>, what: &str) -> Result<T, ProviderError> {
        unusable(P, "Razorpay", result, what)
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<String, ProviderError> {
    serde_json::to_string(value).map_err(|e| invalid(format!("cannot encode the request: {e}")))
}

impl Provider for RazorpayProvider {
    fn name(&self) -> ProviderName {
        P
    }

    fn payments(&self) -> Option<&dyn PaymentsCapability> {
        Some(self)
    }

    fn refunds(&self) -> Option<&dyn RefundsCapability> {
        Some(self)
    }

    fn settlements(&self) -> Option<&dyn SettlementsCapability> {
        Some(self)
    }

    fn webhooks(&self) -> Option<&dyn WebhooksCapability> {
        Some(self)
    }
}

#[async_trait]
impl PaymentsCapability for RazorpayProvider {
    async fn create_order(
        &self,
        request: &CreateProviderOrder,
    ) -> Result<ProviderOrder, ProviderError> {
        let receipt = request.order_id.as_str();
        if receipt.len() > RECEIPT_MAX {
            return Err(invalid(format!(
                "receipt {receipt:?} is longer than {RECEIPT_MAX} characters"
            )));
        }
        let mut notes = request.notes.clone();
        if let Some(extra) = &request.receipt {
            notes
                .entry("merchant_receipt".into())
                .or_insert_with(|| extra.clone());
        }
        if let Some(description) = &request.description {
            notes
                .entry("description".into())
                .or_insert_with(|| description.chars().take(NOTE_VALUE_MAX).collect());
        }
        check_notes(&notes)?;
        let body = to_json(&tx::CreateOrderBody {
            amount: request.amount.amount.minor(),
            currency: request.amount.currency.code(),
            receipt,
            notes: &notes,
        })?;
        let order: tx::Order = self
            .call(
                reqwest::Method::POST,
                &["v1", "orders"],
                &[],
                Some(body),
                &[],
                "order",
            )
            .await?;
        Ok(ProviderOrder {
            provider: P,
            checkout: serde_json::json!({"key_id": self.config.key_id, "order_id": order.id}),
            provider_order_id: order.id,
            raw_status: order.status,
        })
    }

    async fn order_payments(
        &self,
        provider_order_id: &str,
    ) -> Result<Vec<ProviderPayment>, ProviderError> {
        let list: tx::Collection<tx::Payment> = self
            .call(
                reqwest::Method::GET,
                &["v1", "orders", provider_order_id, "payments"],
                &[],
                None,
                &[],
                "payment list",
            )
            .await?;
        list.items
            .into_iter()
            .map(|p| self.mapped(tx::payment(p, provider_order_id), "payment"))
            .collect()
    }

    async fn fetch_payment(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
    ) -> Result<ProviderPayment, ProviderError> {
        let payment: tx::Payment = self
            .call(
                reqwest::Method::GET,
                &["v1", "payments", provider_payment_id],
                &[],
                None,
                &[],
                "payment",
            )
            .await?;
        let payment = self.mapped(tx::payment(payment, provider_order_id), "payment")?;
        if payment.provider_order_id != provider_order_id {
            return Err(provider_error(
                P,
                ProviderErrorKind::NotFound,
                format!(
                    "payment {provider_payment_id} does not belong to order {provider_order_id}"
                ),
            ));
        }
        Ok(payment)
    }

    async fn capture(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
        amount: Money,
    ) -> Result<ProviderPayment, ProviderError> {
        let body = to_json(&tx::CaptureBody {
            amount: amount.amount.minor(),
            currency: amount.currency.code(),
        })?;
        let payment: tx::Payment = self
            .call(
                reqwest::Method::POST,
                &["v1", "payments", provider_payment_id, "capture"],
                &[],
                Some(body),
                &[],
                "payment",
            )
            .await?;
        self.mapped(tx::payment(payment, provider_order_id), "payment")
    }

    fn issues_checkout_signature(&self) -> bool {
        true
    }

    fn verify_checkout_signature(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
        signature: &str,
    ) -> Result<bool, ProviderError> {
        Ok(tx::hex_mac_matches(
            &self.config.key_secret,
            &[
                provider_order_id.as_bytes(),
                b"|",
                provider_payment_id.as_bytes(),
            ],
            signature,
        ))
    }
}

#[async_trait]
impl RefundsCapability for RazorpayProvider {
    async fn refund(
        &self,
        request: &CreateProviderRefund,
    ) -> Result<ProviderRefund, ProviderError> {
        let mut notes = request.notes.clone();
        notes
            .entry("finvex_refund_id".into())
            .or_insert_with(|| request.refund_id.to_string());
        check_notes(&notes)?;
        let receipt = request.refund_id.as_str();
        if receipt.len() > RECEIPT_MAX {
            return Err(invalid(format!(
                "refund receipt {receipt:?} is longer than {RECEIPT_MAX} characters"
            )));
        }
        let body = to_json(&tx::RefundBody {
            amount: request.amount.amount.minor(),
            speed: tx::refund_speed(request.speed),
            receipt,
            notes: &notes,
        })?;
        let key = refund_idempotency_key(&request.idempotency_key);
        let refund: tx::Refund = self
            .call(
                reqwest::Method::POST,
                &["v1", "payments", &request.provider_payment_id, "refund"],
                &[],
                Some(body),
                &[("X-Refund-Idempotency", key.as_str())],
                "refund",
            )
            .await?;
        self.mapped(tx::refund(refund), "refund")
    }

    async fn fetch_refund(
        &self,
        _provider_order_id: &str,
        provider_refund_id: &str,
    ) -> Result<ProviderRefund, ProviderError> {
        let refund: tx::Refund = self
            .call(
                reqwest::Method::GET,
                &["v1", "refunds", provider_refund_id],
                &[],
                None,
                &[],
                "refund",
            )
            .await?;
        self.mapped(tx::refund(refund), "refund")
    }
}

#[async_trait]
impl SettlementsCapability for RazorpayProvider {
    async fn list_settlements(
        &self,
        from_secs: i64,
        to_secs: i64,
    ) -> Result<Vec<ProviderSettlement>, ProviderError> {
        let mut all = Vec::new();
        for page in 0..MAX_PAGES {
            let query = [
                ("from", from_secs.to_string()),
                ("to", to_secs.to_string()),
                ("count", SETTLEMENT_PAGE.to_string()),
                ("skip", (page * SETTLEMENT_PAGE).to_string()),
            ];
            let list: tx::Collection<tx::Settlement> = self
                .call(
                    reqwest::Method::GET,
                    &["v1", "settlements"],
                    &query,
                    None,
                    &[],
                    "settlement list",
                )
                .await?;
            let full = list.items.len() >= SETTLEMENT_PAGE;
            all.extend(list.items.into_iter().map(tx::settlement));
            if !full {
                return Ok(all);
            }
        }
        Err(invalid(format!(
            "more than {} settlements between {from_secs} and {to_secs}; ask for a shorter range",
            MAX_PAGES * SETTLEMENT_PAGE
        )))
    }

    /// The recon report is filed by day: the settlement's day in India,
    /// else the next one (a settlement created just before midnight may be
    /// processed after it), filtered to this settlement's lines.
    async fn settlement_entries(
        &self,
        settlement: &ProviderSettlement,
    ) -> Result<Vec<ProviderSettlementEntry>, ProviderError> {
        let created_day = finvex_core::calendar::date_in_india(settlement.created_at);
        let next_day = created_day.tomorrow().unwrap_or(created_day);
        for day in [created_day, next_day] {
            let entries = self
                .recon_day(day, &settlement.provider_settlement_id)
                .await?;
            if !entries.is_empty() {
                return Ok(entries);
            }
        }
        Ok(Vec::new())
    }
}

impl WebhooksCapability for RazorpayProvider {
    fn parse_webhook(
        &self,
        headers: &[(String, String)],
        raw_body: &[u8],
    ) -> Result<ProviderWebhook, ProviderError> {
        let rejected = |why: &str| provider_error(P, ProviderErrorKind::InvalidSignature, why);
        if self.config.webhook_secret.is_empty() {
            return Err(rejected("no Razorpay webhook secret is configured"));
        }
        let signature = header(headers, "x-razorpay-signature")
            .ok_or_else(|| rejected("missing X-Razorpay-Signature"))?;
        if !tx::hex_mac_matches(&self.config.webhook_secret, &[raw_body], signature) {
            return Err(rejected("the X-Razorpay-Signature does not match the body"));
        }
        let event_id = header(headers, "x-razorpay-event-id")
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("sha256:{}", sha256_hex(&[raw_body])));
        let envelope: tx::WebhookEnvelope = serde_json::from_slice(raw_body)
            .map_err(|e| invalid(format!("signed Razorpay webhook is not an event: {e}")))?;
        let order_id = envelope
            .payload
            .order
            .as_ref()
            .map(|o| o.entity.id.clone())
            .unwrap_or_default();
        let payment = envelope
            .payload
            .payment
            .map(|p| tx::payment(p.entity, &order_id))
            .transpose()
            .map_err(invalid)?;
        let refund = envelope
            .payload
            .refund
            .map(|r| tx::refund(r.entity))
            .transpose()
            .map_err(invalid)?;
        Ok(ProviderWebhook {
            provider: P,
            event_id,
            kind: tx::webhook_kind(&envelope.event),
            payment,
            refund,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(webhook_secret: &str) -> RazorpayProvider {
        RazorpayProvider::new(RazorpayConfig {
            base_url: "http://127.0.0.1:9".into(),
            key_id: "rzp_test_x".into(),
            key_secret: "key_secret".into(),
            webhook_secret: webhook_secret.into(),
            timeout_ms: 1_000,
        })
        .unwrap()
    }

    #[test]
    fn checkout_signature_vector_verifies_in_constant_time_compare() {
        let p = provider("whsec_test");
        let good = "b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89";
        assert!(p
            .verify_checkout_signature("fake_order_id", "fake_payment_id", good)
            .unwrap());
        assert!(!p
            .verify_checkout_signature("fake_order_id", "other", good)
            .unwrap());
        assert!(!p
            .verify_checkout_signature("fake_order_id", "fake_payment_id", &good[..60])
            .unwrap());
        assert!(!p
            .verify_checkout_signature("fake_order_id", "fake_payment_id", "")
            .unwrap());
    }

    #[test]
    fn webhook_needs_a_valid_signature() {
        let p = provider("whsec_test");
        let body = br#"{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_1","amount":100,"currency":"INR","status":"captured","order_id":"order_1"}}}}"#;
        let good = tx::webhook_signature("whsec_test", body);
        let headers = vec![
            ("x-razorpay-signature".to_string(), good.clone()),
            ("x-razorpay-event-id".to_string(), "evt_1".to_string()),
        ];
        let hook = p.parse_webhook(&headers, body).unwrap();
        assert_eq!(hook.event_id, "evt_1");
        assert_eq!(
            hook.kind,
            finvex_core::providers::ProviderWebhookKind::PaymentCaptured
        );
        let payment = hook.payment.unwrap();
        assert_eq!(payment.provider_order_id, "order_1");
        assert_eq!(payment.amount, Money::inr(100));

        let mut tampered = body.to_vec();
        tampered[body.len() - 10] = b'X';
        let error = p.parse_webhook(&headers, &tampered).unwrap_err();
        assert_eq!(error.kind, ProviderErrorKind::InvalidSignature);
        assert_eq!(
            p.parse_webhook(&[], body).unwrap_err().kind,
            ProviderErrorKind::InvalidSignature
        );
        let no_secret = provider("");
        assert_eq!(
            no_secret.parse_webhook(&headers, body).unwrap_err().kind,
            ProviderErrorKind::InvalidSignature
        );
        // Without an event id the body hash stands in.
        let hook = p
            .parse_webhook(&[("X-Razorpay-Signature".to_string(), good)], body)
            .unwrap();
        assert!(hook.event_id.starts_with("sha256:"));
    }

    #[test]
    fn idempotency_keys_fit_razorpay_rules() {
        assert_eq!(refund_idempotency_key("abcdefghij"), "abcdefghij");
        let mapped = refund_idempotency_key("short");
        assert_eq!(mapped.len(), 40);
        assert_eq!(mapped, refund_idempotency_key("short"));
        assert_ne!(refund_idempotency_key("with space key"), "with space key");
    }

    #[test]
    fn config_debug_hides_secrets() {
        let text = format!("{:?}", provider("whsec_test").config());
        assert!(!text.contains("\"key_secret\""));
        assert!(!text.contains("whsec_test"));
        assert!(text.contains("<redacted>"));
    }
}
