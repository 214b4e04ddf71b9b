use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use finvex_core::auth::{Session, SignedUp};
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::state::AppState;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupBody {
    name: String,
    email: String,
    password: String,
}

pub async fn signup(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SignupBody>,
) -> ApiResult<(StatusCode, Json<SignedUp>)> {
    let signed_up = state
        .auth
        .signup(&body.name, &body.email, &body.password)
        .await?;
    Ok((StatusCode::CREATED, Json(signed_up)))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Json<Session>> {
    Ok(Json(state.auth.login(&body.email, &body.password).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/auth/signup", Access::Public).post(signup).doc(Doc::new("Sign up a merchant").describe("Test mode only until the operator verifies the merchant.").body::<SignupBody>().returns::<SignedUp>(201).example(|| serde_json::json!({"name": "Acme", "email": "founder@acme.in", "password": "correct horse battery"}))),
        Route::new("/v1/auth/login", Access::Public).post(login).doc(Doc::new("Log in: a dashboard session").body::<LoginBody>().returns::<Session>(200)),
    ]
}
