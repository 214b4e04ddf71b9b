//! Cashfree Payment Gateway adapter (PG API, `x-api-version` 2023-08-01 by
//! default), behind [`Provider`] and its capability traits.
//!
//! - Auth: the headers `x-client-id`, `x-client-secret`, `x-api-version` on
//!   every call; `x-idempotency-key` on money-moving POSTs (create order,
//!   refund). The settlement search is a POST but only reads: it carries no
//!   idempotency key and is retried like a GET.
//! - Amounts are decimal rupees on the wire (`499.00`), converted exactly by
//!   [`crate::money`].
//! - Cashfree keys everything by **our** ids: the provider order id is our
//!   order id and the provider refund id is our refund id (`cf_*` ids stay
//!   Cashfree's; payments are addressed by `cf_payment_id`).
//! - Capture: Cashfree captures automatically, so [`PaymentsCapability::capture`]
//!   fetches the payment and returns it when it is `SUCCESS` for exactly the
//!   requested amount, and answers `InvalidRequest` otherwise.
//! - Checkout: Cashfree hands the browser no signature, so
//!   `verify_checkout_signature` is always `Ok(false)`: confirm a payment by
//!   fetching it (or from the signed webhook).
//! - Webhooks: `x-webhook-signature` = base64 HMAC-SHA256 of
//!   `x-webhook-timestamp` + raw body under the client secret; the event id is
//!   `x-idempotency-key`, else the SHA-256 of timestamp + body.

pub mod transformers;

use std::fmt;

use async_trait::async_trait;
use finvex_core::money::Money;
use finvex_core::providers::{
    CreateProviderOrder, CreateProviderRefund, PaymentsCapability, Provider, ProviderError,
    ProviderErrorKind, ProviderName, ProviderOrder, ProviderPayment, ProviderPaymentStatus,
    ProviderRefund, ProviderSettlement, ProviderSettlementEntry, ProviderWebhook,
    RefundsCapability, SettlementsCapability, WebhooksCapability,
};
use serde::de::DeserializeOwned;

use crate::http::{
    build_client, endpoint, header, parse_base_url, provider_error, sha256_hex, unusable, Retry,
    Transport, MAX_PAGES,
};
use crate::money::DecimalAmount;
use transformers as tx;

const P: ProviderName = ProviderName::Cashfree;
pub const SANDBOX_BASE_URL: &str = "https://sandbox.cashfree.com/pg";
pub const PRODUCTION_BASE_URL: &str = "https://api.cashfree.com/pg";
/// The published API version these mappings follow.
pub const API_VERSION: &str = "2023-08-01";
const ORDER_TAGS_MAX: usize = 10;
const SETTLEMENT_PAGE: u32 = 100;

/// One Cashfree PG account's credentials.
#[derive(Clone)]
pub struct CashfreeConfig {
    /// Ends in `/pg`, e.g. [`SANDBOX_BASE_URL`].
    pub base_url: String,
    pub client_id: String,
    /// Also the webhook signing key.
    pub client_secret: String,
    /// `x-api-version`, e.g. [`API_VERSION`].
    pub api_version: String,
    /// Per-request timeout, connect included.
    pub timeout_ms: u64,
}

impl CashfreeConfig {
    pub fn sandbox(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        CashfreeConfig {
            base_url: SANDBOX_BASE_URL.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            api_version: API_VERSION.into(),
            timeout_ms: 15_000,
        }
    }

    pub fn production(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        CashfreeConfig {
            base_url: PRODUCTION_BASE_URL.into(),
            ..CashfreeConfig::sandbox(client_id, client_secret)
        }
    }
}

impl fmt::Debug for CashfreeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CashfreeConfig")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("api_version", &self.api_version)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

pub struct CashfreeProvider {
    config: CashfreeConfig,
    base: url::Url,
    transport: Transport,
}

fn invalid(message: impl Into<String>) -> ProviderError {
    provider_error(P, ProviderErrorKind::InvalidRequest, message)
}

fn to_json(value: &impl serde::Serialize) -> Result<String, ProviderError> {
    serde_json::to_string(value).map_err(|e| invalid(format!("cannot encode the request: {e}")))
}

