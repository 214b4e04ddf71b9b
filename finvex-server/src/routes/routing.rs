//! Smart routing rules.

use axum::extract::State;
use axum::Json;
use finvex_core::routing::RoutingConfig;

use crate::http::access::{Access, Route};
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
        .put(set_routing_rules)]
}
