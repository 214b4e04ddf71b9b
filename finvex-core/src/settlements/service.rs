//! Syncing settlements from the providers and reading them back.
//!
//! A merchant's own account's settlements are all the merchant's. An
//! installation-wide account pays out for every merchant on it, so one of
//! its settlements is shown to a merchant only when every line of it is
//! that merchant's (a single-merchant installation): no merchant ever sees
//! another's payments or totals.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{reconcile, Settlement, SettlementEntry};
use crate::clock::Clock;
use crate::ids::SettlementId;
use crate::money::Amount;
use crate::pagination::{Collection, ListParams};
use crate::providers::{
    ProviderGateway, ProviderSettlement, ProviderSettlementEntry, SettlementEntryKind,
    SettlementsCapability,
};
use crate::store::Store;
use crate::{Error, Scope};

/// The last second of the year 9999: the latest time a range may name.
const MAX_UNIX_SECS: i64 = 253_402_300_799;

/// The longest window one sync may ask the providers about.
pub const MAX_SYNC_RANGE_SECS: i64 = 31 * 86_400;

/// `POST /v1/settlements/sync`: unix seconds; defaults to the last 7 days.
#[derive(Debug, Clone, Copy, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncRange {
    #[serde(default)]
    pub from: Option<i64>,
    #[serde(default)]
    pub to: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SettlementSyncReport {
    pub entity: &'static str,
    pub from: i64,
    pub to: i64,
    /// Settlements stored or refreshed.
    pub synced: usize,
    /// Installation-account settlements that carry other merchants' lines.
    pub skipped: usize,
    /// Providers that could not be asked (named with the reason).
    pub errors: Vec<String>,
}

/// How often one tenant may make the installation's (shared) accounts list
/// their settlements.
pub const INSTALLATION_SYNC_EVERY_SECS: i64 = 15 * 60;

/// Settlements (seed: "Settlements"): synced from every provider serving a
/// merchant that reports them, matched to our payments and refunds.
pub struct SettlementsService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    gateway: Arc<ProviderGateway>,
}