/// A note of 3–`max` chars, or `None` when too short to send.
fn bounded_note(text: &str, max: usize) -> Option<String> {
    let trimmed: String = text.trim().chars().take(max).collect();
    (trimmed.chars().count() >= 3).then_some(trimmed)
}

impl CashfreeProvider {
    pub fn new(config: CashfreeConfig) -> Result<CashfreeProvider, ProviderError> {
        let base = parse_base_url(P, &config.base_url)?;
        let client = build_client(P, &base, config.timeout_ms)?;
        Self::with_client(config, client)
    }

    /// With a client shared among accounts at this provider (see
    /// [`crate::factory::HttpProviderFactory`]).
    pub fn with_client(
        config: CashfreeConfig,
        client: reqwest::Client,
    ) -> Result<CashfreeProvider, ProviderError> {
        let base = parse_base_url(P, &config.base_url)?;
        if config.client_id.is_empty() || config.client_secret.is_empty() {
            return Err(invalid(
                "the Cashfree client id and client secret are required",
            ));
        }
        if config.api_version.is_empty() {
            return Err(invalid("the Cashfree x-api-version is required"));
        }
        let transport = Transport::with_client(P, client, config.timeout_ms);
        Ok(CashfreeProvider {
            config,
            base,
            transport,
        })
    }

    pub fn config(&self) -> &CashfreeConfig {
        &self.config
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        segments: &[&str],
        body: Option<String>,
        idempotency_key: Option<&str>,
        retry: Retry,
        what: &str,
    ) -> Result<T, ProviderError> {
        let url = endpoint(&self.base, segments, &[]);
        self.transport
            .json(
                retry,
                method,
                url,
                body,
                |request| {
                    let request = request
                        .header("x-client-id", &self.config.client_id)
                        .header("x-client-secret", &self.config.client_secret)
                        .header("x-api-version", &self.config.api_version);
                    match idempotency_key {
                        Some(key) => request.header("x-idempotency-key", key),
                        None => request,
                    }
                },
                tx::error_from_response,
                what,
            )
            .await
    }

    fn mapped<T>(&self, result: Result<T, String>, what: &str) -> Result<T, ProviderError> {
        unusable(P, "Cashfree", result, what)
    }
}

impl Provider for CashfreeProvider {
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
impl PaymentsCapability for CashfreeProvider {
    async fn create_order(
        &self,
        request: &CreateProviderOrder,
    ) -> Result<ProviderOrder, ProviderError> {
        if request.notes.len() > ORDER_TAGS_MAX {
            return Err(invalid(format!(
                "Cashfree takes at most {ORDER_TAGS_MAX} order tags, got {} notes",
                request.notes.len()
            )));
        }
        let customer = tx::customer(&request.customer).map_err(invalid)?;
        let body = to_json(&tx::CreateOrderBody {
            order_id: request.order_id.as_str(),
            order_amount: DecimalAmount::from_money(request.amount),
            order_currency: request.amount.currency.code(),
            customer_details: customer,
            order_note: request
                .description
                .as_deref()
                .and_then(|d| bounded_note(d, 200)),
            order_tags: &request.notes,
        })?;
        let order: tx::Order = self
            .call(
                reqwest::Method::POST,
                &["orders"],
                Some(body),
                Some(&request.idempotency_key),
                Retry::Never,
                "order",
            )
            .await?;
        let session = order.payment_session_id.unwrap_or_default();
        if session.is_empty() {
            return Err(provider_error(
                P,
                ProviderErrorKind::Timeout,
                format!(
                    "Cashfree created order {} without a payment_session_id",
                    order.order_id
                ),
            ));
        }
        Ok(ProviderOrder {
            provider: P,
            provider_order_id: order.order_id,
            raw_status: order.order_status,
            checkout: serde_json::json!({ "payment_session_id": session }),
        })
    }

