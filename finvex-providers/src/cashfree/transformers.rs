//! Pure Cashfree PG (API version 2023-08-01) mappings: wire shapes, status
//! tables, the error table, webhook signatures and customer field rules.
//! Amounts are decimal rupees on the wire and go through [`DecimalAmount`],
//! never floats.

use std::collections::BTreeMap;

use base64::Engine as _;
use finvex_core::money::{Currency, Money};
use finvex_core::providers::{
    CustomerDetails, ProviderError, ProviderErrorKind, ProviderName, ProviderPayment,
    ProviderPaymentStatus, ProviderRefund, ProviderRefundStatus, ProviderSettlement,
    ProviderSettlementEntry, ProviderWebhookKind, RefundSpeed, SettlementEntryKind,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::http::{excerpt, hmac_sha256, mac_matches, sha256_hex};
use crate::money::DecimalAmount;
use finvex_core::calendar::parse_timestamp as parse_iso;

const P: ProviderName = ProviderName::Cashfree;

// ---- ids ----

/// A `cf_*` id: a JSON string since 2023-08-01, a number before; kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CfId(pub String);

impl<'de> Deserialize<'de> for CfId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get().trim();
        if text.starts_with('"') {
            serde_json::from_str::<String>(text)
                .map(CfId)
                .map_err(serde::de::Error::custom)
        } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(CfId(text.to_string()))
        } else {
            Err(serde::de::Error::custom(format!(
                "{text} is not a Cashfree id"
            )))
        }
    }
}

// ---- requests ----

#[derive(Debug, Serialize)]
pub(crate) struct CreateOrderBody<'a> {
    pub order_id: &'a str,
    pub order_amount: DecimalAmount,
    pub order_currency: &'a str,
    pub customer_details: CustomerBody,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_note: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub order_tags: &'a BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerBody {
    pub customer_id: String,
    pub customer_phone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RefundBody<'a> {
    pub refund_amount: DecimalAmount,
    pub refund_id: &'a str,
    pub refund_note: String,
    pub refund_speed: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct SettlementSearch {
    pub pagination: Pagination,
    pub filters: SettlementFilters,
}

