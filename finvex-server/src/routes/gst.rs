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
    gstr1_csv, CalculateRequest, Calculation, CorrectInvoice, FileGstr1, GstCorrection, GstInvoice,
    GstSettingsInput, GstSettingsView, Gstr1Filing, HsnPage, InvoicePdf, NewInvoice,
};
use finvex_core::pagination::{Collection, ListParams, ListQuery};
use finvex_core::Error;
use serde::Deserialize;

use crate::http::access::{Access, Doc, Route};
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

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HsnQuery {
    /// A code or its prefix (`9983`), or words of the description (`cotton yarn`).
    q: String,
    /// Results per page, 1 to 100 (default 10).
    count: Option<u32>,
    /// Results to skip, at most 100000 (default 0).
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

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceQuery {
    /// `json` (default), `einvoice` (the INV-01 payload) or `pdf` (the printable document).
    #[schemars(extend("enum" = ["json", "einvoice", "pdf"]))]
    format: Option<String>,
}

/// What `GET /v1/gst/invoices/{id}` answers as JSON: the invoice, or with
/// `?format=einvoice` its INV-01 e-invoice payload (`?format=pdf` answers
/// `application/pdf`).
struct InvoiceOrEInvoice;

impl schemars::JsonSchema for InvoiceOrEInvoice {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GstInvoiceOrEInvoice".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "oneOf": [
                generator.subschema_for::<GstInvoice>(),
                generator.subschema_for::<EInvoice>(),
            ],
            "description": "The invoice; with `?format=einvoice`, its NIC INV-01 v1.1 e-invoice payload."
        })
    }
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
        Some("pdf") => Ok(pdf_response(state.gst_invoices.pdf(&scope, &id).await?)),
        Some(_) => Err(Error::validation("format", "format must be json, einvoice or pdf").into()),
    }
}

/// The PDF shown in the browser (`inline`) under the document's number.
fn pdf_response(pdf: InvoicePdf) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}\"", pdf.filename),
            ),
        ],
        pdf.bytes,
    )
        .into_response()
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gstr1Query {
    /// The return period, `YYYY-MM`.
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}$"))]
    month: String,
    /// The seller GSTIN whose documents are filed: required when the month's
    /// documents name several, or none (an empty return).
    #[schemars(with = "Option<finvex_core::gst::engine::Gstin>")]
    gstin: Option<String>,
    /// `json` (default) or `csv`.
    #[schemars(extend("enum" = ["json", "csv"]))]
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

/// Marks a month's GSTR-1 filed, keeping it as filed.
pub async fn file_gstr1(
    State(state): State<AppState>,
    Caller(principal): Caller,
    ApiJson(body): ApiJson<FileGstr1>,
) -> ApiResult<(StatusCode, Json<Gstr1Filing>)> {
    let filing = state.gstr1.file(&principal.scope(), &body).await?;
    Ok((StatusCode::CREATED, Json(filing)))
}

