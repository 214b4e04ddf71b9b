//! Payments: the provider-neutral contract every payment provider adapter
//! implements, and the pure rules (routing, circuit breaking) that choose
//! among providers. Orders, payments and refunds services build on these.

pub mod accounts;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod accounts_sql;
pub mod health;
pub mod provider;
pub mod routing;
pub mod sandbox;
pub mod state;

pub use provider::{
    CreateProviderOrder, CreateProviderRefund, CustomerDetails, PaymentProvider, ProviderError,
    ProviderErrorKind, ProviderName, ProviderOrder, ProviderPayment, ProviderPaymentStatus,
    ProviderRefund, ProviderRefundStatus, ProviderSettlement, ProviderSettlementEntry,
    ProviderWebhook, ProviderWebhookKind, RefundSpeed, SettlementEntryKind,
};