#[derive(Debug, Serialize)]
pub(crate) struct Pagination {
    pub limit: u32,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SettlementFilters {
    pub start_date: String,
    pub end_date: String,
}

/// `POST /pg/settlement/recon`: the lines of the given settlements.
#[derive(Debug, Serialize)]
pub(crate) struct SettlementReconSearch {
    pub pagination: Pagination,
    pub filters: SettlementReconFilters,
}

#[derive(Debug, Serialize)]
pub(crate) struct SettlementReconFilters {
    /// Numbers in Cashfree's examples; sent as numbers when they are.
    pub cf_settlement_ids: Vec<serde_json::Value>,
}

// ---- responses ----

#[derive(Debug, Deserialize)]
pub(crate) struct Order {
    pub order_id: String,
    pub order_status: String,
    #[serde(default)]
    pub payment_session_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorDetails {
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_description: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Payment {
    pub cf_payment_id: CfId,
    #[serde(default)]
    pub order_id: Option<String>,
    pub payment_amount: DecimalAmount,
    #[serde(default)]
    pub payment_currency: Option<String>,
    pub payment_status: String,
    #[serde(default)]
    pub payment_message: Option<String>,
    #[serde(default)]
    pub payment_group: Option<String>,
    #[serde(default)]
    pub payment_time: Option<String>,
    #[serde(default)]
    pub error_details: Option<ErrorDetails>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Refund {
    pub refund_id: String,
    pub cf_payment_id: CfId,
    pub refund_amount: DecimalAmount,
    #[serde(default)]
    pub refund_currency: Option<String>,
    pub refund_status: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SettlementsPage {
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub data: Vec<Settlement>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Settlement {
    pub cf_settlement_id: CfId,
    pub settlement_amount: DecimalAmount,
    #[serde(default)]
    pub settlement_currency: Option<String>,
    #[serde(default)]
    pub service_charge: Option<DecimalAmount>,
    #[serde(default)]
    pub service_tax: Option<DecimalAmount>,
    #[serde(default)]
    pub transfer_utr: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub transfer_time: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WebhookEnvelope {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub data: WebhookData,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WebhookData {
    #[serde(default)]
    pub order: Option<WebhookOrder>,
    #[serde(default)]
    pub payment: Option<Payment>,
    #[serde(default)]
    pub refund: Option<Refund>,
    #[serde(default)]
    pub error_details: Option<ErrorDetails>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WebhookOrder {
    pub order_id: String,
    #[serde(default)]
    pub order_currency: Option<String>,
}

// ---- status tables ----

/// Cashfree `payment_status` → ours. Cashfree captures automatically, so
/// `SUCCESS` is `Captured`.
pub fn payment_status(raw: &str) -> ProviderPaymentStatus {
    match raw {
        "SUCCESS" => ProviderPaymentStatus::Captured,
        "PENDING" | "NOT_ATTEMPTED" => ProviderPaymentStatus::Pending,
        "FAILED" | "USER_DROPPED" | "CANCELLED" | "VOID" => ProviderPaymentStatus::Failed,
        _ => ProviderPaymentStatus::Pending,
    }
}

/// Cashfree `refund_status` → ours.
pub fn refund_status(raw: &str) -> ProviderRefundStatus {
    match raw {
        "SUCCESS" => ProviderRefundStatus::Processed,
        "CANCELLED" | "FAILED" => ProviderRefundStatus::Failed,
        // PENDING, ONHOLD and anything new.
        _ => ProviderRefundStatus::Pending,
    }
}

/// Cashfree webhook `type` (plus the refund's status) → ours.
pub fn webhook_kind(kind: &str, refund_status_raw: Option<&str>) -> ProviderWebhookKind {
    match (kind, refund_status_raw) {
        ("PAYMENT_SUCCESS_WEBHOOK", _) => ProviderWebhookKind::PaymentCaptured,
        ("PAYMENT_FAILED_WEBHOOK" | "PAYMENT_USER_DROPPED_WEBHOOK", _) => {
            ProviderWebhookKind::PaymentFailed
        }
        ("REFUND_STATUS_WEBHOOK", Some(status)) => match refund_status(status) {
            ProviderRefundStatus::Processed => ProviderWebhookKind::RefundProcessed,
            ProviderRefundStatus::Failed => ProviderWebhookKind::RefundFailed,
            ProviderRefundStatus::Pending => ProviderWebhookKind::Other(kind.to_string()),
        },
        (other, _) => ProviderWebhookKind::Other(other.to_string()),
    }
}

pub fn refund_speed(speed: RefundSpeed) -> &'static str {
    match speed {
        RefundSpeed::Normal => "STANDARD",
        RefundSpeed::Optimum => "INSTANT",
    }
}

// ---- error table ----

/// A non-2xx Cashfree answer (`{"message","code","type"}`) → our error.
///
/// | status / `type` | kind |
/// |---|---|
/// | 5xx (any type) | `Unavailable` (status kept) |
/// | `authentication_error` or 401 | `Authentication` |
/// | `rate_limit_error` or 429 | `RateLimited` |
/// | `api_error` | `Unavailable` |
/// | `idempotency_error` | `InvalidRequest` |
/// | 404 | `NotFound` |
/// | 408 | `Timeout` |
/// | other (`invalid_request_error`, 400, 409, 422) | `InvalidRequest` |
pub fn error_from_response(status: u16, body: &[u8]) -> ProviderError {
    let parsed = serde_json::from_slice::<ErrorBody>(body).unwrap_or_default();
    let kind_text = parsed.kind.as_deref().unwrap_or("");
    let kind = if status >= 500 {
        ProviderErrorKind::Unavailable
    } else if kind_text == "authentication_error" || status == 401 {
        ProviderErrorKind::Authentication
    } else if kind_text == "rate_limit_error" || status == 429 {
        ProviderErrorKind::RateLimited
    } else if kind_text == "api_error" {
        ProviderErrorKind::Unavailable
    } else if kind_text == "idempotency_error" {
        ProviderErrorKind::InvalidRequest
    } else if status == 404 {
        ProviderErrorKind::NotFound
    } else if status == 408 {
        ProviderErrorKind::Timeout
    } else {
        ProviderErrorKind::InvalidRequest
    };
    let message = match (parsed.message.filter(|m| !m.is_empty()), parsed.kind) {
        (Some(message), Some(kind)) => format!("{message} ({kind})"),
        (Some(message), None) => message,
        (None, _) => format!("HTTP {status}: {}", excerpt(body)),
    };
    ProviderError {
        provider: P,
        kind,
        provider_code: parsed.code,
        message,
        http_status: Some(status),
    }
}

// ---- customer rules ----

/// `customer_phone`: exactly 10 digits (the SDK's rule), from E.164 `+91…`,
/// `91…`, `0…` or plain 10-digit input; separators are dropped.
pub fn customer_phone(phone: &str) -> Option<String> {
    let digits: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let national = if let Some(rest) = digits.strip_prefix("+91") {
        rest
    } else if digits.len() == 12 && digits.starts_with("91") {
        &digits[2..]
    } else if digits.len() == 11 && digits.starts_with('0') {
        &digits[1..]
    } else {
        &digits
    };
    (national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()))
        .then(|| national.to_string())
}

/// `customer_id`: 3–50 chars of `[A-Za-z0-9_-]`, stable for one customer:
/// the e-mail (lower-cased) or else the phone, other characters replaced by
/// `_`; longer ids keep a prefix plus a hash so two customers do not collide.
pub fn customer_id(email: Option<&str>, phone: &str) -> String {
    let source = email
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| phone.to_string());
    let sanitized: String = source
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let id = if sanitized.len() > 50 {
        let hash = sha256_hex(&[source.as_bytes()]);
        format!("{}_{}", &sanitized[..33], &hash[..16])
    } else {
        sanitized
    };
    if id.len() < 3 {
        format!("cust_{id}")
    } else {
        id
    }
}

pub fn customer(details: &CustomerDetails) -> Result<CustomerBody, String> {
    let raw_phone = details
        .phone
        .as_deref()
        .ok_or("Cashfree needs the customer's phone number")?;
    let phone = customer_phone(raw_phone).ok_or_else(|| {
        format!("Cashfree needs a 10-digit Indian phone number, got {raw_phone:?}")
    })?;
    Ok(CustomerBody {
        customer_id: customer_id(details.email.as_deref(), &phone),
        customer_phone: phone,
        customer_email: details.email.clone().filter(|e| !e.is_empty()),
        customer_name: details.name.clone().filter(|n| !n.is_empty()),
    })
}

// ---- entity mapping ----

fn currency(raw: Option<&str>) -> Result<Currency, String> {
    match raw {
        None | Some("") => Ok(Currency::INR),
        Some(code) => Currency::parse(code).map_err(|e| format!("unknown currency {code:?}: {e}")),
    }
}

fn amount(value: DecimalAmount, currency: Currency, field: &str) -> Result<Money, String> {
    value
        .to_money(currency)
        .map_err(|e| format!("{field}: {e}"))
}

pub(crate) fn payment(
    p: Payment,
    order_id: &str,
    extra_error: Option<ErrorDetails>,
) -> Result<ProviderPayment, String> {
    let currency = currency(p.payment_currency.as_deref())?;
    let status = payment_status(&p.payment_status);
    let details = p.error_details.or(extra_error).unwrap_or_default();
    let failed = status == ProviderPaymentStatus::Failed;
    Ok(ProviderPayment {
        provider: P,
        provider_payment_id: p.cf_payment_id.0,
        provider_order_id: p
            .order_id
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| order_id.to_string()),
        amount: amount(p.payment_amount, currency, "payment_amount")?,
        status,
        raw_status: p.payment_status,
        method: p.payment_group,
        error_code: details.error_code.filter(|_| failed),
        error_description: details
            .error_description
            .or(p.payment_message)
            .filter(|_| failed),
        fee_minor: None,
        tax_minor: None,
        created_at: p.payment_time.as_deref().and_then(parse_iso).unwrap_or(0),
    })
}

pub(crate) fn refund(r: Refund) -> Result<ProviderRefund, String> {
    let currency = currency(r.refund_currency.as_deref())?;
    Ok(ProviderRefund {
        provider: P,
        provider_refund_id: r.refund_id,
        provider_payment_id: r.cf_payment_id.0,
        amount: amount(r.refund_amount, currency, "refund_amount")?,
        status: refund_status(&r.refund_status),
        raw_status: r.refund_status,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct SettlementReconPage {
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub data: Vec<ReconEvent>,
}

/// One line of a settlement's recon; amounts in decimal rupees.
#[derive(Debug, Deserialize)]
pub(crate) struct ReconEvent {
    pub event_id: CfId,
    pub event_type: String,
    /// `CREDIT` adds to the payout, `DEBIT` is deducted.
    pub sale_type: String,
    pub event_amount: DecimalAmount,
    #[serde(default)]
    pub event_currency: Option<String>,
    #[serde(default)]
    pub cf_payment_id: Option<CfId>,
    #[serde(default)]
    pub refund_id: Option<String>,
    #[serde(default)]
    pub payment_service_charge: Option<DecimalAmount>,
    #[serde(default)]
    pub payment_service_tax: Option<DecimalAmount>,
    #[serde(default)]
    pub cf_settlement_id: Option<CfId>,
}

pub(crate) fn settlement_entry(e: ReconEvent) -> Result<ProviderSettlementEntry, String> {
    let currency = currency(e.event_currency.as_deref())?;
    let minor = |value: Option<DecimalAmount>, field: &str| -> Result<i64, String> {
        value
            .map(|v| amount(v, currency, field).map(|m| m.amount.minor()))
            .unwrap_or(Ok(0))
    };
    let payment_id = e.cf_payment_id.map(|id| id.0);
    let (kind, entity_id) = match e.event_type.as_str() {
        "PAYMENT" => (
            SettlementEntryKind::Payment,
            payment_id.clone().unwrap_or_else(|| e.event_id.0.clone()),
        ),
        "REFUND" => (
            SettlementEntryKind::Refund,
            e.refund_id.clone().unwrap_or_else(|| e.event_id.0.clone()),
        ),
        _ => (SettlementEntryKind::Adjustment, e.event_id.0.clone()),
    };
    let provider_payment_id = match kind {
        SettlementEntryKind::Payment => Some(entity_id.clone()),
        _ => payment_id,
    };
    Ok(ProviderSettlementEntry {
        kind,
        provider_entity_id: entity_id,
        provider_payment_id,
        amount: amount(e.event_amount, currency, "event_amount")?,
        credit: e.sale_type.eq_ignore_ascii_case("CREDIT"),
        fee_minor: minor(e.payment_service_charge, "payment_service_charge")?,
        tax_minor: minor(e.payment_service_tax, "payment_service_tax")?,
    })
}

/// `service_charge` is the fee without GST and `service_tax` the GST on it.
pub(crate) fn settlement(s: Settlement) -> Result<ProviderSettlement, String> {
    let currency = currency(s.settlement_currency.as_deref())?;
    let minor = |value: Option<DecimalAmount>, field: &str| -> Result<i64, String> {
        value
            .map(|v| amount(v, currency, field).map(|m| m.amount.minor()))
            .unwrap_or(Ok(0))
    };
    Ok(ProviderSettlement {
        provider: P,
        provider_settlement_id: s.cf_settlement_id.0,
        amount: amount(s.settlement_amount, currency, "settlement_amount")?,
        fees_minor: minor(s.service_charge, "service_charge")?,
        tax_minor: minor(s.service_tax, "service_tax")?,
        utr: s.transfer_utr.filter(|u| !u.is_empty()),
        raw_status: s.status.unwrap_or_default(),
        created_at: s.transfer_time.as_deref().and_then(parse_iso).unwrap_or(0),
    })
}

// ---- signatures ----

/// base64(HMAC-SHA256(client secret, timestamp + raw body)).
pub fn webhook_signature(client_secret: &str, timestamp: &str, raw_body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(
        client_secret.as_bytes(),
        &[timestamp.as_bytes(), raw_body],
    ))
}

/// Constant-time check of a received base64 signature.
pub fn webhook_signature_matches(
    client_secret: &str,
    timestamp: &str,
    raw_body: &[u8],
    received: &str,
) -> bool {
    let Ok(received) = base64::engine::general_purpose::STANDARD.decode(received.trim()) else {
        return false;
    };
    let expected = hmac_sha256(client_secret.as_bytes(), &[timestamp.as_bytes(), raw_body]);
    mac_matches(&expected, &received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_signature_vector() {
        let body = br#"{"type":"PAYMENT_SUCCESS_WEBHOOK","data":{}}"#;
        assert_eq!(
            webhook_signature("cf_test_secret", "1746427759733", body),
            "UP2FdrH1YmleAELRDX64/qAZgqF4TLynBImEb+D7w+s="
        );
        assert!(webhook_signature_matches(
            "cf_test_secret",
            "1746427759733",
            body,
            "UP2FdrH1YmleAELRDX64/qAZgqF4TLynBImEb+D7w+s="
        ));
        assert!(!webhook_signature_matches(
            "cf_test_secret",
            "1746427759734",
            body,
            "UP2FdrH1YmleAELRDX64/qAZgqF4TLynBImEb+D7w+s="
        ));
        assert!(!webhook_signature_matches(
            "cf_test_secret",
            "1746427759733",
            body,
            "%%%"
        ));
    }

    #[test]
    fn status_tables() {
        use ProviderPaymentStatus as S;
        for (raw, ours) in [
            ("SUCCESS", S::Captured),
            ("PENDING", S::Pending),
            ("NOT_ATTEMPTED", S::Pending),
            ("FAILED", S::Failed),
            ("USER_DROPPED", S::Failed),
            ("CANCELLED", S::Failed),
            ("VOID", S::Failed),
            ("FLAGGED", S::Pending),
        ] {
            assert_eq!(payment_status(raw), ours, "{raw}");
        }
        use ProviderRefundStatus as R;
        for (raw, ours) in [
            ("SUCCESS", R::Processed),
            ("PENDING", R::Pending),
            ("ONHOLD", R::Pending),
            ("CANCELLED", R::Failed),
            ("FAILED", R::Failed),
        ] {
            assert_eq!(refund_status(raw), ours, "{raw}");
        }
        use ProviderWebhookKind as K;
        assert_eq!(
            webhook_kind("PAYMENT_SUCCESS_WEBHOOK", None),
            K::PaymentCaptured
        );
        assert_eq!(
            webhook_kind("PAYMENT_FAILED_WEBHOOK", None),
            K::PaymentFailed
        );
        assert_eq!(
            webhook_kind("PAYMENT_USER_DROPPED_WEBHOOK", None),
            K::PaymentFailed
        );
        assert_eq!(
            webhook_kind("REFUND_STATUS_WEBHOOK", Some("SUCCESS")),
            K::RefundProcessed
        );
        assert_eq!(
            webhook_kind("REFUND_STATUS_WEBHOOK", Some("CANCELLED")),
            K::RefundFailed
        );
        assert_eq!(
            webhook_kind("REFUND_STATUS_WEBHOOK", Some("PENDING")),
            K::Other("REFUND_STATUS_WEBHOOK".into())
        );
        assert_eq!(
            webhook_kind("SETTLEMENT_WEBHOOK", None),
            K::Other("SETTLEMENT_WEBHOOK".into())
        );
    }

    #[test]
    fn error_table() {
        use ProviderErrorKind::*;
        let body = |kind: &str, code: &str| {
            format!(r#"{{"message":"m","code":"{code}","type":"{kind}"}}"#).into_bytes()
        };
        let cases = [
            (
                400,
                body("invalid_request_error", "order_amount_invalid"),
                InvalidRequest,
            ),
            (
                401,
                body("authentication_error", "request_failed"),
                Authentication,
            ),
            (
                404,
                body("invalid_request_error", "order_not_found"),
                NotFound,
            ),
            (
                409,
                body("invalid_request_error", "order_already_exists"),
                InvalidRequest,
            ),
            (
                422,
                body("idempotency_error", "idempotency_error"),
                InvalidRequest,
            ),
            (429, body("rate_limit_error", "request_failed"), RateLimited),
            (500, body("api_error", "internal_error"), Unavailable),
            (
                502,
                body("api_error", "bank_processing_failure"),
                Unavailable,
            ),
            (503, b"Service Unavailable".to_vec(), Unavailable),
            (400, body("api_error", "x"), Unavailable),
            (408, Vec::new(), Timeout),
        ];
        for (status, raw, kind) in cases {
            let error = error_from_response(status, &raw);
            assert_eq!(
                error.kind,
                kind,
                "{status} {}",
                String::from_utf8_lossy(&raw)
            );
            assert_eq!(error.http_status, Some(status));
        }
        let error =
            error_from_response(400, &body("invalid_request_error", "order_amount_invalid"));
        assert_eq!(error.provider_code.as_deref(), Some("order_amount_invalid"));
        assert_eq!(error.message, "m (invalid_request_error)");
    }

    #[test]
    fn customer_rules() {
        assert_eq!(
            customer_phone("+919876543210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(
            customer_phone("+91 98765-43210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(
            customer_phone("919876543210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(customer_phone("09876543210").as_deref(), Some("9876543210"));
        assert_eq!(customer_phone("9876543210").as_deref(), Some("9876543210"));
        assert_eq!(customer_phone("+14155550100"), None);
        assert_eq!(customer_phone("98765"), None);
        assert_eq!(
            customer_id(Some("Asha.K+pay@Example.com"), "9876543210"),
            "asha_k_pay_example_com"
        );
        assert_eq!(customer_id(None, "9876543210"), "9876543210");
        assert_eq!(customer_id(Some("a@b"), "1"), "a_b");
        assert_eq!(customer_id(Some("a"), "1"), "cust_a");
        let long = format!("{}@example.com", "x".repeat(60));
        let id = customer_id(Some(&long), "9876543210");
        assert_eq!(id.len(), 50);
        assert_ne!(
            id,
            customer_id(
                Some(&format!("{}@example.org", "x".repeat(60))),
                "9876543210"
            )
        );
        for id in [id, customer_id(Some("ü@ü.in"), "1")] {
            assert!((3..=50).contains(&id.len()));
            assert!(id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        }
        assert!(customer(&CustomerDetails::default()).is_err());
    }

    #[test]
    fn payment_mapping_reads_decimal_rupees_exactly() {
        let p: Payment = serde_json::from_str(
            r#"{"cf_payment_id":"5114910253373","order_id":"o1","entity":"payment","payment_amount":499.05,
                "payment_currency":"INR","payment_status":"SUCCESS","payment_group":"upi",
                "payment_time":"2023-08-11T18:02:46+05:30","is_captured":true}"#,
        )
        .unwrap();
        let mapped = payment(p, "fallback", None).unwrap();
        assert_eq!(mapped.amount, Money::inr(49_905));
        assert_eq!(mapped.status, ProviderPaymentStatus::Captured);
        assert_eq!(mapped.provider_order_id, "o1");
        assert_eq!(mapped.created_at, 1_691_757_166);
        // Pre-2023-08-01 numeric ids still read.
        let p: Payment = serde_json::from_str(
            r#"{"cf_payment_id":12345,"payment_amount":"1","payment_status":"FAILED",
                "error_details":{"error_code":"TRANSACTION_DECLINED","error_description":"bank declined"}}"#,
        )
        .unwrap();
        let mapped = payment(p, "o2", None).unwrap();
        assert_eq!(mapped.provider_payment_id, "12345");
        assert_eq!(mapped.provider_order_id, "o2");
        assert_eq!(mapped.error_code.as_deref(), Some("TRANSACTION_DECLINED"));
        let bad: Payment = serde_json::from_str(
            r#"{"cf_payment_id":"1","payment_amount":1.005,"payment_status":"SUCCESS"}"#,
        )
        .unwrap();
        assert!(payment(bad, "o", None).is_err());
    }
}
