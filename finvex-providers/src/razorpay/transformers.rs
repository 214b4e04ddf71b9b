//! Pure Razorpay mappings: wire shapes, status tables, error table, signatures.
//! No I/O here, so every table is unit-tested against literal payloads.

use std::collections::BTreeMap;

use finvex_core::money::{Amount, Currency, Money};
use finvex_core::providers::{
    ProviderError, ProviderErrorKind, ProviderName, ProviderPayment, ProviderPaymentStatus,
    ProviderRefund, ProviderRefundStatus, ProviderSettlement, ProviderSettlementEntry,
    ProviderWebhookKind, RefundSpeed, SettlementEntryKind,
};
use serde::{Deserialize, Serialize};

use crate::http::{excerpt, hmac_sha256, mac_matches};

const P: ProviderName = ProviderName::Razorpay;

// ---- wire shapes (requests) ----

#[derive(Debug, Serialize)]
pub(crate) struct CreateOrderBody<'a> {
    pub amount: i64,
    pub currency: &'a str,
    pub receipt: &'a str,
    pub notes: &'a BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CaptureBody<'a> {
    pub amount: i64,
    pub currency: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct RefundBody<'a> {
    pub amount: i64,
    pub speed: &'a str,
    pub receipt: &'a str,
    pub notes: &'a BTreeMap<String, String>,
}

// ---- wire shapes (responses) ----