/// Corrects an issued document: in place, or as an amendment.
pub async fn correct_invoice(
    State(state): State<AppState>,
    Caller(principal): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CorrectInvoice>,
) -> ApiResult<Json<GstCorrection>> {
    Ok(Json(
        state
            .gst_invoices
            .correct(&principal.scope(), &id, &body)
            .await?,
    ))
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

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    reason: CancelReason,
    /// Why, in at most 100 characters.
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
        Route::new("/v1/gst/calculate", Access::Merchant)
            .post(calculate)
            .doc(
                Doc::new("Calculate GST")
                    .describe("The tax breakup of one line (`amount`, `hsn_code`, `rate`, …) or of several (`lines`; then the single-line fields must be absent): the place-of-supply `rule`, CGST + SGST/UTGST or IGST per line and in total, in paise. A line without a `rate` takes the merchant's default rate (18 % until `/v1/gst/settings` says otherwise); `rate_source` says which applied.")
                    .body::<CalculateRequest>()
                    .returns::<Calculation>(200)
                    .example(|| serde_json::json!({"amount": 100000, "hsn_code": "998316", "seller_state": "KA", "buyer_state": "MH"})),
            ),
        Route::new("/v1/gst/hsn-lookup", Access::Merchant)
            .get(hsn_lookup)
            .doc(
                Doc::new("Search HSN/SAC codes")
                    .describe("Ranks the GST HSN/SAC directory: exact code, code prefix, all words, any word; `total` counts every match.")
                    .query::<HsnQuery>()
                    .returns::<HsnPage>(200),
            ),
        Route::new("/v1/gst/invoices", Access::Merchant)
            .post(create_invoice)
            .doc(
                Doc::new("Issue a GST invoice or credit note")
                    .describe("Explicit `lines`; or the invoice of a paid order (`order_id` or `payment_id`: tax-inclusive, its total the amount paid, one per order); or the credit note of a processed refund (`type: credit_note`, `refund_id`), or against `original_invoice_id`. Numbers are gap-free per merchant, mode, type and financial year (`FX2627-000001`, `CN2627-000001`); `irn` is the pre-computed hash. Missing fields come from `/v1/gst/settings`.")
                    .body::<NewInvoice>()
                    .returns::<GstInvoice>(201)
                    .example(|| serde_json::json!({"seller_gstin": "29AAFCC9980M1ZR", "buyer_gstin": "27AAPFU0939F1ZV", "lines": [{"hsn_code": "998316", "unit_price": 100000}]})),
            )
            .get(list_invoices)
            .doc(
                Doc::new("List GST invoices")
                    .query::<ListQuery>()
                    .returns::<Collection<GstInvoice>>(200),
            ),
        Route::new("/v1/gst/invoices/{id}", Access::Merchant)
            .get(get_invoice)
            .doc(
                Doc::new("Retrieve a GST invoice")
                    .describe("The invoice (`format=json`, the default). With `format=einvoice` the answer is instead its validated NIC INV-01 v1.1 e-invoice payload (`Version`, `TranDtls`, `DocDtls`, `SellerDtls`, `BuyerDtls`, `ItemList`, `ValDtls`, amounts in rupees with 2 decimals), or 422 for a B2C document or one the IRP would refuse. With `format=pdf` it is the printable document, `application/pdf` (`Content-Disposition: inline; filename=\"<number>.pdf\"`): a tax invoice or credit note with the particulars of CGST Rules 46 and 53(1A) (supplier and recipient with GSTINs, number and date, place of supply, HSN/SAC, quantity, taxable value and each tax per line, totals in figures and in words, reverse charge; a credit note also names its invoice's number and date), marked ORIGINAL FOR RECIPIENT, with the IRN, acknowledgement and signed QR code once registered on the IRP. It gives the same bytes each time until the document's IRP status changes.")
                    .query::<InvoiceQuery>()
                    .returns::<InvoiceOrEInvoice>(200)
                    .also_answers("application/pdf"),
            ),
        Route::new("/v1/gst/invoices/{id}/irn", Access::Merchant)
            .post(submit_einvoice)
            .doc(
                Doc::new("Register an invoice on the IRP")
                    .describe("Registers a B2B, SEZ or export invoice and stores the acknowledgement in `irp` (`irn`, `ack_no`, `ack_dt`, signed invoice and QR code, `issuer`); `irp_status` becomes `generated`. Idempotent. Test mode uses a fake IRP whose `issuer` is `FINVEX-FAKE-IRP (not NIC)`, never a government signature; live mode answers 422 until a GSP connection exists.")
                    .returns::<GstInvoice>(200),
            ),
        Route::new("/v1/gst/invoices/{id}/irn/cancel", Access::Merchant)
            .post(cancel_einvoice)
            .doc(
                Doc::new("Cancel an invoice's IRN")
                    .describe("Within 24 hours of generation; `irp_status` becomes `cancelled` and the number can never be registered again.")
                    .body::<CancelBody>()
                    .returns::<GstInvoice>(200)
                    .example(|| serde_json::json!({"reason": "data_entry_mistake", "remark": "Wrong buyer GSTIN"})),
            ),
        Route::new("/v1/gst/gstr1", Access::Merchant)
            .get(gstr1)
            .doc(
                Doc::new("The month's GSTR-1")
                    .describe("The documents reported in `month` (dated in it, or issued in it for a month already filed) in the b2b, b2cl, b2cs, cdnr, cdnur, exp, nil (nil-rated, exempt, non-GST lines), supeco (supplies through e-commerce operators, from January 2024), hsn and doc_issue tables, and the corrections made in it to documents of filed months in b2ba, b2cla, b2csa, cdnra, cdnura, expa and supecoa, as the GST portal's JSON (amounts in rupees with 2 decimals, dates `dd-mm-yyyy`). A month marked filed answers exactly what was filed. With `format=csv` the answer is `text/csv` instead: each table's CSV under a `# <table>` line.")
                    .query::<Gstr1Query>()
                    .returns::<Gstr1>(200)
                    .also_answers("text/csv"),
            ),
        Route::new("/v1/gst/gstr1/filed", Access::Merchant)
            .post(file_gstr1)
            .doc(
                Doc::new("Mark a month's GSTR-1 filed")
                    .describe("Keeps the month's GSTR-1 exactly as it is now and answers it; `GET /v1/gst/gstr1` for that month then answers it unchanged. A document issued later with a date in that month is reported in the month of issue, and corrections of its documents (`/v1/gst/invoices/{id}/corrections`) become amendments in the month they are made. The month must be over in India; filing it twice is 409.")
                    .body::<FileGstr1>()
                    .returns::<Gstr1Filing>(201)
                    .example(|| serde_json::json!({"month": "2026-04"})),
            ),
        Route::new("/v1/gst/invoices/{id}/corrections", Access::Merchant)
            .post(correct_invoice)
            .doc(
                Doc::new("Correct a GST invoice or credit note")
                    .describe("Changes the named fields (`lines`, `tax_inclusive`, `buyer_gstin`, `buyer`, `date`, `remarks`, `export`) and recomputes the tax. While the document's month is not filed it is corrected in place (`reported_as: in_place`); once filed, the filed return is never rewritten: the correction is an amendment (`reported_as: amendment`) in this month's b2ba, b2cla, b2csa, cdnra, cdnura or expa. A correction may not move the document to another GSTR-1 table, change an export's payment type, or move its date out of its month; an invoice stays above what was credited against it, a credit note within what is left of its invoice. Refused (422) once the IRN is registered, and after 30 November following the document's financial year (CGST s.37(3)). `revision` guards against a concurrent correction (409).")
                    .body::<CorrectInvoice>()
                    .returns::<GstCorrection>(200)
                    .example(|| serde_json::json!({"lines": [{"hsn_code": "998316", "unit_price": 110000}]})),
            ),
        Route::new("/v1/gst/settings", Access::Merchant)
            .get(settings)
            .doc(
                Doc::new("Retrieve the GST settings")
                    .describe("Per mode: the default rate (18 until set), the seller's GSTIN and name and address, and the HSN/SAC code of invoices issued from orders; `updated_at` is null while the defaults apply.")
                    .returns::<GstSettingsView>(200),
            )
            .put(set_settings)
            .doc(
                Doc::new("Replace the GST settings")
                    .describe("Absent fields take their defaults; each field is checked (400 naming it).")
                    .body::<GstSettingsInput>()
                    .returns::<GstSettingsView>(200)
                    .example(|| serde_json::json!({"default_rate": 18, "seller_gstin": "29AAFCC9980M1ZR", "default_hsn_code": "998316"})),
            ),
    ]
}
