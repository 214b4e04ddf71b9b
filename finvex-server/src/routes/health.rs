use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::http::access::{Access, Doc, Route};
use crate::http::error::ApiResult;
use crate::state::AppState;

/// Liveness: the process answers.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the store answers too.
pub async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    state.store.ping().await?;
    Ok(Json(
        json!({"status": "ready", "store": state.store.engine()}),
    ))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/healthz", Access::Probe)
            .get(healthz)
            .doc(Doc::new("Liveness")),
        Route::new("/readyz", Access::Probe)
            .get(readyz)
            .doc(Doc::new("Readiness: the store answers")),
    ]
}
