//! Refunds (seed: "Refunds").

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finvex_core::orders::{CreateRefund, Refund};
use finvex_core::pagination::{Collection, ListParams, ListQuery};

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiQuery, OptionalJson};
use crate::state::AppState;

/// The body is optional: an empty one refunds the whole remaining amount.
pub async fn refund(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    OptionalJson(body): OptionalJson<CreateRefund>,
) -> ApiResult<(StatusCode, Json<Refund>)> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .refunds
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
            .refunds
            .list_refunds(&principal.scope(), &ListParams::parse(&query)?)
            .await?,
    ))
}

pub async fn get_refund(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Refund>> {
    Ok(Json(state.refunds.refund(&principal.scope(), &id).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/payments/{id}/refund", Access::Merchant)
            .post(refund)
            .doc(
                Doc::new("Refund a payment")
                    .describe("An empty body refunds the whole remaining amount. With `Idempotency-Key` the refund is bound to the key.")
                    .optional_body::<CreateRefund>()
                    .returns::<Refund>(201)
                    .example(|| serde_json::json!({"amount": 10000, "speed": "normal"})),
            ),
        Route::new("/v1/refunds", Access::Merchant)
            .get(list_refunds)
            .doc(
                Doc::new("List refunds")
                    .query::<ListQuery>()
                    .returns::<Collection<Refund>>(200),
            ),
        Route::new("/v1/refunds/{id}", Access::Merchant)
            .get(get_refund)
            .doc(Doc::new("Retrieve a refund").returns::<Refund>(200)),
    ]
}
