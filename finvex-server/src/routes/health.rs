use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

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