    async fn order_payments(
        &self,
        provider_order_id: &str,
    ) -> Result<Vec<ProviderPayment>, ProviderError> {
        let payments: Vec<tx::Payment> = self
            .call(
                reqwest::Method::GET,
                &["orders", provider_order_id, "payments"],
                None,
                None,
                Retry::Read,
                "payment list",
            )
            .await?;
        payments
            .into_iter()
            .map(|p| self.mapped(tx::payment(p, provider_order_id, None), "payment"))
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
                &["orders", provider_order_id, "payments", provider_payment_id],
                None,
                None,
                Retry::Read,
                "payment",
            )
            .await?;
        self.mapped(tx::payment(payment, provider_order_id, None), "payment")
    }

    async fn capture(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
        amount: Money,
    ) -> Result<ProviderPayment, ProviderError> {
        let payment = self
            .fetch_payment(provider_order_id, provider_payment_id)
            .await?;
        if payment.status != ProviderPaymentStatus::Captured {
            return Err(invalid(format!(
                "Cashfree captures automatically; payment {provider_payment_id} is {} and cannot be captured",
                payment.raw_status
            )));
        }
        if payment.amount != amount {
            return Err(invalid(format!(
                "payment {provider_payment_id} was captured for {} {}, not {} {}",
                crate::money::to_major_text(payment.amount),
                payment.amount.currency,
                crate::money::to_major_text(amount),
                amount.currency
            )));
        }
        Ok(payment)
    }

    fn issues_checkout_signature(&self) -> bool {
        false
    }

    /// Cashfree gives the browser no signature: always `Ok(false)`. Confirm
    /// the payment with [`PaymentsCapability::order_payments`] or the webhook.
    fn verify_checkout_signature(
        &self,
        _provider_order_id: &str,
        _provider_payment_id: &str,
        _signature: &str,
    ) -> Result<bool, ProviderError> {
        Ok(false)
    }
}

#[async_trait]
impl RefundsCapability for CashfreeProvider {
    async fn refund(
        &self,
        request: &CreateProviderRefund,
    ) -> Result<ProviderRefund, ProviderError> {
        let note = ["reason", "note", "refund_note"]
            .iter()
            .find_map(|k| request.notes.get(*k))
            .and_then(|n| bounded_note(n, 100))
            .unwrap_or_else(|| format!("Refund {}", request.refund_id));
        let body = to_json(&tx::RefundBody {
            refund_amount: DecimalAmount::from_money(request.amount),
            refund_id: request.refund_id.as_str(),
            refund_note: note.chars().take(100).collect(),
            refund_speed: tx::refund_speed(request.speed),
        })?;
        let refund: tx::Refund = self
            .call(
                reqwest::Method::POST,
                &["orders", &request.provider_order_id, "refunds"],
                Some(body),
                Some(&request.idempotency_key),
                Retry::Never,
                "refund",
            )
            .await?;
        self.mapped(tx::refund(refund), "refund")
    }

    async fn fetch_refund(
        &self,
        provider_order_id: &str,
        provider_refund_id: &str,
    ) -> Result<ProviderRefund, ProviderError> {
        let refund: tx::Refund = self
            .call(
                reqwest::Method::GET,
                &["orders", provider_order_id, "refunds", provider_refund_id],
                None,
                None,
                Retry::Read,
                "refund",
            )
            .await?;
        self.mapped(tx::refund(refund), "refund")
    }
}

