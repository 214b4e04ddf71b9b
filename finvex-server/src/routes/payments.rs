//! Payments (seed: "Payments"): the checkout's answer verified, captures,
//! and the test-mode sandbox checkout.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use finvex_core::orders::{CheckoutSession, Payment, SandboxPayResult, VerifyResult};
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

#[derive(Deserialize, schemars::JsonSchema)]
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

#[derive(Deserialize, schemars::JsonSchema)]
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

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutSessionBody {
    order_id: String,
}

/// checkout.js, with the publishable key: what it needs to open the
/// provider's checkout for one of the merchant's unpaid orders.
pub async fn checkout_session(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<CheckoutSessionBody>,
) -> ApiResult<(StatusCode, Json<CheckoutSession>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .payments
                .checkout_session(&principal.scope(), &body.order_id)
                .await?,
        ),
    ))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/orders/{id}/verify", Access::Merchant)
            .post(verify)
            .doc(
                Doc::new("Verify a payment after checkout")
                    .describe("Checks the checkout's signature, confirms the payment with the provider, captures it and marks the order paid. Idempotent.")
                    .body::<VerifyBody>()
                    .returns::<VerifyResult>(200),
            ),
        Route::new("/v1/checkout/sessions", Access::Checkout)
            .post(checkout_session)
            .doc(
                Doc::new("Open a checkout for an unpaid order")
                    .describe("For checkout.js and hosted pages, with the publishable key.")
                    .body::<CheckoutSessionBody>()
                    .returns::<CheckoutSession>(201),
            ),
        Route::new("/v1/sandbox/orders/{id}/pay", Access::Merchant)
            .post(sandbox_pay)
            .doc(
                Doc::new("Pay an order at the sandbox checkout (test mode)")
                    .body::<SandboxPayBody>()
                    .returns::<SandboxPayResult>(200)
                    .example(|| serde_json::json!({"instrument": "success@finvex"})),
            ),
        Route::new("/v1/payments", Access::Merchant)
            .get(list_payments)
            .doc(
                Doc::new("List payments")
                    .query::<ListQuery>()
                    .returns::<Collection<Payment>>(200),
            ),
        Route::new("/v1/payments/{id}", Access::Merchant)
            .get(get_payment)
            .doc(Doc::new("Retrieve a payment").returns::<Payment>(200)),
        Route::new("/v1/payments/{id}/capture", Access::Merchant)
            .post(capture)
            .doc(Doc::new("Capture an authorized payment").returns::<Payment>(200)),
    ]
}
