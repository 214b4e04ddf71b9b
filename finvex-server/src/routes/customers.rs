//! Customers: one per person a merchant bills, found by email or phone.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use finvex_core::customers::{Customer, NewCustomer};
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// `GET /v1/customers`: a page, optionally of the customer with this contact.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerQuery {
    pub count: Option<u32>,
    pub skip: Option<u32>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, inclusive.
    pub to: Option<i64>,
    /// Only the customer with this email (case-insensitively).
    pub email: Option<String>,
    /// Only the customer with this phone number.
    pub phone: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<NewCustomer>,
) -> ApiResult<(StatusCode, Json<Customer>)> {
    let customer = state.customers.create(&principal.scope(), &body).await?;
    Ok((StatusCode::CREATED, Json(customer)))
}

pub async fn list(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<Collection<Customer>>> {
    let page = ListParams::parse(&ListQuery {
        count: query.count,
        skip: query.skip,
        from: query.from,
        to: query.to,
    })?;
    Ok(Json(
        state
            .customers
            .list(
                &principal.scope(),
                query.email.as_deref(),
                query.phone.as_deref(),
                &page,
            )
            .await?,
    ))
}

pub async fn get(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(state.customers.get(&principal.scope(), &id).await?))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/customers", Access::Merchant)
            .post(create)
            .doc(
                Doc::new("Create a customer")
                    .describe("A customer needs an email or a phone number; each is unique among the merchant's customers in this mode (emails compared case-insensitively), so a second customer with either is 409 naming the field. Phone numbers are stored in E.164 (`9876543210` becomes `+919876543210`).")
                    .body::<NewCustomer>()
                    .returns::<Customer>(201)
                    .example(|| serde_json::json!({"name": "Asha Rao", "email": "asha@example.in", "phone": "+919876543210"})),
            )
            .get(list)
            .doc(
                Doc::new("List customers")
                    .describe("Newest first; `email` or `phone` finds one customer.")
                    .query::<CustomerQuery>()
                    .returns::<Collection<Customer>>(200),
            ),
        Route::new("/v1/customers/{id}", Access::Merchant)
            .get(get)
            .doc(Doc::new("Retrieve a customer").returns::<Customer>(200)),
    ]
}