#[async_trait]
impl SettlementsCapability for CashfreeProvider {
    async fn list_settlements(
        &self,
        from_secs: i64,
        to_secs: i64,
    ) -> Result<Vec<ProviderSettlement>, ProviderError> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let body = to_json(&tx::SettlementSearch {
                pagination: tx::Pagination {
                    limit: SETTLEMENT_PAGE,
                    cursor: cursor.clone(),
                },
                filters: tx::SettlementFilters {
                    start_date: finvex_core::calendar::rfc3339_utc(from_secs),
                    end_date: finvex_core::calendar::rfc3339_utc(to_secs),
                },
            })?;
            let page: tx::SettlementsPage = self
                .call(
                    reqwest::Method::POST,
                    &["settlements"],
                    Some(body),
                    None,
                    Retry::Read,
                    "settlement list",
                )
                .await?;
            let empty = page.data.is_empty();
            for settlement in page.data {
                all.push(self.mapped(tx::settlement(settlement), "settlement")?);
            }
            match page.cursor.filter(|c| !c.is_empty()) {
                Some(next) if !empty && cursor.as_deref() != Some(next.as_str()) => {
                    cursor = Some(next)
                }
                _ => return Ok(all),
            }
        }
        Err(invalid(format!(
            "more than {MAX_PAGES} pages of settlements between {from_secs} and {to_secs}; ask for a shorter range"
        )))
    }

    async fn settlement_entries(
        &self,
        settlement: &ProviderSettlement,
    ) -> Result<Vec<ProviderSettlementEntry>, ProviderError> {
        let id = &settlement.provider_settlement_id;
        let id_value = id.parse::<u64>().map_or_else(
            |_| serde_json::Value::from(id.as_str()),
            serde_json::Value::from,
        );
        let mut entries = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let body = to_json(&tx::SettlementReconSearch {
                pagination: tx::Pagination {
                    limit: SETTLEMENT_PAGE,
                    cursor: cursor.clone(),
                },
                filters: tx::SettlementReconFilters {
                    cf_settlement_ids: vec![id_value.clone()],
                },
            })?;
            let page: tx::SettlementReconPage = self
                .call(
                    reqwest::Method::POST,
                    &["settlement", "recon"],
                    Some(body),
                    None,
                    Retry::Read,
                    "settlement recon",
                )
                .await?;
            let empty = page.data.is_empty();
            for event in page.data {
                // Only this settlement's lines, whatever else the filter lets through.
                if event.cf_settlement_id.as_ref().is_some_and(|s| s.0 != *id) {
                    continue;
                }
                entries.push(self.mapped(tx::settlement_entry(event), "settlement recon")?);
            }
            match page.cursor.filter(|c| !c.is_empty()) {
                Some(next) if !empty && cursor.as_deref() != Some(next.as_str()) => {
                    cursor = Some(next)
                }
                _ => return Ok(entries),
            }
        }
        Err(invalid(format!(
            "more than {MAX_PAGES} pages of recon lines for settlement {id}"
        )))
    }
}