impl SettlementsService {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        gateway: Arc<ProviderGateway>,
    ) -> Self {
        SettlementsService {
            store,
            clock,
            gateway,
        }
    }

    /// Fetches the settlements created in the range from every real
    /// provider serving this merchant, matches their lines to our payments
    /// and refunds, reconciles them and stores them.
    pub async fn sync_settlements(
        &self,
        scope: &Scope,
        range: &SyncRange,
    ) -> Result<SettlementSyncReport, Error> {
        let now = self.clock.now().unix_secs();
        for (field, value) in [("from", range.from), ("to", range.to)] {
            if value.is_some_and(|v| !(0..=MAX_UNIX_SECS).contains(&v)) {
                return Err(Error::validation(
                    field,
                    format!("{field} must be unix seconds between 0 and {MAX_UNIX_SECS}"),
                ));
            }
        }
        let to = range.to.unwrap_or(now);
        let from = range.from.unwrap_or(to.saturating_sub(7 * 86_400));
        if from > to || to - from > MAX_SYNC_RANGE_SECS {
            return Err(Error::validation(
                "from",
                format!(
                    "from must be before to, at most {} days apart",
                    MAX_SYNC_RANGE_SECS / 86_400
                ),
            ));
        }
        let mut report = SettlementSyncReport {
            entity: "settlement_sync",
            from,
            to,
            ..SettlementSyncReport::default()
        };
        let resolved = self.gateway.resolve(scope).await?;
        let mut installation_checked = None;
        for provider in &resolved.providers {
            let Some(settlements) = provider.settlements() else {
                continue;
            };
            let own = resolved.own.contains(&provider.name());
            if !own {
                let allowed = match installation_checked {
                    Some(allowed) => allowed,
                    None => *installation_checked
                        .insert(self.installation_sync_allowed(scope, now).await?),
                };
                if !allowed {
                    report.errors.push(format!(
                        "{}: the installation's account is synced at most once every {} minutes per merchant; try again later",
                        provider.name().as_str(),
                        INSTALLATION_SYNC_EVERY_SECS / 60
                    ));
                    continue;
                }
            }
            let found = match settlements.list_settlements(from, to).await {
                Ok(found) => found,
                Err(e) => {
                    report
                        .errors
                        .push(format!("{}: {}", provider.name().as_str(), e.message));
                    continue;
                }
            };
            for reported in found {
                match self.sync_one(scope, settlements, &reported, own, now).await {
                    Ok(true) => report.synced += 1,
                    Ok(false) => report.skipped += 1,
                    Err(e) => report.errors.push(format!(
                        "{} {}: {e}",
                        provider.name().as_str(),
                        reported.provider_settlement_id
                    )),
                }
            }
        }
        Ok(report)
    }

    /// The installation's account serves every tenant: each may make it list
    /// its settlements (up to 50 pages) only so often, counted in the
    /// database so every instance agrees.
    async fn installation_sync_allowed(&self, scope: &Scope, now: i64) -> Result<bool, Error> {
        let bucket = format!("settlement-sync:{}:{}", scope.merchant_id, scope.mode);
        // Named by the minute the window ends (rate-limit windows count in
        // minutes and are purged once two minutes old).
        let window = (now.div_euclid(INSTALLATION_SYNC_EVERY_SECS) + 1)
            * (INSTALLATION_SYNC_EVERY_SECS / 60);
        Ok(self
            .store
            .rate_window_take(&bucket, window, 1)
            .await?
            .current
            == 1)
    }

    /// `false` when the settlement is not this merchant's to see.
    async fn sync_one(
        &self,
        scope: &Scope,
        provider: &dyn SettlementsCapability,
        reported: &ProviderSettlement,
        own: bool,
        now: i64,
    ) -> Result<bool, Error> {
        let lines = provider
            .settlement_entries(reported)
            .await
            .map_err(|e| Error::Unavailable(e.to_string()))?;
        let mut entries = Vec::with_capacity(lines.len());
        for line in lines {
            if line.amount.currency != reported.amount.currency {
                return Err(Error::Internal(format!(
                    "a {} line in a {} settlement",
                    line.amount.currency, reported.amount.currency
                )));
            }
            entries.push(self.matched_entry(scope, reported, line).await?);
        }
        if !own && (entries.is_empty() || entries.iter().any(|e| !e.matched)) {
            return Ok(false);
        }
        let settlement = Settlement {
            id: SettlementId::generate(),
            entity: "settlement".into(),
            mode: scope.mode,
            provider: reported.provider,
            provider_settlement_id: reported.provider_settlement_id.clone(),
            amount: reported.amount.amount,
            currency: reported.amount.currency,
            fees: Amount::from_minor(reported.fees_minor),
            tax: Amount::from_minor(reported.tax_minor),
            utr: reported.utr.clone(),
            status: reported.raw_status.clone(),
            settled_at: reported.created_at,
            reconciliation: reconcile(reported.amount.amount, &entries)?,
            entries,
            created_at: now,
            updated_at: now,
        };
        self.store.upsert_settlement(scope, &settlement).await?;
        Ok(true)
    }

    /// One settlement line, matched to our payment or refund in this tenant.
    async fn matched_entry(
        &self,
        scope: &Scope,
        reported: &ProviderSettlement,
        line: ProviderSettlementEntry,
    ) -> Result<SettlementEntry, Error> {
        let payment = match &line.provider_payment_id {
            Some(id) => {
                self.store
                    .payment_by_provider_id(scope, reported.provider, id)
                    .await?
            }
            None => None,
        };
        let refund = match line.kind {
            SettlementEntryKind::Refund => {
                self.store
                    .refund_by_provider_id(scope, &line.provider_entity_id)
                    .await?
            }
            _ => None,
        };
        let matched = match line.kind {
            SettlementEntryKind::Payment | SettlementEntryKind::Adjustment => payment.is_some(),
            SettlementEntryKind::Refund => refund.is_some(),
        };
        Ok(SettlementEntry {
            kind: line.kind,
            provider_entity_id: line.provider_entity_id,
            provider_payment_id: line.provider_payment_id,
            payment_id: payment
                .map(|p| p.id)
                .or_else(|| refund.as_ref().map(|r| r.payment_id.clone())),
            refund_id: refund.map(|r| r.id),
            amount: line.amount.amount,
            credit: line.credit,
            fee: Amount::from_minor(line.fee_minor),
            tax: Amount::from_minor(line.tax_minor),
            matched,
        })
    }

    pub async fn settlement(&self, scope: &Scope, id: &str) -> Result<Settlement, Error> {
        let parsed = SettlementId::parse(id).map_err(|_| Error::not_found("settlement", id))?;
        self.store
            .settlement(scope, &parsed)
            .await?
            .ok_or_else(|| Error::not_found("settlement", id))
    }

    pub async fn list_settlements(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Collection<Settlement>, Error> {
        Ok(Collection::new(
            self.store.list_settlements(scope, params).await?,
        ))
    }
}
