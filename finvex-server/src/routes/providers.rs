//! Merchants' own provider accounts, the sandbox's key, and the webhooks the
//! providers send (authenticated by their signature on the raw body).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finvex_core::ids::MerchantId;
use finvex_core::pagination::Collection;
use finvex_core::providers::accounts::{AccountView, CredentialsInput};
use finvex_core::providers::ProviderName;
use finvex_core::providers::SandboxCredentials;
use finvex_core::{Error, Mode, Scope};

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::state::AppState;

/// A provider that takes accounts and webhooks (not the sandbox).
fn real_provider(raw: &str) -> Result<ProviderName, Error> {
    match raw {
        "razorpay" => Ok(ProviderName::Razorpay),
        "cashfree" => Ok(ProviderName::Cashfree),
        other => Err(Error::not_found("provider", other)),
    }
}

fn lowercase_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_ascii_lowercase(), v.to_string()))
        })
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> ApiResult<Json<Collection<AccountView>>> {
    Ok(Json(
        state.gateway.provider_accounts(&principal.scope()).await?,
    ))
}

/// `PUT /v1/providers/:provider/credentials` for the caller's mode.
pub async fn set(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(provider): Path<String>,
    ApiJson(body): ApiJson<CredentialsInput>,
) -> ApiResult<Json<AccountView>> {
    let provider = real_provider(&provider)?;
    Ok(Json(
        state
            .gateway
            .set_provider_account(&principal, provider, &body)
            .await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(provider): Path<String>,
) -> ApiResult<StatusCode> {
    let provider = real_provider(&provider)?;
    state
        .gateway
        .delete_provider_account(&principal, provider)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn sandbox(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> ApiResult<Json<SandboxCredentials>> {
    Ok(Json(state.gateway.sandbox_credentials(&principal.scope())?))
}

/// `POST /v1/providers/:provider/webhook`: the installation's accounts.
pub async fn webhook(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<serde_json::Value>> {
    let outcome = state
        .provider_webhooks
        .handle_provider_webhook(
            real_provider(&provider)?,
            &lowercase_headers(&headers),
            &body,
        )
        .await?;
    Ok(Json(serde_json::json!({"status": outcome})))
}

/// `POST /v1/providers/:provider/webhook/:merchant_id/:mode`: a merchant's
/// own account, verified with that merchant's webhook secret.
pub async fn merchant_webhook(
    State(state): State<AppState>,
    Path((provider, merchant_id, mode)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<serde_json::Value>> {
    let provider = real_provider(&provider)?;
    let unknown = || Error::not_found("merchant", merchant_id.as_str());
    let scope = Scope::new(
        MerchantId::parse(&merchant_id).map_err(|_| unknown())?,
        Mode::parse(&mode).map_err(|_| unknown())?,
    );
    let outcome = state
        .provider_webhooks
        .handle_merchant_provider_webhook(&scope, provider, &lowercase_headers(&headers), &body)
        .await?;
    Ok(Json(serde_json::json!({"status": outcome})))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/providers/credentials", Access::Merchant)
            .get(list)
            .doc(
                Doc::new("The merchant's connected provider accounts")
                    .returns::<Collection<AccountView>>(200),
            ),
        // Where the merchant's money goes: never with an API key.
        Route::new("/v1/providers/{provider}/credentials", Access::Dashboard)
            .put(set)
            .doc(
                Doc::new("Connect the merchant's own provider account")
                    .describe("Checked with the provider, sealed at rest, never shown again.")
                    .body::<CredentialsInput>()
                    .returns::<AccountView>(200),
            )
            .delete(delete)
            .doc(Doc::new("Disconnect the merchant's own provider account").no_content(204)),
        Route::new("/v1/sandbox/credentials", Access::Merchant)
            .get(sandbox)
            .doc(
                Doc::new("This merchant's sandbox key secret (test mode)")
                    .returns::<SandboxCredentials>(200),
            ),
        Route::new("/v1/providers/{provider}/webhook", Access::ProviderSigned)
            .post(webhook)
            .doc(Doc::new("A webhook from the installation's provider account").describe("Point the provider's dashboard here. Verified on the raw body, de-duplicated by event id, applied forward-only (a late payment.authorized never undoes a capture); answers {\"status\": \"processed\" | \"duplicate\" | \"ignored\"}.")),
        Route::new(
            "/v1/providers/{provider}/webhook/{merchant_id}/{mode}",
            Access::ProviderSigned,
        )
        .post(merchant_webhook)
        .doc(Doc::new("A webhook from a merchant's own provider account").describe("Verified with that merchant's secret; it can only touch that merchant's orders, and a payment it reports is fetched from the provider before it is applied.")),
    ]
}
