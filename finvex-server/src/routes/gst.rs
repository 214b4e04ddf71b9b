//! GST: tax calculation, HSN/SAC lookup, GST invoices (+ e-invoice payload)
//! and GSTR-1.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use finvex_core::gst::engine::einvoice::EInvoice;
use finvex_core::gst::engine::gstr1::Gstr1;
use finvex_core::gst::irp::CancelReason;
use finvex_core::gst::{
    gstr1_csv, CalculateRequest, Calculation, GstInvoice, GstSettingsInput, GstSettingsView,
    HsnPage, NewInvoice,
};
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::Error;
use serde::Deserialize;

use crate::http::access::{Access, Route};
use crate::http::auth::Caller;
use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

pub async fn calculate(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<CalculateRequest>,
) -> ApiResult<Json<Calculation>> {
    Ok(Json(state.gst.calculate(&principal.scope(), &body).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HsnQuery {
    q: String,
    count: Option<u32>,
    skip: Option<u32>,
}

pub async fn hsn_lookup(
    State(state): State<AppState>,
    Caller(_principal): Caller,
    ApiQuery(query): ApiQuery<HsnQuery>,
) -> ApiResult<Json<HsnPage>> {
    Ok(Json(state.gst.hsn_lookup(
        &query.q,
        query.count,
        query.skip,
    )?))
}

pub async fn create_invoice(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<NewInvoice>,
) -> ApiResult<(StatusCode, Json<GstInvoice>)> {
    let invoice = state
        .gst_invoices
        .create_invoice(&principal.scope(), &body)
        .await?;
    Ok((StatusCode::CREATED, Json(invoice)))
}

pub async fn list_invoices(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Collection<GstInvoice>>> {
    let params = ListParams::parse(&query)?;
    Ok(Json(
        state
            .gst_invoices
            .list_invoices(&principal.scope(), &params)
            .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceQuery {
    /// `json` (default) or `einvoice` (the INV-01 payload).
    format: Option<String>,
}

pub async fn get_invoice(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<InvoiceQuery>,
) -> ApiResult<Response> {
    let scope = principal.scope();
    match query.format.as_deref() {
        None | Some("json") => {
            Ok(Json(state.gst_invoices.get_invoice(&scope, &id).await?).into_response())
        }
        Some("einvoice") => {
            let doc: EInvoice = state.gst_invoices.einvoice(&scope, &id).await?;
            Ok(Json(doc).into_response())
        }
        Some(_) => Err(Error::validation("format", "format must be json or einvoice").into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gstr1Query {
    /// `YYYY-MM`.
    month: String,
    gstin: Option<String>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

pub async fn gstr1(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiQuery(query): ApiQuery<Gstr1Query>,
) -> ApiResult<Response> {
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(Error::validation("format", "format must be json or csv").into()),
    };
    let g: Gstr1 = state
        .gstr1
        .gstr1(&principal.scope(), &query.month, query.gstin.as_deref())
        .await?;
    if csv {
        Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            gstr1_csv(&g),
        )
            .into_response())
    } else {
        Ok(Json(g).into_response())
    }
}

/// Registers the invoice on the IRP (test mode: the clearly labelled fake).
pub async fn submit_einvoice(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<GstInvoice>> {
    Ok(Json(
        state
            .einvoices
            .submit_einvoice(&principal.scope(), &id)
            .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    reason: CancelReason,
    remark: String,
}

pub async fn cancel_einvoice(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CancelBody>,
) -> ApiResult<Json<GstInvoice>> {
    Ok(Json(
        state
            .einvoices
            .cancel_einvoice(&principal.scope(), &id, body.reason, &body.remark)
            .await?,
    ))
}

pub async fn settings(
    State(state): State<AppState>,
    Caller(principal): Caller,
) -> ApiResult<Json<GstSettingsView>> {
    Ok(Json(state.gst.settings(&principal.scope()).await?))
}

pub async fn set_settings(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<GstSettingsInput>,
) -> ApiResult<Json<GstSettingsView>> {
    Ok(Json(
        state.gst.set_settings(&principal.scope(), &body).await?,
    ))
}

/// This area's routes and who may call each.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("/v1/gst/calculate", Access::Merchant).post(calculate),
        Route::new("/v1/gst/hsn-lookup", Access::Merchant).get(hsn_lookup),
        Route::new("/v1/gst/invoices", Access::Merchant)
            .post(create_invoice)
            .get(list_invoices),
        Route::new("/v1/gst/invoices/{id}", Access::Merchant).get(get_invoice),
        Route::new("/v1/gst/invoices/{id}/irn", Access::Merchant).post(submit_einvoice),
        Route::new("/v1/gst/invoices/{id}/irn/cancel", Access::Merchant).post(cancel_einvoice),
        Route::new("/v1/gst/gstr1", Access::Merchant).get(gstr1),
        Route::new("/v1/gst/settings", Access::Merchant)
            .get(settings)
            .put(set_settings),
    ]
}
