//! The offline, deterministic sandbox provider: no account anywhere, no
//! network, no state. Every id it hands out encodes what the sandbox needs
//! to answer later (outcome and amount), and is authenticated with an HMAC,
//! so several server instances agree without sharing memory.
//!
//! Test instruments: see `finvex_core::providers::sandbox::SANDBOX_INSTRUMENTS`.

use async_trait::async_trait;
use finvex_core::money::{Amount, Currency, Money};
use finvex_core::providers::sandbox::{SandboxCheckout, SandboxOutcome, SandboxPayment};
use finvex_core::providers::{
    CreateProviderOrder, CreateProviderRefund, PaymentsCapability, Provider, ProviderError,
    ProviderErrorKind, ProviderName, ProviderOrder, ProviderPayment, ProviderPaymentStatus,
    ProviderRefund, ProviderRefundStatus, RefundsCapability,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

const ORDER_PREFIX: &str = "sbxord_";
const PAYMENT_PREFIX: &str = "sbxpay_";
const REFUND_PREFIX: &str = "sbxrfnd_";

pub struct SandboxProvider {
    /// Signs checkout results and authenticates the ids; per installation.
    key_secret: String,
}

fn error(kind: ProviderErrorKind, message: impl Into<String>) -> ProviderError {
    ProviderError {
        provider: ProviderName::Sandbox,
        kind,
        provider_code: None,
        message: message.into(),
        http_status: None,
    }
}

fn hmac_hex(key: &str, message: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl SandboxProvider {
    pub fn new(key_secret: impl Into<String>) -> Self {
        SandboxProvider {
            key_secret: key_secret.into(),
        }
    }

    fn tag(&self, body: &str) -> String {
        hmac_hex(&self.key_secret, body)[..16].to_string()
    }

    /// `sbxpay_<outcome>_<currency>_<amount>_<nonce>_<tag>`.
    fn decode_payment(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
    ) -> Result<ProviderPayment, ProviderError> {
        let not_found = || {
            error(
                ProviderErrorKind::NotFound,
                format!("no sandbox payment {provider_payment_id}"),
            )
        };
        let body = provider_payment_id
            .strip_prefix(PAYMENT_PREFIX)
            .ok_or_else(not_found)?;
        let (unsigned, tag) = body.rsplit_once('_').ok_or_else(not_found)?;
        let expected = self.tag(&format!("{provider_order_id}|{unsigned}"));
        if !bool::from(expected.as_bytes().ct_eq(tag.as_bytes())) {
            return Err(not_found());
        }
        let parts: Vec<&str> = unsigned.split('_').collect();
        let [outcome, currency, amount, _nonce] = parts.as_slice() else {
            return Err(not_found());
        };
        let currency = Currency::parse(currency).map_err(|_| not_found())?;
        let amount: i64 = amount.parse().map_err(|_| not_found())?;
        let (status, raw, error_code) = match *outcome {
            "s" => (ProviderPaymentStatus::Authorized, "authorized", None),
            "f" => (
                ProviderPaymentStatus::Failed,
                "failed",
                Some("SANDBOX_DECLINED".to_string()),
            ),
            "p" => (ProviderPaymentStatus::Pending, "pending", None),
            _ => return Err(not_found()),
        };
        Ok(ProviderPayment {
            provider: ProviderName::Sandbox,
            provider_payment_id: provider_payment_id.to_string(),
            provider_order_id: provider_order_id.to_string(),
            amount: Money::new(Amount::from_minor(amount), currency),
            status,
            raw_status: raw.into(),
            method: Some("sandbox".into()),
            error_description: error_code
                .as_ref()
                .map(|_| "declined by the sandbox test instrument".to_string()),
            error_code,
            fee_minor: Some(0),
            tax_minor: Some(0),
            created_at: 0,
        })
    }
}

impl SandboxCheckout for SandboxProvider {
    fn pay(
        &self,
        provider_order_id: &str,
        amount: Money,
        outcome: SandboxOutcome,
    ) -> Result<SandboxPayment, ProviderError> {
        if !provider_order_id.starts_with(ORDER_PREFIX) {
            return Err(error(
                ProviderErrorKind::NotFound,
                format!("{provider_order_id} is not a sandbox order"),
            ));
        }
        let code = match outcome {
            SandboxOutcome::Success => "s",
            SandboxOutcome::Failure => "f",
            SandboxOutcome::Pending => "p",
        };
        let nonce = ulid::Ulid::generate().to_string().to_ascii_lowercase();
        let unsigned = format!(
            "{code}_{}_{}_{nonce}",
            amount.currency.code(),
            amount.amount.minor()
        );
        let provider_payment_id = format!(
            "{PAYMENT_PREFIX}{unsigned}_{}",
            self.tag(&format!("{provider_order_id}|{unsigned}"))
        );
        let signature = hmac_hex(
            &self.key_secret,
            &format!("{provider_order_id}|{provider_payment_id}"),
        );
        Ok(SandboxPayment {
            provider_payment_id,
            signature,
            outcome,
        })
    }
}

impl Provider for SandboxProvider {
    fn name(&self) -> ProviderName {
        ProviderName::Sandbox
    }

    fn simulated(&self) -> bool {
        true
    }

    fn payments(&self) -> Option<&dyn PaymentsCapability> {
        Some(self)
    }

    fn refunds(&self) -> Option<&dyn RefundsCapability> {
        Some(self)
    }
}

#[async_trait]
impl PaymentsCapability for SandboxProvider {
    async fn create_order(
        &self,
        request: &CreateProviderOrder,
    ) -> Result<ProviderOrder, ProviderError> {
        Ok(ProviderOrder {
            provider: ProviderName::Sandbox,
            provider_order_id: format!("{ORDER_PREFIX}{}", request.order_id),
            raw_status: "created".into(),
            checkout: serde_json::json!({"sandbox": true, "instruments": ["success@finvex", "failure@finvex", "pending@finvex"]}),
        })
    }

    async fn order_payments(
        &self,
        _provider_order_id: &str,
    ) -> Result<Vec<ProviderPayment>, ProviderError> {
        // Stateless: payments are known from the ids the checkout handed out.
        Ok(Vec::new())
    }

    async fn fetch_payment(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
    ) -> Result<ProviderPayment, ProviderError> {
        self.decode_payment(provider_order_id, provider_payment_id)
    }

    async fn capture(
        &self,
        provider_order_id: &str,
        provider_payment_id: &str,
        amount: Money,
    ) -> Result<ProviderPayment, ProviderError> {
        let mut payment = self.decode_payment(provider_order_id, provider_payment_id)?;
        if payment.status != ProviderPaymentStatus::Authorized {
            return Err(error(
                ProviderErrorKind::InvalidRequest,
                format!(
                    "only an authorized payment can be captured; this one is {}",
                    payment.raw_status
                ),
            ));
        }
        if payment.amount != amount {
            return Err(error(
                ProviderErrorKind::InvalidRequest,
                "the capture amount must equal the authorized amount",
            ));
        }
        payment.status = ProviderPaymentStatus::Captured;
        payment.raw_status = "captured".into();
        Ok(payment)
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
        let expected = hmac_hex(
            &self.key_secret,
            &format!("{provider_order_id}|{provider_payment_id}"),
        );
        Ok(expected
            .as_bytes()
            .ct_eq(signature.trim().as_bytes())
            .into())
    }
}

#[async_trait]
impl RefundsCapability for SandboxProvider {
    async fn refund(
        &self,
        request: &CreateProviderRefund,
    ) -> Result<ProviderRefund, ProviderError> {
        self.decode_payment(&request.provider_order_id, &request.provider_payment_id)?;
        Ok(ProviderRefund {
            provider: ProviderName::Sandbox,
            provider_refund_id: format!("{REFUND_PREFIX}{}", request.refund_id),
            provider_payment_id: request.provider_payment_id.clone(),
            amount: request.amount,
            status: ProviderRefundStatus::Processed,
            raw_status: "processed".into(),
        })
    }

    async fn fetch_refund(
        &self,
        _provider_order_id: &str,
        provider_refund_id: &str,
    ) -> Result<ProviderRefund, ProviderError> {
        Err(error(
            ProviderErrorKind::NotFound,
            format!("the sandbox settles refunds at once; {provider_refund_id} needs no polling"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finvex_core::ids::OrderId;
    use finvex_core::providers::Capability;

    #[test]
    fn the_sandbox_takes_payments_and_refunds_only_and_is_simulated() {
        let sandbox = SandboxProvider::new("k");
        assert_eq!(
            sandbox.capabilities(),
            vec![Capability::Payments, Capability::Refunds]
        );
        assert!(sandbox.simulated());
        assert!(sandbox.settlements().is_none() && sandbox.webhooks().is_none());
    }

    fn order(amount: i64) -> CreateProviderOrder {
        CreateProviderOrder {
            order_id: OrderId::generate(),
            amount: Money::inr(amount),
            receipt: None,
            description: None,
            customer: Default::default(),
            notes: Default::default(),
            idempotency_key: "k".into(),
        }
    }

    #[tokio::test]
    async fn a_paid_sandbox_order_verifies_captures_and_refunds() {
        let sandbox = SandboxProvider::new("sandbox-secret");
        let created = sandbox.create_order(&order(50_000)).await.unwrap();
        let paid = sandbox
            .pay(
                &created.provider_order_id,
                Money::inr(50_000),
                SandboxOutcome::Success,
            )
            .unwrap();
        assert!(sandbox
            .verify_checkout_signature(
                &created.provider_order_id,
                &paid.provider_payment_id,
                &paid.signature
            )
            .unwrap());
        assert!(!sandbox
            .verify_checkout_signature(&created.provider_order_id, &paid.provider_payment_id, "00")
            .unwrap());
        let payment = sandbox
            .fetch_payment(&created.provider_order_id, &paid.provider_payment_id)
            .await
            .unwrap();
        assert_eq!(
            (payment.status, payment.amount),
            (ProviderPaymentStatus::Authorized, Money::inr(50_000))
        );
        let captured = sandbox
            .capture(
                &created.provider_order_id,
                &paid.provider_payment_id,
                Money::inr(50_000),
            )
            .await
            .unwrap();
        assert_eq!(captured.status, ProviderPaymentStatus::Captured);
        assert!(sandbox
            .capture(
                &created.provider_order_id,
                &paid.provider_payment_id,
                Money::inr(1)
            )
            .await
            .is_err());
    }

    #[tokio::test]
    async fn forged_or_foreign_ids_are_unknown() {
        let sandbox = SandboxProvider::new("sandbox-secret");
        let created = sandbox.create_order(&order(100)).await.unwrap();
        let paid = sandbox
            .pay(
                &created.provider_order_id,
                Money::inr(100),
                SandboxOutcome::Failure,
            )
            .unwrap();
        assert_eq!(
            sandbox
                .fetch_payment(&created.provider_order_id, &paid.provider_payment_id)
                .await
                .unwrap()
                .status,
            ProviderPaymentStatus::Failed
        );
        let forged = paid.provider_payment_id.replacen("sbxpay_f", "sbxpay_s", 1);
        assert_eq!(
            sandbox
                .fetch_payment(&created.provider_order_id, &forged)
                .await
                .unwrap_err()
                .kind,
            ProviderErrorKind::NotFound
        );
        let other = SandboxProvider::new("another-secret");
        assert!(other
            .fetch_payment(&created.provider_order_id, &paid.provider_payment_id)
            .await
            .is_err());
        assert!(
            sandbox
                .fetch_payment("sbxord_other", &paid.provider_payment_id)
                .await
                .is_err(),
            "bound to its order"
        );
    }
}
