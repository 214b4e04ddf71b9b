//! Settlement syncs as jobs: a system round (`settlements.sync_all`, once
//! per interval for the installation) enqueues one `settlements.sync` job per
//! merchant with its own provider account; each syncs that tenant's last
//! seven days and can be watched at `GET /v1/jobs`.

use std::sync::Arc;

use async_trait::async_trait;

use super::SettlementsService;
use super::SyncRange;
use crate::clock::Clock;
use crate::jobs::{ClaimedJob, JobHandler, JobOutcome, NewJob};
use crate::store::SystemStore;

/// Merchants one round covers.
pub const SYNC_SCOPES_PER_ROUND: u32 = 10_000;

pub struct SettlementSyncAll {
    pub store: Arc<dyn SystemStore>,
    pub clock: Arc<dyn Clock>,
}

#[async_trait]
impl JobHandler for SettlementSyncAll {
    fn kind(&self) -> &'static str {
        "settlements.sync_all"
    }

    async fn run(&self, job: &ClaimedJob) -> JobOutcome {
        let scopes = match self
            .store
            .scopes_with_provider_accounts(SYNC_SCOPES_PER_ROUND)
            .await
        {
            Ok(scopes) => scopes,
            Err(e) => return JobOutcome::Retry(e.to_string()),
        };
        let now_ms = self.clock.now().unix_millis();
        for scope in scopes {
            // Keyed by this round: a retried round enqueues nobody twice.
            let key = format!(
                "settlements.sync:{}:{}:{}",
                scope.merchant_id, scope.mode, job.id
            );
            let tenant_job = NewJob::new("settlements.sync", serde_json::json!({}), now_ms)
                .unique(key)
                .for_tenant(scope);
            if let Err(e) = self.store.enqueue_job(&tenant_job, now_ms).await {
                return JobOutcome::Retry(e.to_string());
            }
        }
        JobOutcome::Done
    }
}

pub struct SettlementSync {
    pub settlements: Arc<SettlementsService>,
}

#[async_trait]
impl JobHandler for SettlementSync {
    fn kind(&self) -> &'static str {
        "settlements.sync"
    }

    async fn run(&self, job: &ClaimedJob) -> JobOutcome {
        let Some(scope) = &job.scope else {
            return JobOutcome::Fail("a settlement sync needs a tenant".into());
        };
        match self
            .settlements
            .sync_settlements(scope, &SyncRange::default())
            .await
        {
            Ok(report) => {
                if !report.errors.is_empty() {
                    tracing::warn!(merchant = %scope.merchant_id, errors = ?report.errors, "settlement sync incomplete");
                }
                JobOutcome::Done
            }
            Err(e) => JobOutcome::Retry(e.to_string()),
        }
    }
}