#[derive(Debug, Deserialize)]
pub(crate) struct Order {
    pub id: String,
    pub status: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Payment {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_description: Option<String>,
    /// Razorpay's fee *including* GST.
    #[serde(default)]
    pub fee: Option<i64>,
    /// The GST part of `fee`.
    #[serde(default)]
    pub tax: Option<i64>,
    #[serde(default)]
    pub created_at: i64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Refund {
    pub id: String,
    pub amount: i64,
    pub currency: String,
    pub payment_id: String,
    pub status: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Settlement {
    pub id: String,
    pub amount: i64,
    /// Fees *including* GST.
    #[serde(default)]
    pub fees: i64,
    #[serde(default)]
    pub tax: i64,
    #[serde(default)]
    pub utr: Option<String>,
    pub status: String,
    #[serde(default)]
    pub created_at: i64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Collection<T> {
    pub items: Vec<T>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ErrorDetail {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub step: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WebhookEnvelope {
    pub event: String,
    #[serde(default)]
    pub payload: WebhookPayload,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WebhookPayload {
    #[serde(default)]
    pub payment: Option<Wrapped<Payment>>,
    #[serde(default)]
    pub refund: Option<Wrapped<Refund>>,
    #[serde(default)]
    pub order: Option<Wrapped<Order>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Wrapped<T> {
    pub entity: T,
}

// ---- status tables ----

/// Razorpay payment `status` → ours. `refunded` was captured first (refunds
/// are tracked on their own); `created` has not reached the bank yet.
pub fn payment_status(raw: &str) -> ProviderPaymentStatus {
    match raw {
        "created" => ProviderPaymentStatus::Pending,
        "authorized" => ProviderPaymentStatus::Authorized,
        "captured" | "refunded" => ProviderPaymentStatus::Captured,
        "failed" => ProviderPaymentStatus::Failed,
        // Unknown: never guess success or failure.
        _ => ProviderPaymentStatus::Pending,
    }
}

/// Razorpay refund `status` → ours.
pub fn refund_status(raw: &str) -> ProviderRefundStatus {
    match raw {
        "processed" => ProviderRefundStatus::Processed,
        "failed" => ProviderRefundStatus::Failed,
        _ => ProviderRefundStatus::Pending,
    }
}

/// Razorpay webhook `event` → ours.
pub fn webhook_kind(event: &str) -> ProviderWebhookKind {
    match event {
        "payment.authorized" => ProviderWebhookKind::PaymentAuthorized,
        "payment.captured" => ProviderWebhookKind::PaymentCaptured,
        "payment.failed" => ProviderWebhookKind::PaymentFailed,
        "order.paid" => ProviderWebhookKind::OrderPaid,
        "refund.processed" => ProviderWebhookKind::RefundProcessed,
        "refund.failed" => ProviderWebhookKind::RefundFailed,
        other => ProviderWebhookKind::Other(other.to_string()),
    }
}

pub fn refund_speed(speed: RefundSpeed) -> &'static str {
    match speed {
        RefundSpeed::Normal => "normal",
        RefundSpeed::Optimum => "optimum",
    }
}

// ---- error table ----

/// Where a failed payment's error says the bank, the customer or the network
/// refused it, as opposed to our request being malformed.
fn is_decline(detail: &ErrorDetail) -> bool {
    let by_source = matches!(
        detail.source.as_deref(),
        Some("bank" | "customer" | "issuer" | "gateway" | "network")
    );
    let by_step = detail.step.as_deref() == Some("payment_authorization");
    by_source || by_step
}

/// A non-2xx Razorpay answer → our error. `error.code` is kept as the
/// provider code and `error.description` as the message.
///
/// | status / body | kind |
/// |---|---|
/// | 5xx | `Unavailable` (status kept) |
/// | 429 | `RateLimited` |
/// | 401, or `Authentication failed` | `Authentication` |
/// | 404, or `The id provided does not exist` | `NotFound` |
/// | 408 | `Timeout` |
/// | 4xx `BAD_REQUEST_ERROR` / `GATEWAY_ERROR` whose source is bank, customer, issuer, gateway or network, or whose step is `payment_authorization` | `Declined` |
/// | other 4xx | `InvalidRequest` |
pub fn error_from_response(status: u16, body: &[u8]) -> ProviderError {
    let detail = serde_json::from_slice::<ErrorBody>(body)
        .map(|b| b.error)
        .unwrap_or_default();
    let description = detail.description.clone().unwrap_or_default();
    let kind = if status >= 500 {
        ProviderErrorKind::Unavailable
    } else if status == 429 {
        ProviderErrorKind::RateLimited
    } else if status == 401 || description.eq_ignore_ascii_case("Authentication failed") {
        ProviderErrorKind::Authentication
    } else if status == 404 || description.eq_ignore_ascii_case("The id provided does not exist") {
        ProviderErrorKind::NotFound
    } else if status == 408 {
        ProviderErrorKind::Timeout
    } else if is_decline(&detail) {
        ProviderErrorKind::Declined
    } else {
        ProviderErrorKind::InvalidRequest
    };
    let mut message = if description.is_empty() {
        format!("HTTP {status}: {}", excerpt(body))
    } else {
        description
    };
    if let Some(field) = detail.field.as_deref().filter(|f| !f.is_empty()) {
        message.push_str(&format!(" (field {field})"));
    }
    ProviderError {
        provider: P,
        kind,
        provider_code: detail.code,
        message,
        http_status: Some(status),
    }
}

// ---- entity mapping ----

fn currency(raw: &str) -> Result<Currency, String> {
    Currency::parse(raw).map_err(|e| format!("unknown currency {raw:?}: {e}"))
}

/// A Razorpay payment → ours. `fallback_order_id` is used when the payment
/// carries no `order_id` (it always should for order payments).
pub(crate) fn payment(p: Payment, fallback_order_id: &str) -> Result<ProviderPayment, String> {
    let currency = currency(&p.currency)?;
    let tax = p.tax;
    Ok(ProviderPayment {
        provider: P,
        provider_order_id: p
            .order_id
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| fallback_order_id.to_string()),
        amount: Money::new(Amount::from_minor(p.amount), currency),
        status: payment_status(&p.status),
        raw_status: p.status,
        method: p.method,
        error_code: p.error_code,
        error_description: p.error_description,
        // Normalised: our fee excludes the GST, which is reported apart.
        fee_minor: p.fee.map(|fee| fee - tax.unwrap_or(0)),
        tax_minor: tax,
        created_at: p.created_at,
        provider_payment_id: p.id,
    })
}

pub(crate) fn refund(r: Refund) -> Result<ProviderRefund, String> {
    let currency = currency(&r.currency)?;
    Ok(ProviderRefund {
        provider: P,
        provider_refund_id: r.id,
        provider_payment_id: r.payment_id,
        amount: Money::new(Amount::from_minor(r.amount), currency),
        status: refund_status(&r.status),
        raw_status: r.status,
    })
}

/// One line of `GET /v1/settlements/recon/combined`; numbers may be null.
#[derive(Debug, Deserialize)]
pub(crate) struct ReconItem {
    pub entity_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub credit: Option<i64>,
    #[serde(default)]
    pub debit: Option<i64>,
    pub amount: i64,
    pub currency: String,
    /// Fee *including* GST, as on payments.
    #[serde(default)]
    pub fee: Option<i64>,
    #[serde(default)]
    pub tax: Option<i64>,
    #[serde(default)]
    pub settlement_id: Option<String>,
    #[serde(default)]
    pub payment_id: Option<String>,
}

/// Payments add to the payout and refunds are deducted, whatever their fee;
/// other lines by which side of the ledger they are on.
pub(crate) fn settlement_entry(item: ReconItem) -> Result<ProviderSettlementEntry, String> {
    let currency = currency(&item.currency)?;
    let (kind, payment_id, credit) = match item.kind.as_str() {
        "payment" => (
            SettlementEntryKind::Payment,
            Some(item.entity_id.clone()),
            true,
        ),
        "refund" => (SettlementEntryKind::Refund, item.payment_id, false),
        _ => (
            SettlementEntryKind::Adjustment,
            item.payment_id,
            item.credit.unwrap_or(0) > item.debit.unwrap_or(0),
        ),
    };
    let (fee, tax) = (item.fee.unwrap_or(0), item.tax.unwrap_or(0));
    Ok(ProviderSettlementEntry {
        kind,
        provider_entity_id: item.entity_id,
        provider_payment_id: payment_id,
        amount: Money::new(Amount::from_minor(item.amount.abs()), currency),
        credit,
        fee_minor: fee - tax,
        tax_minor: tax,
    })
}

/// Razorpay settlements are in INR paise; `fees` includes `tax`.
pub(crate) fn settlement(s: Settlement) -> ProviderSettlement {
    ProviderSettlement {
        provider: P,
        provider_settlement_id: s.id,
        amount: Money::inr(s.amount),
        fees_minor: s.fees - s.tax,
        tax_minor: s.tax,
        utr: s.utr.filter(|u| !u.is_empty()),
        raw_status: s.status,
        created_at: s.created_at,
    }
}

// ---- signatures ----

/// Lower-case hex HMAC-SHA256 of `order_id|payment_id` under the key secret.
pub fn checkout_signature(key_secret: &str, order_id: &str, payment_id: &str) -> String {
    hex::encode(hmac_sha256(
        key_secret.as_bytes(),
        &[order_id.as_bytes(), b"|", payment_id.as_bytes()],
    ))
}

/// Lower-case hex HMAC-SHA256 of the raw webhook body under the webhook secret.
pub fn webhook_signature(webhook_secret: &str, raw_body: &[u8]) -> String {
    hex::encode(hmac_sha256(webhook_secret.as_bytes(), &[raw_body]))
}

/// Constant-time check of a hex MAC (either case) against `key` over `parts`.
pub(crate) fn hex_mac_matches(key: &str, parts: &[&[u8]], received_hex: &str) -> bool {
    let Ok(received) = hex::decode(received_hex.trim()) else {
        return false;
    };
    mac_matches(&hmac_sha256(key.as_bytes(), parts), &received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_signature_matches_the_sdk_vector() {
        assert_eq!(
            checkout_signature("key_secret", "fake_order_id", "fake_payment_id"),
            "b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89"
        );
    }

    #[test]
    fn webhook_signature_matches_the_research_vector() {
        assert_eq!(
            webhook_signature("whsec_test", br#"{"event":"payment.captured"}"#),
            "4f463a57dd128675850163391f0311888616d57bccca75c774c9cdb28134f851"
        );
        assert!(hex_mac_matches(
            "whsec_test",
            &[br#"{"event":"payment.captured"}"#],
            "4F463A57DD128675850163391F0311888616D57BCCCA75C774C9CDB28134F851"
        ));
        assert!(!hex_mac_matches("whsec_test", &[b"{}"], "4f46"));
        assert!(!hex_mac_matches("whsec_test", &[b"{}"], "not hex"));
    }

    #[test]
    fn payment_status_table() {
        use ProviderPaymentStatus::*;
        for (raw, ours) in [
            ("created", Pending),
            ("authorized", Authorized),
            ("captured", Captured),
            ("refunded", Captured),
            ("failed", Failed),
            ("something_new", Pending),
        ] {
            assert_eq!(payment_status(raw), ours, "{raw}");
        }
    }

    #[test]
    fn refund_status_and_webhook_tables() {
        assert_eq!(refund_status("pending"), ProviderRefundStatus::Pending);
        assert_eq!(refund_status("processed"), ProviderRefundStatus::Processed);
        assert_eq!(refund_status("failed"), ProviderRefundStatus::Failed);
        assert_eq!(
            webhook_kind("payment.authorized"),
            ProviderWebhookKind::PaymentAuthorized
        );
        assert_eq!(
            webhook_kind("payment.captured"),
            ProviderWebhookKind::PaymentCaptured
        );
        assert_eq!(
            webhook_kind("payment.failed"),
            ProviderWebhookKind::PaymentFailed
        );
        assert_eq!(webhook_kind("order.paid"), ProviderWebhookKind::OrderPaid);
        assert_eq!(
            webhook_kind("refund.processed"),
            ProviderWebhookKind::RefundProcessed
        );
        assert_eq!(
            webhook_kind("refund.failed"),
            ProviderWebhookKind::RefundFailed
        );
        assert_eq!(
            webhook_kind("refund.created"),
            ProviderWebhookKind::Other("refund.created".into())
        );
    }

    fn body(code: &str, description: &str, source: &str, step: &str) -> Vec<u8> {
        serde_json::json!({"error": {"code": code, "description": description, "source": source,
            "step": step, "reason": "x", "metadata": {}, "field": "amount"}})
        .to_string()
        .into_bytes()
    }

    #[test]
    fn error_table() {
        use ProviderErrorKind::*;
        let cases: &[(u16, Vec<u8>, ProviderErrorKind)] = &[
            (
                500,
                body("SERVER_ERROR", "We are facing some trouble", "NA", "NA"),
                Unavailable,
            ),
            (503, b"<html>busy</html>".to_vec(), Unavailable),
            (
                502,
                body(
                    "GATEWAY_ERROR",
                    "bank down",
                    "gateway",
                    "payment_authorization",
                ),
                Unavailable,
            ),
            (
                429,
                body("BAD_REQUEST_ERROR", "Too many requests", "NA", "NA"),
                RateLimited,
            ),
            (
                401,
                body("BAD_REQUEST_ERROR", "Authentication failed", "NA", "NA"),
                Authentication,
            ),
            (
                400,
                body("BAD_REQUEST_ERROR", "Authentication failed", "NA", "NA"),
                Authentication,
            ),
            (
                404,
                body("BAD_REQUEST_ERROR", "not found", "NA", "NA"),
                NotFound,
            ),
            (
                400,
                body(
                    "BAD_REQUEST_ERROR",
                    "The id provided does not exist",
                    "NA",
                    "NA",
                ),
                NotFound,
            ),
            (
                400,
                body(
                    "BAD_REQUEST_ERROR",
                    "The amount is invalid",
                    "business",
                    "payment_initiation",
                ),
                InvalidRequest,
            ),
            (
                400,
                body(
                    "BAD_REQUEST_ERROR",
                    "Payment declined by bank",
                    "bank",
                    "payment_authorization",
                ),
                Declined,
            ),
            (
                400,
                body(
                    "GATEWAY_ERROR",
                    "Payment failed",
                    "customer",
                    "payment_authentication",
                ),
                Declined,
            ),
            (408, Vec::new(), Timeout),
            (
                409,
                body("BAD_REQUEST_ERROR", "conflict", "business", "NA"),
                InvalidRequest,
            ),
        ];
        for (status, raw, kind) in cases {
            let error = error_from_response(*status, raw);
            assert_eq!(
                error.kind,
                *kind,
                "{status} {}",
                String::from_utf8_lossy(raw)
            );
            assert_eq!(error.http_status, Some(*status));
            assert_eq!(error.provider, ProviderName::Razorpay);
        }
        let error = error_from_response(
            400,
            &body(
                "BAD_REQUEST_ERROR",
                "The amount is invalid",
                "business",
                "x",
            ),
        );
        assert_eq!(error.provider_code.as_deref(), Some("BAD_REQUEST_ERROR"));
        assert_eq!(error.message, "The amount is invalid (field amount)");
        let error = error_from_response(503, b"busy");
        assert!(error.certainly_not_applied());
        assert_eq!(error.provider_code, None);
        assert!(error.message.contains("busy"));
    }

    #[test]
    fn entity_mapping_normalises_fees() {
        let p: Payment = serde_json::from_value(serde_json::json!({
            "id": "pay_29QQoUBi66xm2f", "entity": "payment", "amount": 50000, "currency": "INR",
            "status": "captured", "order_id": "order_9A33XWu170gUtm", "method": "upi",
            "fee": 1180, "tax": 180, "created_at": 1_700_000_000, "captured": true,
            "notes": []
        }))
        .unwrap();
        let mapped = payment(p, "ignored").unwrap();
        assert_eq!(mapped.provider_order_id, "order_9A33XWu170gUtm");
        assert_eq!(mapped.amount, Money::inr(50_000));
        assert_eq!(mapped.status, ProviderPaymentStatus::Captured);
        assert_eq!(
            (mapped.fee_minor, mapped.tax_minor),
            (Some(1_000), Some(180))
        );
        let s: Settlement = serde_json::from_value(serde_json::json!({
            "id": "setl_DGlQ1Rj8os78Ec", "entity": "settlement", "amount": 9_881, "status": "processed",
            "fees": 118, "tax": 18, "utr": "1568176960vxp0rj", "created_at": 1_568_176_960
        }))
        .unwrap();
        let mapped = settlement(s);
        assert_eq!((mapped.fees_minor, mapped.tax_minor), (100, 18));
    }
}
