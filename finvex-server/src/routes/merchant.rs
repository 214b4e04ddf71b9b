use axum::extract::State;
use axum::Json;
use finvex_core::merchants::Merchant;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::state::AppState;

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> ApiResult<Json<Merchant>> {
    Ok(Json(state.auth.merchant(&principal).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![Route::new("/v1/merchant", Access::Merchant)
        .get(get)
        .doc(Doc::new("The authenticated merchant").returns::<Merchant>(200))]
}
