//! Orders (seed: "Orders").

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finvex_core::orders::{CreateOrder, Order};
use finvex_core::pagination::{Collection, ListParams, ListQuery};

use crate::http::access::{Access, Doc, Route};
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
            .doc(
                Doc::new("Create an order")
                    .describe("Routed to the best provider, failing over when one cannot create it. Pass `Idempotency-Key` to make retries safe.")
                    .body::<CreateOrder>()
                    .returns::<Order>(201)
                    .example(|| serde_json::json!({"amount": 50000, "currency": "INR", "description": "Pro Plan", "customer": {"name": "Anil Kumar", "email": "anil@example.com", "phone": "+919876543210"}})),
            )
            .get(list)
            .doc(
                Doc::new("List orders")
                    .query::<ListQuery>()
                    .returns::<Collection<Order>>(200),
            ),
        Route::new("/v1/orders/{id}", Access::Merchant)
            .get(get)
            .doc(Doc::new("Retrieve an order").returns::<Order>(200)),
    ]
}
