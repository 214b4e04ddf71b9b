use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::webhooks::{
    CreatedEndpoint, Delivery, DeliveryWithAttempts, TestDelivery, WebhookEndpoint,
};
use serde::Deserialize;

use crate::http::access::{Access, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    url: String,
    /// Event names, or `"*"` / `["*"]` (the default) for every event.
    events: Option<Subscriptions>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub enum Subscriptions {
    One(String),
    Many(Vec<String>),
}

pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<CreateBody>,
) -> ApiResult<(StatusCode, Json<CreatedEndpoint>)> {
    let created = state
        .webhooks
        .create_endpoint(
            &principal.scope(),
            &body.url,
            body.events.map(|e| match e {
                Subscriptions::One(name) => vec![name],
                Subscriptions::Many(names) => names,
            }),
            body.description.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<WebhookEndpoint>>> {
    let params = ListParams::parse(&query)?;
    Ok(Json(
        state
            .webhooks
            .list_endpoints(&principal.scope(), &params)
            .await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookEndpoint>> {
    Ok(Json(
        state
            .webhooks
            .delete_endpoint(&principal.scope(), &id)
            .await?,
    ))
}

pub async fn test(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TestDelivery>> {
    Ok(Json(
        state.webhooks.send_test(&principal.scope(), &id).await?,
    ))
}

pub async fn rotate_secret(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CreatedEndpoint>> {
    Ok(Json(
        state
            .webhooks
            .rotate_secret(&principal.scope(), &id)
            .await?,
    ))
}

pub async fn deliveries(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<Delivery>>> {
    let params = ListParams::parse(&query)?;
    Ok(Json(
        state
            .webhooks
            .list_deliveries(&principal.scope(), &id, &params)
            .await?,
    ))
}

pub async fn delivery(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path((id, delivery_id)): Path<(String, String)>,
) -> ApiResult<Json<DeliveryWithAttempts>> {
    Ok(Json(
        state
            .webhooks
            .delivery(&principal.scope(), &id, &delivery_id)
            .await?,
    ))
}

pub async fn retry(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path((id, delivery_id)): Path<(String, String)>,
) -> ApiResult<Json<Delivery>> {
    Ok(Json(
        state
            .webhooks
            .retry_delivery(&principal.scope(), &id, &delivery_id)
            .await?,
    ))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/webhooks", Access::Merchant)
            .post(create)
            .get(list),
        Route::new("/v1/webhooks/{id}", Access::Merchant).delete(delete),
        Route::new("/v1/webhooks/{id}/test", Access::Merchant).post(test),
        Route::new("/v1/webhooks/{id}/rotate-secret", Access::Merchant).post(rotate_secret),
        Route::new("/v1/webhooks/{id}/deliveries", Access::Merchant).get(deliveries),
        Route::new(
            "/v1/webhooks/{id}/deliveries/{delivery_id}",
            Access::Merchant,
        )
        .get(delivery),
        Route::new(
            "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
            Access::Merchant,
        )
        .post(retry),
    ]
}
