//! Plans: what a subscription bills, every `interval_count` × `interval`.
//! A plan never changes once made (its subscribers were promised its
//! price): a new price is a new plan, and an old plan is archived so it
//! takes no new subscribers.
//!
//! - `rules`: the pure checks of a new plan.
//! - `service`: [`PlansService`]: create, read, list, archive.
//! - `sql`: [`PlanStore`] on the SQL store.

pub mod rules;
mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use std::collections::BTreeMap;

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use service::PlansService;

use crate::ids::PlanId;
use crate::money::Currency;
use crate::pagination::ListParams;
use crate::subscriptions::{BillingCycle, Interval};
use crate::{Error, Mode, Scope};

/// `POST /v1/plans`, e.g. `{"name":"Pro","amount":99900,"interval":"monthly"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    /// At most 100 characters.
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Per cycle and unit, in the currency's minor unit (paise).
    pub amount: i64,
    /// Default `INR`.
    #[serde(default)]
    pub currency: Option<String>,
    pub interval: Interval,
    /// Bill every `interval_count` intervals (default 1; at most a year's worth).
    #[serde(default)]
    pub interval_count: Option<u16>,
    /// How the cycle's GST invoice is issued (default: the merchant's GST settings).
    #[serde(default)]
    pub gst: Option<PlanGstInput>,
    /// Up to 15 keys, each key and value at most 256 characters.
    #[serde(default)]
    pub notes: Option<BTreeMap<String, String>>,
}

/// A plan's GST treatment as asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanGstInput {
    /// Combined rate in percent (a GST slab); default the merchant's default rate.
    #[schemars(with = "Option<finvex_gst::GstRate>")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub rate: Option<Decimal>,
    /// SAC/HSN code of what the plan sells; default the merchant's `default_hsn_code`.
    #[serde(default)]
    pub hsn_code: Option<String>,
    /// Whether `amount` includes GST (default true: the customer pays `amount`).
    #[serde(default)]
    pub tax_inclusive: Option<bool>,
}

/// A plan's GST treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanGst {
    /// `None`: the merchant's default rate when the invoice is issued.
    #[schemars(with = "Option<finvex_gst::GstRate>")]
    pub rate: Option<finvex_gst::GstRate>,
    pub hsn_code: Option<String>,
    pub tax_inclusive: bool,
}

/// `active` takes subscribers; `archived` keeps its subscribers and takes no new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Active,
    Archived,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Active => "active",
            PlanStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            "active" => Ok(PlanStatus::Active),
            "archived" => Ok(PlanStatus::Archived),
            other => Err(Error::validation(
                "status",
                format!("status is active or archived, not {other:?}"),
            )),
        }
    }
}

/// A plan as checked, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPlan {
    pub name: String,
    pub description: Option<String>,
    pub amount_minor: i64,
    pub currency: Currency,
    pub cycle: BillingCycle,
    pub gst: PlanGst,
    pub notes: BTreeMap<String, String>,
}

/// A stored plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Plan {
    pub id: PlanId,
    pub entity: &'static str,
    pub mode: Mode,
    pub name: String,
    pub description: Option<String>,
    /// Minor units (paise) per cycle and unit.
    pub amount: i64,
    pub currency: Currency,
    pub interval: Interval,
    pub interval_count: u16,
    pub gst: PlanGst,
    pub status: PlanStatus,
    pub notes: BTreeMap<String, String>,
    /// Unix seconds.
    pub created_at: i64,
    pub archived_at: Option<i64>,
}

#[async_trait]
pub trait PlanStore: Send + Sync {
    async fn insert_plan(
        &self,
        scope: &Scope,
        id: &PlanId,
        plan: &ValidPlan,
        now_secs: i64,
    ) -> Result<Plan, Error>;
    async fn plan_by_id(&self, scope: &Scope, id: &PlanId) -> Result<Option<Plan>, Error>;
    async fn list_plans(
        &self,
        scope: &Scope,
        status: Option<PlanStatus>,
        params: &ListParams,
    ) -> Result<Vec<Plan>, Error>;
    /// Archives an active plan (the first archive's time is kept); `None`
    /// when the plan does not exist in this scope.
    async fn archive_plan(
        &self,
        scope: &Scope,
        id: &PlanId,
        now_secs: i64,
    ) -> Result<Option<Plan>, Error>;
}
