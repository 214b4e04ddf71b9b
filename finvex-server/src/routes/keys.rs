use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use finvex_core::auth::{ApiKey, CreatedApiKey};
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::Mode;
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Defaults to the session's mode (`X-Finvex-Mode`, default test).
    mode: Option<Mode>,
    name: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<CreateBody>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    let mode = body.mode.unwrap_or(principal.mode);
    let created = state
        .auth
        .create_api_key(&principal, mode, body.name.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListKeysQuery {
    mode: Option<Mode>,
    count: Option<u32>,
    skip: Option<u32>,
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListKeysQuery>,
) -> ApiResult<Json<Collection<ApiKey>>> {
    let params = ListParams::parse(&ListQuery {
        count: query.count,
        skip: query.skip,
        from: query.from,
        to: query.to,
    })?;
    let mode = query.mode.unwrap_or(principal.mode);
    Ok(Json(
        state.auth.list_api_keys(&principal, mode, &params).await?,
    ))
}

pub async fn revoke(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ApiKey>> {
    Ok(Json(state.auth.revoke_api_key(&principal, &id).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/keys", Access::Dashboard)
            .post(create)
            .doc(
                Doc::new("Create an API key")
                    .describe("The secret is shown once.")
                    .body::<CreateBody>()
                    .returns::<CreatedApiKey>(201),
            )
            .get(list)
            .doc(
                Doc::new("List API keys")
                    .query::<ListKeysQuery>()
                    .returns::<Collection<ApiKey>>(200),
            ),
        Route::new("/v1/keys/{id}", Access::Dashboard)
            .delete(revoke)
            .doc(Doc::new("Revoke an API key").returns::<ApiKey>(200)),
    ]
}
