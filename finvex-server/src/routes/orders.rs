//! Orders (seed: "Orders").

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finvex_core::orders::{CreateOrder, Order};
use finvex_core::pagination::{Collection, ListParams, ListQuery};

use crate::http::access::{Access, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateOrder>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .orders
                .create_order(&principal.scope(), &body, key)
                .await?,
        ),
    ))
}

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<Order>>> {
    Ok(Json(
        state
            .orders
            .list_orders(&principal.scope(), &ListParams::parse(&query)?)
            .await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Order>> {
    Ok(Json(state.orders.order(&principal.scope(), &id).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/orders", Access::Merchant)
            .post(create)
            .get(list),
        Route::new("/v1/orders/{id}", Access::Merchant).get(get),
    ]
}
