//! The offline sandbox's customer side, as a contract: in test mode,
//! `POST /v1/sandbox/orders/:id/pay` plays the customer at checkout with a
//! test instrument and gets back exactly what a real checkout hands the
//! browser (payment id and signature).

use serde::{Deserialize, Serialize};

use super::ProviderError;
use crate::money::Money;

/// What the customer "did" at the sandbox checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SandboxOutcome {
    Success,
    Failure,
    Pending,
}

/// Test instruments, as Razorpay and Stripe document theirs.
pub const SANDBOX_INSTRUMENTS: &[(&str, SandboxOutcome)] = &[
    ("success@finvex", SandboxOutcome::Success),
    ("failure@finvex", SandboxOutcome::Failure),
    ("pending@finvex", SandboxOutcome::Pending),
    ("4111111111111111", SandboxOutcome::Success),
    ("4000000000000002", SandboxOutcome::Failure),
    ("4000000000009995", SandboxOutcome::Pending),
];

pub fn instrument_outcome(instrument: &str) -> Option<SandboxOutcome> {
    let normalized: String = instrument
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    SANDBOX_INSTRUMENTS
        .iter()
        .find(|(name, _)| *name == normalized)
        .map(|(_, outcome)| *outcome)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxPayment {
    pub provider_payment_id: String,
    pub signature: String,
    pub outcome: SandboxOutcome,
}

/// The sandbox's checkout, implemented beside the sandbox provider.
pub trait SandboxCheckout: Send + Sync {
    fn pay(
        &self,
        provider_order_id: &str,
        amount: Money,
        outcome: SandboxOutcome,
    ) -> Result<SandboxPayment, ProviderError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instruments_are_recognised_loosely() {
        assert_eq!(
            instrument_outcome("success@finvex"),
            Some(SandboxOutcome::Success)
        );
        assert_eq!(
            instrument_outcome("4000 0000 0000 0002"),
            Some(SandboxOutcome::Failure)
        );
        assert_eq!(
            instrument_outcome("PENDING@finvex"),
            Some(SandboxOutcome::Pending)
        );
        assert_eq!(instrument_outcome("someone@okhdfc"), None);
    }
}
