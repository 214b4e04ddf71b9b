use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{OrderId, PaymentId, RefundId};
use crate::money::{Amount, Currency};
use crate::payments::state::{OrderStatus, PaymentStatus};
use crate::providers::{CustomerDetails, ProviderName, ProviderRefundStatus, RefundSpeed};
use crate::{Error, Mode};

/// `POST /v1/orders`, the seed's body plus notes and an optional provider.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrder {
    pub amount: i64,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub receipt: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub customer: Option<CustomerDetails>,
    #[serde(default)]
    pub notes: Option<BTreeMap<String, String>>,
    /// Skip routing and use this provider.
    #[serde(default)]
    pub provider: Option<ProviderName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoutingAttempt {
    pub provider: ProviderName,
    pub provider_order_id: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrderRouting {
    pub provider: ProviderName,
    pub reason: String,
    pub attempts: Vec<RoutingAttempt>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Order {
    pub id: OrderId,
    pub entity: String,
    pub amount: Amount,
    pub currency: Currency,
    pub amount_paid: Amount,
    pub amount_due: Amount,
    pub receipt: Option<String>,
    pub description: Option<String>,
    pub customer: CustomerDetails,
    pub notes: BTreeMap<String, String>,
    pub status: OrderStatus,
    pub mode: Mode,
    pub provider: ProviderName,
    pub provider_order_id: String,
    pub routing: OrderRouting,
    /// What the browser needs to open the provider's checkout.
    pub checkout: serde_json::Value,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Payment {
    pub id: PaymentId,
    pub entity: String,
    pub order_id: OrderId,
    pub amount: Amount,
    pub currency: Currency,
    pub status: PaymentStatus,
    pub method: Option<String>,
    pub provider: ProviderName,
    pub provider_payment_id: String,
    /// Refunds processed so far.
    pub amount_refunded: Amount,
    pub error_code: Option<String>,
    pub error_description: Option<String>,
    /// Provider fee and GST on it, when known.
    pub fee: Option<Amount>,
    pub tax: Option<Amount>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Pending,
    Processed,
    Failed,
}

/// What a provider's report of a refund means for ours.
impl From<ProviderRefundStatus> for RefundStatus {
    fn from(status: ProviderRefundStatus) -> RefundStatus {
        match status {
            ProviderRefundStatus::Processed => RefundStatus::Processed,
            ProviderRefundStatus::Failed => RefundStatus::Failed,
            ProviderRefundStatus::Pending => RefundStatus::Pending,
        }
    }
}

impl RefundStatus {
    pub const ALL: [RefundStatus; 3] = [
        RefundStatus::Pending,
        RefundStatus::Processed,
        RefundStatus::Failed,
    ];

    /// The stored name, the same as the serialised one.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Pending => "pending",
            RefundStatus::Processed => "processed",
            RefundStatus::Failed => "failed",
        }
    }
}

impl std::str::FromStr for RefundStatus {
    type Err = Error;

    fn from_str(raw: &str) -> Result<RefundStatus, Error> {
        RefundStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| Error::Internal(format!("unknown refund status {raw:?}")))
    }
}

#[derive(Debug, Clone, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRefund {
    /// Minor units; the whole unrefunded amount when absent.
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub speed: Option<RefundSpeed>,
    #[serde(default)]
    pub notes: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Refund {
    pub id: RefundId,
    pub entity: String,
    pub payment_id: PaymentId,
    pub amount: Amount,
    pub currency: Currency,
    pub status: RefundStatus,
    pub speed: RefundSpeed,
    pub notes: BTreeMap<String, String>,
    pub provider_refund_id: Option<String>,
    pub error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `POST /v1/orders/:id/verify` answers with the seed's `verified` flag.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct VerifyResult {
    pub verified: bool,
    pub order_id: OrderId,
    pub payment: Option<Payment>,
    pub reason: Option<String>,
}

/// What the sandbox checkout hands the browser.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SandboxPayResult {
    pub order_id: OrderId,
    /// The provider's payment id, as a real checkout's handler receives it.
    pub payment_id: String,
    pub signature: String,
    pub status: PaymentStatus,
}

/// What a browser (checkout.js, a hosted page) needs to open the provider's
/// checkout for one unpaid order, asked for with the publishable key.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckoutSession {
    pub entity: &'static str,
    pub order_id: OrderId,
    pub mode: Mode,
    pub amount: Amount,
    pub currency: Currency,
    pub status: OrderStatus,
    pub provider: ProviderName,
    /// The provider's checkout parameters (its public key id and order id,
    /// or its payment session id): nothing secret.
    pub checkout: serde_json::Value,
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::RefundStatus;

    #[test]
    fn refund_statuses_parse_under_their_serialised_names() {
        for status in RefundStatus::ALL {
            let name = status.as_str();
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::Value::from(name)
            );
            assert_eq!(
                serde_json::from_value::<RefundStatus>(serde_json::Value::from(name)).unwrap(),
                status
            );
            assert_eq!(name.parse::<RefundStatus>().unwrap(), status);
        }
        assert!("refunded".parse::<RefundStatus>().is_err());
    }
}
