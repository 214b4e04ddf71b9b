//! Settlements: synced from the providers and reconciled with our payments.

use axum::extract::{Path, State};
use axum::Json;
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::settlements::{Settlement, SettlementSyncReport, SyncRange};

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiQuery, OptionalJson};
use crate::state::AppState;

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<Settlement>>> {
    let params = ListParams::parse(&query)?;
    Ok(Json(
        state
            .settlements
            .list_settlements(&principal.scope(), &params)
            .await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Settlement>> {
    Ok(Json(
        state
            .settlements
            .settlement(&principal.scope(), &id)
            .await?,
    ))
}

/// `POST /v1/settlements/sync`: asks the providers now (the worker also does, hourly).
pub async fn sync(
    State(state): State<AppState>,
    Caller(principal): Caller,
    OptionalJson(body): OptionalJson<SyncRange>,
) -> ApiResult<Json<SettlementSyncReport>> {
    Ok(Json(
        state
            .settlements
            .sync_settlements(&principal.scope(), &body)
            .await?,
    ))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/settlements", Access::Merchant)
            .get(list)
            .doc(
                Doc::new("List settlements")
                    .query::<ListQuery>()
                    .returns::<Collection<Settlement>>(200),
            ),
        Route::new("/v1/settlements/sync", Access::Merchant)
            .post(sync)
            .doc(
                Doc::new("Sync settlements from the providers now")
                    .describe("`from`/`to` are unix seconds, at most 31 days apart (default: the last 7 days). A worker also syncs hourly for every merchant with its own account; the installation's shared account is asked at most once every 15 minutes per merchant, and a settlement of a shared account is shown only to a merchant whose payments make up all of it.")
                    .optional_body::<SyncRange>()
                    .returns::<SettlementSyncReport>(200),
            ),
        Route::new("/v1/settlements/{id}", Access::Merchant)
            .get(get)
            .doc(
                Doc::new("Retrieve a settlement with its lines and reconciliation")
                    .returns::<Settlement>(200),
            ),
    ]
}
