//! Settlements (seed: "Settlements"): the payouts a provider makes to the
//! merchant's bank, each with its lines (payments in, refunds and
//! adjustments out, the provider's fee and the GST on it), matched to our
//! own payments and refunds and checked to add up.

mod jobs;
mod rules;
mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use jobs::{SettlementSync, SettlementSyncAll};
pub use rules::reconcile;
pub use service::{SettlementSyncReport, SettlementsService, SyncRange, MAX_SYNC_RANGE_SECS};

use crate::ids::{PaymentId, RefundId, SettlementId};
use crate::money::{Amount, Currency};
use crate::pagination::ListParams;
use crate::providers::{ProviderName, SettlementEntryKind};
use crate::{Error, Mode, Scope};

/// One line of a settlement, and what it is in our books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SettlementEntry {
    #[serde(rename = "type")]
    pub kind: SettlementEntryKind,
    pub provider_entity_id: String,
    pub provider_payment_id: Option<String>,
    /// Our payment (payment lines, and refund lines via their payment).
    pub payment_id: Option<PaymentId>,
    /// Our refund (refund lines).
    pub refund_id: Option<RefundId>,
    /// Gross amount of the line, minor units, always positive.
    pub amount: Amount,
    /// True when it adds to the payout.
    pub credit: bool,
    /// The provider's fee on the line and the GST on that fee.
    pub fee: Amount,
    pub tax: Amount,
    /// Whether the line is one of our payments or refunds.
    pub matched: bool,
}

/// Whether a settlement adds up and every line is ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReconciliationStatus {
    /// Every line is ours and amount = payments − refunds − fees − GST.
    Reconciled,
    /// The lines do not add up to the amount paid out.
    AmountMismatch,
    /// Some lines are not payments or refunds we know of.
    UnmatchedEntries,
    /// The provider's report has no lines for this settlement (yet).
    NoEntries,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reconciliation {
    pub status: ReconciliationStatus,
    /// Lines that add to the payout (payments), gross.
    pub credits: Amount,
    /// Lines deducted (refunds, chargebacks, adjustments), gross.
    pub debits: Amount,
    pub fees: Amount,
    /// GST charged on the fees.
    pub tax: Amount,
    /// credits − debits − fees − tax.
    pub expected_amount: Amount,
    /// The amount paid out minus `expected_amount`.
    pub difference: Amount,
    pub matched_entries: usize,
    pub unmatched_entries: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Settlement {
    pub id: SettlementId,
    pub entity: String,
    pub mode: Mode,
    pub provider: ProviderName,
    pub provider_settlement_id: String,
    /// Net amount paid to the bank.
    pub amount: Amount,
    pub currency: Currency,
    /// The provider's fees in this settlement and the GST on them, as it reports them.
    pub fees: Amount,
    pub tax: Amount,
    pub utr: Option<String>,
    /// The provider's own status (`processed`, `SUCCESS`, ...).
    pub status: String,
    /// When the provider created the settlement (unix seconds).
    pub settled_at: i64,
    pub reconciliation: Reconciliation,
    pub entries: Vec<SettlementEntry>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[async_trait]
pub trait SettlementStore: Send + Sync {
    /// Inserts the settlement, or refreshes the stored one with the same
    /// provider settlement id (keeping its id and `created_at`); returns what is stored.
    async fn upsert_settlement(
        &self,
        scope: &Scope,
        settlement: &Settlement,
    ) -> Result<Settlement, Error>;
    async fn settlement(
        &self,
        scope: &Scope,
        id: &SettlementId,
    ) -> Result<Option<Settlement>, Error>;
    async fn list_settlements(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<Settlement>, Error>;
}

/// The settlement scheduler's list of tenants to sync.
#[async_trait]
pub trait SettlementSystemStore: Send + Sync {
    /// Worker: every merchant and mode with its own provider account.
    async fn scopes_with_provider_accounts(&self, limit: u32) -> Result<Vec<Scope>, Error>;
}
