//! Orders, payments, refunds and the test-mode sandbox checkout.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finvex_core::orders::{
    CreateOrder, CreateRefund, Order, Payment, Refund, SandboxPayResult, VerifyResult,
};
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::payments::routing::RoutingConfig;
use serde::Deserialize;

use crate::http::access::{Access, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{parse_json, ApiJson, ApiQuery};
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
                .payments
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
            .payments
            .list_orders(&principal.scope(), &ListParams::parse(&query)?)
            .await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Order>> {
    Ok(Json(state.payments.order(&principal.scope(), &id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    payment_id: String,
    signature: Option<String>,
    /// Accepted so the checkout handler's whole response can be forwarded.
    #[serde(default)]
    #[allow(dead_code)]
    order_id: Option<String>,
}

pub async fn verify(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VerifyBody>,
) -> ApiResult<Json<VerifyResult>> {
    Ok(Json(
        state
            .payments
            .verify(
                &principal.scope(),
                &id,
                &body.payment_id,
                body.signature.as_deref(),
            )
            .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxPayBody {
    instrument: String,
}

pub async fn sandbox_pay(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SandboxPayBody>,
) -> ApiResult<Json<SandboxPayResult>> {
    Ok(Json(
        state
            .payments
            .sandbox_pay(&principal.scope(), &id, &body.instrument)
            .await?,
    ))
}

pub async fn list_payments(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<Payment>>> {
    Ok(Json(
        state
            .payments
            .list_payments(&principal.scope(), &ListParams::parse(&query)?)
            .await?,
    ))
}

pub async fn get_payment(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Payment>> {
    Ok(Json(state.payments.payment(&principal.scope(), &id).await?))
}

pub async fn capture(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Payment>> {
    Ok(Json(state.payments.capture(&principal.scope(), &id).await?))
}

/// The body is optional: an empty one refunds the whole remaining amount.
pub async fn refund(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Refund>)> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let body: CreateRefund = if body.iter().all(u8::is_ascii_whitespace) {
        CreateRefund::default()
    } else {
        parse_json(&body)?
    };
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .payments
                .create_refund(&principal.scope(), &id, &body, key)
                .await?,
        ),
    ))
}

pub async fn list_refunds(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<Refund>>> {
    Ok(Json(
        state
            .payments
            .list_refunds(&principal.scope(), &ListParams::parse(&query)?)
            .await?,
    ))
}

pub async fn get_refund(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Refund>> {
    Ok(Json(state.payments.refund(&principal.scope(), &id).await?))
}

pub async fn routing_rules(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> ApiResult<Json<RoutingConfig>> {
    Ok(Json(
        state.payments.routing_rules(&principal.scope()).await?,
    ))
}

pub async fn set_routing_rules(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<RoutingConfig>,
) -> ApiResult<Json<RoutingConfig>> {
    Ok(Json(
        state
            .payments
            .set_routing_rules(&principal.scope(), &body)
            .await?,
    ))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/orders", Access::Merchant)
            .post(create)
            .get(list),
        Route::new("/v1/orders/{id}", Access::Merchant).get(get),
        Route::new("/v1/orders/{id}/verify", Access::Merchant).post(verify),
        Route::new("/v1/routing/rules", Access::Merchant)
            .get(routing_rules)
            .put(set_routing_rules),
        Route::new("/v1/sandbox/orders/{id}/pay", Access::Merchant).post(sandbox_pay),
        Route::new("/v1/payments", Access::Merchant).get(list_payments),
        Route::new("/v1/payments/{id}", Access::Merchant).get(get_payment),
        Route::new("/v1/payments/{id}/capture", Access::Merchant).post(capture),
        Route::new("/v1/payments/{id}/refund", Access::Merchant).post(refund),
        Route::new("/v1/refunds", Access::Merchant).get(list_refunds),
        Route::new("/v1/refunds/{id}", Access::Merchant).get(get_refund),
    ]
}
