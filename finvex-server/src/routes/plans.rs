//! Plans (seed: "Subscriptions: create recurring billing plans").

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::plans::{NewPlan, Plan};
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// `GET /v1/plans`: a page, optionally of one status.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    pub count: Option<u32>,
    pub skip: Option<u32>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, inclusive.
    pub to: Option<i64>,
    /// `active` or `archived`.
    #[schemars(extend("enum" = ["active", "archived"]))]
    pub status: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<NewPlan>,
) -> ApiResult<(StatusCode, Json<Plan>)> {
    let plan = state.plans.create(&principal.scope(), &body).await?;
    Ok((StatusCode::CREATED, Json(plan)))
}

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<PlanQuery>,
) -> ApiResult<Json<Collection<Plan>>> {
    let page = ListParams::parse(&ListQuery {
        count: query.count,
        skip: query.skip,
        from: query.from,
        to: query.to,
    })?;
    Ok(Json(
        state
            .plans
            .list(&principal.scope(), query.status.as_deref(), &page)
            .await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Plan>> {
    Ok(Json(state.plans.get(&principal.scope(), &id).await?))
}

pub async fn archive(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Plan>> {
    Ok(Json(state.plans.archive(&principal.scope(), &id).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/plans", Access::Merchant)
            .post(create)
            .doc(
                Doc::new("Create a plan")
                    .describe("What a subscription bills every `interval_count` × `interval` (daily, weekly, monthly, quarterly, half_yearly, yearly; at most a year per cycle, the longest UPI AutoPay frequency). `amount` is in paise per cycle and unit; `gst` sets the cycle invoice's rate, HSN/SAC code and whether `amount` includes GST (default: included, at the merchant's GST settings). A plan never changes once made: a new price is a new plan, and `/archive` stops an old one taking subscribers.")
                    .body::<NewPlan>()
                    .returns::<Plan>(201)
                    .example(|| serde_json::json!({"name": "Pro", "amount": 99900, "interval": "monthly"})),
            )
            .get(list)
            .doc(
                Doc::new("List plans")
                    .describe("Newest first; `status` keeps the active or the archived ones.")
                    .query::<PlanQuery>()
                    .returns::<Collection<Plan>>(200),
            ),
        Route::new("/v1/plans/{id}", Access::Merchant)
            .get(get)
            .doc(Doc::new("Retrieve a plan").returns::<Plan>(200)),
        Route::new("/v1/plans/{id}/archive", Access::Merchant)
            .post(archive)
            .doc(
                Doc::new("Archive a plan")
                    .describe("The plan keeps its subscribers and takes no new ones; archiving again answers the plan unchanged.")
                    .returns::<Plan>(200),
            ),
    ]
}
