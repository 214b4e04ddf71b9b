//! The customer portal's sessions: the merchant's backend opens the portal
//! for one buyer (as Stripe's billing-portal sessions), and the buyer's
//! browser calls the portal's endpoints with that session.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use finvex_core::auth::PortalSession;
use finvex_core::Mode;
use serde::{Deserialize, Serialize};

use crate::http::access::{Access, Doc, Route};
use crate::http::auth::{Caller, PortalCaller};
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::state::AppState;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePortalSession {
    customer_email: String,
}

pub async fn create_session(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<CreatePortalSession>,
) -> ApiResult<(StatusCode, Json<PortalSession>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .auth
                .create_portal_session(&principal, &body.customer_email)
                .await?,
        ),
    ))
}

/// Who the portal's caller is.
#[derive(Serialize, schemars::JsonSchema)]
pub struct PortalSessionView {
    entity: &'static str,
    merchant_id: String,
    mode: Mode,
    customer_email: String,
    expires_at: i64,
}

pub async fn current_session(PortalCaller(buyer): PortalCaller) -> Json<PortalSessionView> {
    Json(PortalSessionView {
        entity: "portal_session",
        merchant_id: buyer.scope.merchant_id.to_string(),
        mode: buyer.scope.mode,
        customer_email: buyer.customer_email.to_string(),
        expires_at: buyer.expires_at,
    })
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/portal/sessions", Access::Merchant)
            .post(create_session)
            .doc(
                Doc::new("Open the customer portal for one buyer")
                    .body::<CreatePortalSession>()
                    .returns::<PortalSession>(201)
                    .example(|| serde_json::json!({"customer_email": "buyer@example.com"})),
            ),
        Route::new("/v1/portal/session", Access::Portal)
            .get(current_session)
            .doc(Doc::new("Who the portal's caller is").returns::<PortalSessionView>(200)),
    ]
}
