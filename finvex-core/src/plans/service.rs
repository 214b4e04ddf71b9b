use std::sync::Arc;

use super::rules::parse_plan;
use super::{NewPlan, Plan, PlanStatus};
use crate::clock::Clock;
use crate::ids::PlanId;
use crate::pagination::{Collection, ListParams};
use crate::store::Store;
use crate::{Error, Scope};

/// A merchant's plans.
pub struct PlansService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl PlansService {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        PlansService { store, clock }
    }

    /// `POST /v1/plans`.
    pub async fn create(&self, scope: &Scope, req: &NewPlan) -> Result<Plan, Error> {
        let valid = parse_plan(req)?;
        self.store
            .insert_plan(
                scope,
                &PlanId::generate(),
                &valid,
                self.clock.now().unix_secs(),
            )
            .await
    }

    pub async fn get(&self, scope: &Scope, id: &str) -> Result<Plan, Error> {
        let parsed = PlanId::parse(id).map_err(|_| Error::not_found("plan", id))?;
        self.store
            .plan_by_id(scope, &parsed)
            .await?
            .ok_or_else(|| Error::not_found("plan", id))
    }

    /// `GET /v1/plans[?status=]`, newest first.
    pub async fn list(
        &self,
        scope: &Scope,
        status: Option<&str>,
        params: &ListParams,
    ) -> Result<Collection<Plan>, Error> {
        let status = status.map(PlanStatus::parse).transpose()?;
        Ok(Collection::new(
            self.store.list_plans(scope, status, params).await?,
        ))
    }

    /// `POST /v1/plans/{id}/archive`: no new subscribers; idempotent.
    pub async fn archive(&self, scope: &Scope, id: &str) -> Result<Plan, Error> {
        let parsed = PlanId::parse(id).map_err(|_| Error::not_found("plan", id))?;
        self.store
            .archive_plan(scope, &parsed, self.clock.now().unix_secs())
            .await?
            .ok_or_else(|| Error::not_found("plan", id))
    }

    /// The plan a new subscription may take: it exists in this scope (another
    /// mode's is unknown here) and is not archived.
    pub async fn subscribable(&self, scope: &Scope, id: &str) -> Result<Plan, Error> {
        let plan = self.get(scope, id).await.map_err(|e| match e {
            Error::NotFound { .. } => Error::validation(
                "plan_id",
                format!("no plan {id} in {} mode", scope.mode.as_str()),
            ),
            other => other,
        })?;
        if plan.status == PlanStatus::Archived {
            return Err(Error::business(
                Some("plan_id"),
                format!("plan {id} is archived and takes no new subscriptions"),
            ));
        }
        Ok(plan)
    }
}