impl WebhooksCapability for CashfreeProvider {
    fn parse_webhook(
        &self,
        headers: &[(String, String)],
        raw_body: &[u8],
    ) -> Result<ProviderWebhook, ProviderError> {
        let rejected = |why: &str| provider_error(P, ProviderErrorKind::InvalidSignature, why);
        let signature = header(headers, "x-webhook-signature")
            .ok_or_else(|| rejected("missing x-webhook-signature"))?;
        let timestamp = header(headers, "x-webhook-timestamp")
            .ok_or_else(|| rejected("missing x-webhook-timestamp"))?;
        if !tx::webhook_signature_matches(
            &self.config.client_secret,
            timestamp,
            raw_body,
            signature,
        ) {
            return Err(rejected("the x-webhook-signature does not match the body"));
        }
        let event_id = header(headers, "x-idempotency-key")
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("sha256:{}", sha256_hex(&[timestamp.as_bytes(), raw_body])));
        let envelope: tx::WebhookEnvelope = serde_json::from_slice(raw_body)
            .map_err(|e| invalid(format!("signed Cashfree webhook is not an event: {e}")))?;
        let data = envelope.data;
        let kind = tx::webhook_kind(
            &envelope.kind,
            data.refund.as_ref().map(|r| r.refund_status.as_str()),
        );
        let order_id = data
            .order
            .as_ref()
            .map(|o| o.order_id.clone())
            .unwrap_or_default();
        let order_currency = data.order.as_ref().and_then(|o| o.order_currency.clone());
        let payment = data
            .payment
            .map(|mut p| {
                if p.payment_currency.is_none() {
                    p.payment_currency = order_currency.clone();
                }
                tx::payment(p, &order_id, data.error_details)
            })
            .transpose()
            .map_err(invalid)?;
        let refund = data.refund.map(tx::refund).transpose().map_err(invalid)?;
        Ok(ProviderWebhook {
            provider: P,
            event_id,
            kind,
            payment,
            refund,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finvex_core::providers::ProviderWebhookKind;

    fn provider() -> CashfreeProvider {
        CashfreeProvider::new(CashfreeConfig {
            base_url: "http://127.0.0.1:9/pg".into(),
            ..CashfreeConfig::sandbox("cf_id", "cf_test_secret")
        })
        .unwrap()
    }

    fn signed(body: &[u8], ts: &str) -> Vec<(String, String)> {
        vec![
            (
                "x-webhook-signature".into(),
                tx::webhook_signature("cf_test_secret", ts, body),
            ),
            ("x-webhook-timestamp".into(), ts.into()),
        ]
    }

    #[test]
    fn research_vector_parses_with_a_hash_event_id() {
        let body = br#"{"type":"PAYMENT_SUCCESS_WEBHOOK","data":{}}"#;
        let headers = vec![
            (
                "x-webhook-signature".to_string(),
                "UP2FdrH1YmleAELRDX64/qAZgqF4TLynBImEb+D7w+s=".to_string(),
            ),
            (
                "x-webhook-timestamp".to_string(),
                "1746427759733".to_string(),
            ),
        ];
        let hook = provider().parse_webhook(&headers, body).unwrap();
        assert_eq!(hook.kind, ProviderWebhookKind::PaymentCaptured);
        assert_eq!(hook.payment, None);
        let mut expected = b"1746427759733".to_vec();
        expected.extend_from_slice(body);
        assert_eq!(
            hook.event_id,
            format!("sha256:{}", sha256_hex(&[&expected]))
        );
    }

    #[test]
    fn payment_webhook_maps_amount_and_order() {
        let body = br#"{"data":{"order":{"order_id":"finvex_ord_1","order_amount":170.00,"order_currency":"INR"},
            "payment":{"cf_payment_id":"1453002795","payment_status":"FAILED","payment_amount":170.00,
            "payment_currency":"INR","payment_message":"Transaction declined","payment_group":"upi"},
            "error_details":{"error_code":"TRANSACTION_DECLINED","error_description":"declined by bank"}},
            "event_time":"2023-08-11T18:02:46+05:30","type":"PAYMENT_FAILED_WEBHOOK"}"#;
        let mut headers = signed(body, "1746427759733");
        headers.push(("x-idempotency-key".into(), "evt-1".into()));
        let hook = provider().parse_webhook(&headers, body).unwrap();
        assert_eq!(hook.event_id, "evt-1");
        assert_eq!(hook.kind, ProviderWebhookKind::PaymentFailed);
        let payment = hook.payment.unwrap();
        assert_eq!(payment.amount, Money::inr(17_000));
        assert_eq!(payment.provider_order_id, "finvex_ord_1");
        assert_eq!(payment.error_code.as_deref(), Some("TRANSACTION_DECLINED"));
        // Changing one byte, or the timestamp, breaks the signature.
        let mut tampered = body.to_vec();
        tampered[20] = b'Y';
        assert_eq!(
            provider()
                .parse_webhook(&headers, &tampered)
                .unwrap_err()
                .kind,
            ProviderErrorKind::InvalidSignature
        );
        let mut replayed = headers.clone();
        replayed[1].1 = "1746427759999".into();
        assert_eq!(
            provider().parse_webhook(&replayed, body).unwrap_err().kind,
            ProviderErrorKind::InvalidSignature
        );
    }

    #[test]
    fn cashfree_has_every_capability_but_issues_no_checkout_signature() {
        use finvex_core::providers::Capability;
        let p = provider();
        assert_eq!(
            p.capabilities(),
            vec![
                Capability::Payments,
                Capability::Refunds,
                Capability::Settlements,
                Capability::Webhooks
            ]
        );
        assert!(!p.issues_checkout_signature() && !p.simulated());
    }

    #[test]
    fn no_checkout_signature() {
        assert!(!provider()
            .verify_checkout_signature("o", "p", "anything")
            .unwrap());
    }

    #[test]
    fn config_debug_hides_the_secret() {
        assert!(!format!("{:?}", provider().config()).contains("cf_test_secret"));
    }
}
