//! The installation's admin API: admin login, the merchants, verification.
//! Admins are created on the server's machine (`finvex-server admin create`).

use axum::extract::{Path, State};
use axum::Json;
use finvex_core::auth::Session;
use finvex_core::merchants::Merchant;
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::AdminCaller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminLoginBody {
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<AdminLoginBody>,
) -> ApiResult<Json<Session>> {
    Ok(Json(state.admin.login(&body.email, &body.password).await?))
}

pub async fn list_merchants(
    State(state): State<AppState>,
    AdminCaller(_admin): AdminCaller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<Merchant>>> {
    Ok(Json(
        state
            .admin
            .list_merchants(&ListParams::parse(&query)?)
            .await?,
    ))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    /// Also let the installation's live provider accounts serve the merchant.
    #[serde(default)]
    installation_accounts: bool,
}

pub async fn verify_merchant(
    State(state): State<AppState>,
    AdminCaller(admin): AdminCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VerifyBody>,
) -> ApiResult<Json<Merchant>> {
    let merchant = state
        .admin
        .verify_merchant(&id, body.installation_accounts)
        .await?;
    tracing::info!(admin = %admin.admin_id, merchant = %merchant.id, "merchant verified");
    Ok(Json(merchant))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/admin/login", Access::Public)
            .post(login)
            .doc(
                Doc::new("Log in as an admin")
                    .body::<AdminLoginBody>()
                    .returns::<Session>(200),
            ),
        Route::new("/v1/admin/merchants", Access::Admin)
            .get(list_merchants)
            .doc(
                Doc::new("List merchants")
                    .query::<ListQuery>()
                    .returns::<Collection<Merchant>>(200),
            ),
        Route::new("/v1/admin/merchants/{id}/verify", Access::Admin)
            .post(verify_merchant)
            .doc(
                Doc::new("Verify a merchant for live mode")
                    .body::<VerifyBody>()
                    .returns::<Merchant>(200),
            ),
    ]
}
