use axum::extract::{Path, State};
use axum::Json;
use finvex_core::events::{catalogue, Event, EventTypeInfo};
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
) -> ApiResult<Json<Collection<Event>>> {
    let params = ListParams::parse(&query)?;
    Ok(Json(
        state
            .webhooks
            .list_events(&principal.scope(), &params)
            .await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Event>> {
    Ok(Json(state.webhooks.event(&principal.scope(), &id).await?))
}

/// `GET /v1/events/types`: the event catalogue (what endpoints may subscribe to).
pub async fn types(Caller(_principal): Caller) -> Json<Collection<EventTypeInfo>> {
    Json(Collection::new(catalogue()))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/events", Access::Merchant).get(list).doc(
            Doc::new("List events")
                .query::<ListQuery>()
                .returns::<Collection<Event>>(200),
        ),
        Route::new("/v1/events/types", Access::Merchant)
            .get(types)
            .doc(Doc::new("The event catalogue").returns::<Collection<EventTypeInfo>>(200)),
        Route::new("/v1/events/{id}", Access::Merchant)
            .get(get)
            .doc(Doc::new("Retrieve an event, as delivered").returns::<Event>(200)),
    ]
}
