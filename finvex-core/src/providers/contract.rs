//! The provider contract: provider-neutral types in, provider-neutral types
//! and a normalised error out, with the provider's raw code kept.
//!
//! Money crosses this boundary as [`Money`] (integer minor units); adapters
//! convert to the provider's unit (Razorpay paise, Cashfree decimal rupees)
//! exactly, never through floats.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::ids::{OrderId, RefundId};
use crate::money::Money;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    Razorpay,
    Cashfree,
    /// Offline and deterministic; test mode only.
    Sandbox,
}

impl ProviderName {
    pub const ALL: [ProviderName; 3] = [
        ProviderName::Razorpay,
        ProviderName::Cashfree,
        ProviderName::Sandbox,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderName::Razorpay => "razorpay",
            ProviderName::Cashfree => "cashfree",
            ProviderName::Sandbox => "sandbox",
        }
    }
}

impl std::str::FromStr for ProviderName {
    type Err = crate::Error;

    fn from_str(raw: &str) -> Result<ProviderName, crate::Error> {
        ProviderName::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .ok_or_else(|| {
                crate::Error::validation("provider", format!("{raw:?} is not a provider"))
            })
    }
}

/// A misspelt field is refused (400 naming it), never silently dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerDetails {
    pub name: Option<String>,
    pub email: Option<String>,
    /// E.164, e.g. `+919876543210`.
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateProviderOrder {
    /// Our id; adapters use it as the provider's receipt / order reference.
    pub order_id: OrderId,
    pub amount: Money,
    pub receipt: Option<String>,
    pub description: Option<String>,
    pub customer: CustomerDetails,
    pub notes: BTreeMap<String, String>,
    /// Sent as the provider's idempotency key where it has one.
    pub idempotency_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderOrder {
    pub provider: ProviderName,
    pub provider_order_id: String,
    /// The provider's own status string (`created`, `ACTIVE`, …).
    pub raw_status: String,
    /// What the browser needs to open the provider's checkout
    /// (Razorpay: `{"key_id", "order_id"}`; Cashfree: `{"payment_session_id"}`).
    pub checkout: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderPaymentStatus {
    Created,
    Pending,
    Authorized,
    Captured,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPayment {
    pub provider: ProviderName,
    pub provider_payment_id: String,
    pub provider_order_id: String,
    pub amount: Money,
    pub status: ProviderPaymentStatus,
    pub raw_status: String,
    /// `upi`, `card`, `netbanking`, `wallet`, … when known.
    pub method: Option<String>,
    pub error_code: Option<String>,
    pub error_description: Option<String>,
    /// Provider fee and GST on it, in minor units, when the provider reports them.
    pub fee_minor: Option<i64>,
    pub tax_minor: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundSpeed {
    Normal,
    Optimum,
}

impl RefundSpeed {
    pub const ALL: [RefundSpeed; 2] = [RefundSpeed::Normal, RefundSpeed::Optimum];

    /// The stored name, the same as the serialised one.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundSpeed::Normal => "normal",
            RefundSpeed::Optimum => "optimum",
        }
    }
}

impl std::str::FromStr for RefundSpeed {
    type Err = crate::Error;

    fn from_str(raw: &str) -> Result<RefundSpeed, crate::Error> {
        RefundSpeed::ALL
            .into_iter()
            .find(|speed| speed.as_str() == raw)
            .ok_or_else(|| {
                crate::Error::validation("speed", format!("{raw:?} is not a refund speed"))
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateProviderRefund {
    pub refund_id: RefundId,
    pub provider_order_id: String,
    pub provider_payment_id: String,
    pub amount: Money,
    pub speed: RefundSpeed,
    pub notes: BTreeMap<String, String>,
    /// Razorpay `X-Refund-Idempotency` / Cashfree `x-idempotency-key`.
    pub idempotency_key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderRefundStatus {
    Pending,
    Processed,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRefund {
    pub provider: ProviderName,
    pub provider_refund_id: String,
    pub provider_payment_id: String,
    pub amount: Money,
    pub status: ProviderRefundStatus,
    pub raw_status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSettlement {
    pub provider: ProviderName,
    pub provider_settlement_id: String,
    pub amount: Money,
    pub fees_minor: i64,
    pub tax_minor: i64,
    pub utr: Option<String>,
    pub raw_status: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// What one line of a settlement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SettlementEntryKind {
    Payment,
    Refund,
    /// Chargebacks, disputes, reversals and other adjustments.
    Adjustment,
}

/// One line of a settlement as the provider's reconciliation report gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSettlementEntry {
    pub kind: SettlementEntryKind,
    /// The provider's id of the event (payment id, refund id, ...).
    pub provider_entity_id: String,
    /// The provider's payment id: the payment itself, or the refunded one when known.
    pub provider_payment_id: Option<String>,
    /// The gross amount of the event, always positive.
    pub amount: Money,
    /// True when it adds to the payout (payments), false when deducted (refunds, chargebacks).
    pub credit: bool,
    /// The provider's fee on this line and the GST on that fee, minor units.
    pub fee_minor: i64,
    pub tax_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderWebhookKind {
    PaymentAuthorized,
    PaymentCaptured,
    PaymentFailed,
    OrderPaid,
    RefundProcessed,
    RefundFailed,
    /// Anything else, by the provider's own name; acknowledged and ignored.
    Other(String),
}

/// A provider's incoming webhook after its signature checked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderWebhook {
    pub provider: ProviderName,
    /// For de-duplication (Razorpay `x-razorpay-event-id`, Cashfree `x-idempotency-key`
    /// or a hash of the signed body).
    pub event_id: String,
    pub kind: ProviderWebhookKind,
    pub payment: Option<ProviderPayment>,
    pub refund: Option<ProviderRefund>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderErrorKind {
    /// Could not reach the provider, or it answered 5xx/429 before doing anything we can see.
    Unavailable,
    /// No answer in time: the outcome is unknown (ambiguous).
    Timeout,
    /// The provider refused the payment (bank or risk decline).
    Declined,
    /// Our request was wrong (validation); retrying will not help.
    InvalidRequest,
    /// The merchant's provider credentials are wrong.
    Authentication,
    NotFound,
    RateLimited,
    /// The webhook signature did not verify.
    InvalidSignature,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{provider:?} {kind:?}: {message}")]
pub struct ProviderError {
    pub provider: ProviderName,
    pub kind: ProviderErrorKind,
    /// The provider's own error code (`BAD_REQUEST_ERROR`, `request_failed`, …).
    pub provider_code: Option<String>,
    pub message: String,
    /// HTTP status when there was an answer.
    pub http_status: Option<u16>,
}

impl ProviderError {
    /// True when the request certainly did not take effect at the provider,
    /// so trying another provider cannot double-charge.
    pub fn certainly_not_applied(&self) -> bool {
        matches!(
            self.kind,
            ProviderErrorKind::Unavailable
                | ProviderErrorKind::RateLimited
                | ProviderErrorKind::Authentication
                | ProviderErrorKind::InvalidRequest
        ) && self.http_status.is_none_or(|s| s != 500 && s != 504)
    }

    /// Whether this failure should count against the provider's health.
    pub fn counts_against_health(&self) -> bool {
        matches!(
            self.kind,
            ProviderErrorKind::Unavailable
                | ProviderErrorKind::Timeout
                | ProviderErrorKind::RateLimited
        )
    }
}

/// What a provider's error means to our caller, in one place: the provider
/// refusing the request (the merchant's to fix: 422), refusing the
/// credentials (422), or not answering usably (503).
impl From<ProviderError> for crate::Error {
    fn from(e: ProviderError) -> crate::Error {
        match e.kind {
            ProviderErrorKind::InvalidRequest
            | ProviderErrorKind::Declined
            | ProviderErrorKind::NotFound => crate::Error::business(
                None,
                format!("{} refused: {}", e.provider.as_str(), e.message),
            ),
            ProviderErrorKind::Authentication => crate::Error::business(
                None,
                format!(
                    "{} rejected the merchant's credentials",
                    e.provider.as_str()
                ),
            ),
            _ => crate::Error::Unavailable(format!(
                "{} is unavailable: {}",
                e.provider.as_str(),
                e.message
            )),
        }
    }
}

/// What a provider can do. The gateway and the router ask a provider for a
/// capability instead of asking for its name: an area that needs one (payouts,
/// mandates, QR, VPA verification, as they land) adds a variant, a trait, and
/// an accessor on [`Provider`] that defaults to `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Orders, their payments, capture, the checkout signature.
    Payments,
    Refunds,
    /// Settlement listing and per-line reports.
    Settlements,
    /// Signed webhooks about payments and refunds.
    Webhooks,
}

impl Capability {
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Payments => "payments",
            Capability::Refunds => "refunds",
            Capability::Settlements => "settlements",
            Capability::Webhooks => "webhooks",
        }
    }
}

/// One payment provider account (one merchant's Razorpay keys, say): its
/// name and its capabilities. Architecture invariant: core code reaches a
/// provider's operations only through these accessors, never by its name.
pub trait Provider: Send + Sync {
    fn name(&self) -> ProviderName;
    /// True for a provider that moves no money (the offline sandbox): the
    /// router never fails over to it from a real one.
    fn simulated(&self) -> bool {
        false
    }
    fn payments(&self) -> Option<&dyn PaymentsCapability> {
        None
    }
    fn refunds(&self) -> Option<&dyn RefundsCapability> {
        None
    }
    fn settlements(&self) -> Option<&dyn SettlementsCapability> {
        None
    }
    fn webhooks(&self) -> Option<&dyn WebhooksCapability> {
        None
    }
    /// Its payments capability, or the error naming what it lacks.
    fn require_payments(&self) -> Result<&dyn PaymentsCapability, crate::Error> {
        capability(self.name(), Capability::Payments, self.payments())
    }
    fn require_refunds(&self) -> Result<&dyn RefundsCapability, crate::Error> {
        capability(self.name(), Capability::Refunds, self.refunds())
    }
    fn require_settlements(&self) -> Result<&dyn SettlementsCapability, crate::Error> {
        capability(self.name(), Capability::Settlements, self.settlements())
    }

    /// Every capability this provider has, as its accessors answer.
    fn capabilities(&self) -> Vec<Capability> {
        let has = [
            (Capability::Payments, self.payments().is_some()),
            (Capability::Refunds, self.refunds().is_some()),
            (Capability::Settlements, self.settlements().is_some()),
            (Capability::Webhooks, self.webhooks().is_some()),
        ];
        has.into_iter()
            .filter_map(|(capability, has)| has.then_some(capability))
            .collect()
    }
}

/// The error a caller gets when a provider lacks what it asked of it.
pub fn capability<T: ?Sized>(
    name: ProviderName,
    wanted: Capability,
    capability: Option<&T>,
) -> Result<&T, crate::Error> {
    capability.ok_or_else(|| {
        crate::Error::business(
            Some("provider"),
            format!("{} does not offer {}", name.as_str(), wanted.as_str()),
        )
    })
}

/// Orders and their payments.
#[async_trait]
pub trait PaymentsCapability: Send + Sync {
    async fn create_order(
        &self,
        request: &CreateProviderOrder,
    ) -> Result<ProviderOrder, ProviderError>;
    async fn order_payments(
        &self,
        provider_order_id: &str,
    ) -> Result<Vec<ProviderPayment>, ProviderError>;
    async fn fetch_payment(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
    ) -> Result<ProviderPayment, ProviderError>;
    /// Captures an authorized payment for exactly `amount`.
    async fn capture(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
        amount: Money,
    ) -> Result<ProviderPayment, ProviderError>;
    /// Whether the provider's checkout hands the browser a signature over
    /// the order and payment (Razorpay's does; Cashfree's does not, and its
    /// payments are confirmed by fetching them).
    fn issues_checkout_signature(&self) -> bool;
    /// Checks the signature the provider's checkout hands the browser;
    /// `Ok(false)` from a provider that issues none.
    fn verify_checkout_signature(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
        signature: &str,
    ) -> Result<bool, ProviderError>;
}

#[async_trait]
pub trait RefundsCapability: Send + Sync {
    async fn refund(&self, request: &CreateProviderRefund)
        -> Result<ProviderRefund, ProviderError>;
    async fn fetch_refund(
        &self,
        provider_order_id: &str,
        provider_refund_id: &str,
    ) -> Result<ProviderRefund, ProviderError>;
}

#[async_trait]
pub trait SettlementsCapability: Send + Sync {
    /// Settlements created between the two unix times (inclusive).
    async fn list_settlements(
        &self,
        from_secs: i64,
        to_secs: i64,
    ) -> Result<Vec<ProviderSettlement>, ProviderError>;
    /// Every line of one settlement, from the provider's reconciliation
    /// report (Razorpay `settlements/recon/combined`, Cashfree `settlement/recon`).
    async fn settlement_entries(
        &self,
        settlement: &ProviderSettlement,
    ) -> Result<Vec<ProviderSettlementEntry>, ProviderError>;
}

pub trait WebhooksCapability: Send + Sync {
    /// Verifies and parses an incoming webhook from its headers (lower-case
    /// names) and the raw body bytes.
    fn parse_webhook(
        &self,
        headers: &[(String, String)],
        raw_body: &[u8],
    ) -> Result<ProviderWebhook, ProviderError>;
}

#[cfg(test)]
mod tests {
    use super::{ProviderName, RefundSpeed};

    /// `as_str`/`FromStr` (the stored names) and serde (the API's names)
    /// agree on every variant, both ways.
    fn agree_with_serde<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr,
        T: serde::Serialize + serde::de::DeserializeOwned,
        T::Err: std::fmt::Debug,
    {
        for &value in all {
            let name = as_str(value);
            assert_eq!(
                serde_json::to_value(value).unwrap(),
                serde_json::Value::from(name)
            );
            assert_eq!(
                serde_json::from_value::<T>(serde_json::Value::from(name)).unwrap(),
                value
            );
            assert_eq!(name.parse::<T>().unwrap(), value);
        }
    }

    #[test]
    fn refund_speeds_parse_under_their_serialised_names() {
        agree_with_serde(&RefundSpeed::ALL, RefundSpeed::as_str);
        assert!("fast".parse::<RefundSpeed>().is_err());
        assert!("Normal".parse::<RefundSpeed>().is_err());
    }

    #[test]
    fn provider_names_parse_under_their_serialised_names() {
        agree_with_serde(&ProviderName::ALL, ProviderName::as_str);
        assert!("stripe".parse::<ProviderName>().is_err());
        assert!("Razorpay".parse::<ProviderName>().is_err());
    }
}
