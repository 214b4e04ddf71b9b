use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::webhooks::{
    CreatedEndpoint, Delivery, DeliveryWithAttempts, TestDelivery, WebhookEndpoint,
};
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    url: String,
    /// Event names, or `"*"` / `["*"]` (the default) for every event.
    events: Option<Subscriptions>,
    description: Option<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
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
            .doc(Doc::new("Create a webhook endpoint").describe("The signing secret is shown once; `events` takes names from GET /v1/events/types, or \"*\".").body::<CreateBody>().returns::<CreatedEndpoint>(201).example(|| serde_json::json!({"url": "https://example.com/webhooks/finvex", "events": ["payment.captured", "refund.processed"]})))
            .get(list)
            .doc(Doc::new("List webhook endpoints").query::<ListQuery>().returns::<Collection<WebhookEndpoint>>(200)),
        Route::new("/v1/webhooks/{id}", Access::Merchant)
            .delete(delete)
            .doc(Doc::new("Delete a webhook endpoint").describe("Its pending deliveries are cancelled.").returns::<WebhookEndpoint>(200)),
        Route::new("/v1/webhooks/{id}/test", Access::Merchant)
            .post(test)
            .doc(Doc::new("Send a test event now").returns::<TestDelivery>(200)),
        Route::new("/v1/webhooks/{id}/rotate-secret", Access::Merchant)
            .post(rotate_secret)
            .doc(Doc::new("Rotate the signing secret").describe("The old secret keeps signing X-Finvex-Signature-Previous for 24 h.").returns::<CreatedEndpoint>(200)),
        Route::new("/v1/webhooks/{id}/deliveries", Access::Merchant)
            .get(deliveries)
            .doc(Doc::new("List an endpoint's deliveries").query::<ListQuery>().returns::<Collection<Delivery>>(200)),
        Route::new(
            "/v1/webhooks/{id}/deliveries/{delivery_id}",
            Access::Merchant,
        )
        .get(delivery)
        .doc(Doc::new("Retrieve a delivery with its attempts").returns::<DeliveryWithAttempts>(200)),
        Route::new(
            "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
            Access::Merchant,
        )
        .post(retry)
        .doc(Doc::new("Queue a delivery again now").returns::<Delivery>(200)),
    ]
}
