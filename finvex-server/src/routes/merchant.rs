use axum::extract::State;
use axum::Json;
use finvex_core::merchants::Merchant;

use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::state::AppState;

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> ApiResult<Json<Merchant>> {
    Ok(Json(state.auth.merchant(&principal).await?))
}
