//! Providers: the provider-neutral contract every adapter implements, split
//! by capability (`contract`); the one way to reach a provider (`gateway`:
//! which accounts serve a tenant, circuit breakers, merchants' own
//! credentials); circuit breaking (`health`); and the sandbox's customer side.
//! The orders, payments, refunds, settlements and provider-webhook services
//! build on the gateway.

pub mod accounts;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod accounts_sql;
pub mod contract;
pub mod gateway;
pub mod health;

pub use gateway::{ProviderGateway, ProviderRegistry, SandboxCredentials};
pub mod sandbox;

pub use contract::{
    capability, Capability, CreateProviderOrder, CreateProviderRefund, CustomerDetails,
    PaymentsCapability, Provider, ProviderError, ProviderErrorKind, ProviderName, ProviderOrder,
    ProviderPayment, ProviderPaymentStatus, ProviderRefund, ProviderRefundStatus,
    ProviderSettlement, ProviderSettlementEntry, ProviderWebhook, ProviderWebhookKind, RefundSpeed,
    RefundsCapability, SettlementEntryKind, SettlementsCapability, WebhooksCapability,
};
