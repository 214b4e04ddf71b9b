//! Smart routing rules.

use axum::extract::State;
use axum::Json;
use finvex_core::routing::RoutingConfig;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::state::AppState;

pub async fn routing_rules(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> ApiResult<Json<RoutingConfig>> {
    Ok(Json(state.routing.routing_rules(&principal.scope()).await?))
}

pub async fn set_routing_rules(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<RoutingConfig>,
) -> ApiResult<Json<RoutingConfig>> {
    Ok(Json(
        state
            .routing
            .set_routing_rules(&principal.scope(), &body)
            .await?,
    ))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![Route::new("/v1/routing/rules", Access::Merchant)
        .get(routing_rules)
        .doc(Doc::new("The merchant's routing rules").returns::<RoutingConfig>(200))
        .put(set_routing_rules)
        .doc(
            Doc::new("Replace the routing rules")
                .describe("The first rule that applies decides; healthy providers always come first.")
                .body::<RoutingConfig>()
                .returns::<RoutingConfig>(200)
                .example(|| serde_json::json!({"rules": [{"type": "amount_threshold", "min_amount": 1000000, "providers": ["razorpay"]}, {"type": "success_rate"}]})),
        )]
}
