//! A tenant's background jobs, with their progress.

use axum::extract::{Path, State};
use axum::Json;
use finvex_core::jobs::JobView;
use finvex_core::pagination::{Collection, ListParams, ListQuery};

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::ApiQuery;
use crate::state::AppState;

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<JobView>>> {
    let params = ListParams::parse(&query)?;
    Ok(Json(state.jobs.list(&principal.scope(), &params).await?))
}

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(state.jobs.job(&principal.scope(), &id).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/jobs", Access::Merchant).get(list).doc(
            Doc::new("List background jobs")
                .describe("The merchant's jobs in this mode (the hourly settlements.sync today), with attempts, progress and the last error; finished jobs are kept 7 days.")
                .query::<ListQuery>()
                .returns::<Collection<JobView>>(200),
        ),
        Route::new("/v1/jobs/{id}", Access::Merchant)
            .get(get)
            .doc(Doc::new("Retrieve a job, with its progress").returns::<JobView>(200)),
    ]
}
