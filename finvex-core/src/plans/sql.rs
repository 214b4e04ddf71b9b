use async_trait::async_trait;

use super::{Plan, PlanGst, PlanStatus, PlanStore, ValidPlan};
use crate::ids::PlanId;
use crate::money::Currency;
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row, SqlValue};
use crate::store::SqlStore;
use crate::subscriptions::Interval;
use crate::{Error, Scope};

const COLUMNS: &str = "plan_id, mode, name, description, amount_minor, currency, \
    billing_interval, interval_count, gst, status, notes, created_at, archived_at";

fn plan_from_row(row: &Row) -> Result<Plan, Error> {
    let interval: Interval = row
        .text("billing_interval")?
        .parse()
        .map_err(|e| Error::Internal(format!("stored plan interval: {e}")))?;
    Ok(Plan {
        id: PlanId::parse(&row.text("plan_id")?)?,
        entity: "plan",
        mode: row.parsed("mode")?,
        name: row.text("name")?,
        description: row.opt_text("description")?,
        amount: row.int("amount_minor")?,
        currency: Currency::parse(&row.text("currency")?)?,
        interval,
        interval_count: u16::try_from(row.int("interval_count")?)
            .map_err(|_| Error::Internal("stored plan interval_count".into()))?,
        gst: row.json::<PlanGst>("gst")?,
        status: PlanStatus::parse(&row.text("status")?)?,
        notes: row.json("notes")?,
        created_at: row.int("created_at")?,
        archived_at: row.opt_int("archived_at")?,
    })
}

#[async_trait]
impl PlanStore for SqlStore {
    async fn insert_plan(
        &self,
        scope: &Scope,
        id: &PlanId,
        p: &ValidPlan,
        now_secs: i64,
    ) -> Result<Plan, Error> {
        let [merchant, mode] = scope_params(scope);
        self.db
            .execute(
                "INSERT INTO plans (plan_id, merchant_id, mode, name, description, amount_minor,
                     currency, billing_interval, interval_count, gst, status, notes, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, $12)",
                &[
                    id.as_str().into(),
                    merchant,
                    mode,
                    p.name.as_str().into(),
                    p.description.clone().into(),
                    p.amount_minor.into(),
                    p.currency.code().into(),
                    p.cycle.interval().as_str().into(),
                    i64::from(p.cycle.count()).into(),
                    SqlValue::json(&p.gst)?,
                    SqlValue::json(&p.notes)?,
                    now_secs.into(),
                ],
            )
            .await?;
        Ok(Plan {
            id: id.clone(),
            entity: "plan",
            mode: scope.mode,
            name: p.name.clone(),
            description: p.description.clone(),
            amount: p.amount_minor,
            currency: p.currency,
            interval: p.cycle.interval(),
            interval_count: p.cycle.count(),
            gst: p.gst.clone(),
            status: PlanStatus::Active,
            notes: p.notes.clone(),
            created_at: now_secs,
            archived_at: None,
        })
    }

    async fn plan_by_id(&self, scope: &Scope, id: &PlanId) -> Result<Option<Plan>, Error> {
        let [merchant, mode] = scope_params(scope);
        self.db
            .query_opt(
                &format!("SELECT {COLUMNS} FROM plans WHERE merchant_id = $1 AND mode = $2 AND plan_id = $3"),
                &[merchant, mode, id.as_str().into()],
            )
            .await?
            .map(|row| plan_from_row(&row))
            .transpose()
    }

    async fn list_plans(
        &self,
        scope: &Scope,
        status: Option<PlanStatus>,
        params: &ListParams,
    ) -> Result<Vec<Plan>, Error> {
        let mut sql = format!("SELECT {COLUMNS} FROM plans WHERE merchant_id = $1 AND mode = $2");
        let mut values = Vec::from(scope_params(scope));
        if let Some(status) = status {
            values.push(status.as_str().into());
            sql.push_str(&format!(" AND status = ${}", values.len()));
        }
        let (sql, values) = paged(sql, values, params, "created_at", "plan_id");
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(plan_from_row)
            .collect()
    }

    async fn archive_plan(
        &self,
        scope: &Scope,
        id: &PlanId,
        now_secs: i64,
    ) -> Result<Option<Plan>, Error> {
        let [merchant, mode] = scope_params(scope);
        self.db
            .execute(
                "UPDATE plans SET status = 'archived', archived_at = $4
                 WHERE merchant_id = $1 AND mode = $2 AND plan_id = $3 AND status = 'active'",
                &[merchant, mode, id.as_str().into(), now_secs.into()],
            )
            .await?;
        self.plan_by_id(scope, id).await
    }
}
