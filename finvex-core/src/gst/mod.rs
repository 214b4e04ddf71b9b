//! GST for merchants, one service per concern. The maths and government
//! formats come from the pure `finvex-gst` crate (re-exported as
//! [`engine`]); this module adds tenancy, storage and the request shapes.
//!
//! - `service`: [`GstService`], tax calculation with the merchant's default
//!   rate, HSN/SAC lookup, and the merchant's GST settings.
//! - `settings`: those settings (default rate, seller, HSN/SAC code), their
//!   checks, and the ones in force for a merchant.
//! - `invoices`: [`InvoiceService`], stored GST invoices and credit notes
//!   with gap-free document numbers and a pre-computed IRN (our SHA-256, as
//!   the IRP computes it), and their INV-01 e-invoice payload.
//! - `pdf`: a stored document as PDF ([`InvoiceService::pdf`]), with the
//!   IRP's acknowledgement and, for a credit note, its invoice's number and date.
//! - `sources`: the invoice of a paid order and the credit note of a
//!   processed refund, as the explicit requests `invoices` issues.
//! - `corrections`: correcting an issued document: in place while its
//!   month is unfiled, else as an amendment reported in the month it is made.
//! - `einvoices`: [`EInvoiceService`], registering invoices on the IRP (per
//!   mode, through an [`irp::IrpClient`]) and cancelling them.
//! - `irp`: the IRP client trait and what Finvex keeps of its acknowledgement.
//! - `returns`: [`Gstr1Service`], the monthly GSTR-1 (JSON, or CSV by
//!   [`gstr1_csv`]) with the amendments made in the month, and filing a
//!   month (kept exactly as filed).
//! - `rules`: the pure rules: request fields to engine types, document
//!   numbering, dates in India.
//! - `sql`: [`GstStore`] on the SQL store.
//! - `testing`: what the services' unit tests share.

mod corrections;
mod einvoices;
mod invoices;
pub mod irp;
mod pdf;
mod returns;
pub mod rules;
mod service;
mod settings;
mod sources;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(all(test, feature = "sqlite"))]
pub(crate) mod testing;

use std::borrow::Cow;

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use corrections::{CorrectInvoice, GstCorrection};
pub use einvoices::EInvoiceService;
pub use finvex_gst as engine;
use finvex_gst::einvoice::{Invoice, Party};
use finvex_gst::hsn::CodeKind;
use finvex_gst::{GstError, SupplyType, TaxBreakup};
pub use invoices::InvoiceService;
pub use pdf::InvoicePdf;
pub use returns::{gstr1_csv, FileGstr1, Gstr1Filing, Gstr1Service};
pub use service::GstService;
pub use settings::{GstSettings, GstSettingsInput, GstSettingsView};

use crate::ids::{AmendmentId, InvoiceId, OrderId, RefundId};
use crate::pagination::ListParams;
use crate::{Error, Mode, Scope};

impl From<GstError> for Error {
    fn from(e: GstError) -> Self {
        Error::Validation {
            field: e.field().map(|f| Cow::Owned(f.to_string())),
            message: e.to_string(),
        }
    }
}

/// Where the rate of a calculation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RateSource {
    /// Every line's rate was given in the request.
    Request,
    /// No rate was given: the merchant's default GST rate applied.
    MerchantDefault,
    /// Lines form only: some lines gave a rate, others used the default.
    Mixed,
    /// A credit note for a refund: the rate of the invoice it credits.
    OriginalInvoice,
}

impl RateSource {
    pub const ALL: [RateSource; 4] = [
        RateSource::Request,
        RateSource::MerchantDefault,
        RateSource::Mixed,
        RateSource::OriginalInvoice,
    ];

    /// The stored name, the same as the serialised one.
    pub fn as_str(self) -> &'static str {
        match self {
            RateSource::Request => "request",
            RateSource::MerchantDefault => "merchant_default",
            RateSource::Mixed => "mixed",
            RateSource::OriginalInvoice => "original_invoice",
        }
    }
}

impl std::str::FromStr for RateSource {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        RateSource::ALL
            .into_iter()
            .find(|source| source.as_str() == s)
            .ok_or_else(|| Error::Internal(format!("unknown rate source {s:?}")))
    }
}

/// One line of a calculation or an invoice, as the API takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    #[serde(default)]
    pub description: Option<String>,
    /// HSN (goods) or SAC (services) code; required on invoices.
    #[serde(default)]
    pub hsn_code: Option<String>,
    /// Price of one unit in paise (tax-inclusive when `tax_inclusive`).
    #[serde(alias = "amount")]
    pub unit_price: i64,
    /// Defaults to 1; up to 3 decimals.
    #[schemars(with = "f64")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub quantity: Option<Decimal>,
    /// GST UQC such as NOS or KGS (goods).
    #[serde(default)]
    pub unit: Option<String>,
    /// Discount on the whole line, in paise.
    #[serde(default)]
    pub discount: Option<i64>,
    /// Combined GST rate in percent; defaults to the merchant's default rate.
    #[schemars(with = "finvex_gst::GstRate")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub rate: Option<Decimal>,
    /// Compensation cess in percent.
    #[schemars(with = "f64")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub cess_rate: Option<Decimal>,
    /// `taxable` (default), or `nil_rated`, `exempt` or `non_gst`: no tax,
    /// rate 0, reported in GSTR-1 Table 8.
    #[serde(default)]
    pub treatment: Option<finvex_gst::Treatment>,
}

/// `POST /v1/gst/calculate`: either one line inline (`amount`, …) or `lines`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculateRequest {
    /// Single-line form: unit price in paise (× `quantity`, default 1).
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub hsn_code: Option<String>,
    #[schemars(with = "f64")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub quantity: Option<Decimal>,
    #[serde(default)]
    pub discount: Option<i64>,
    #[schemars(with = "finvex_gst::GstRate")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub rate: Option<Decimal>,
    #[schemars(with = "f64")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub cess_rate: Option<Decimal>,
    /// Full form: several lines (then the single-line fields must be absent).
    #[serde(default)]
    pub lines: Option<Vec<LineInput>>,
    #[serde(default)]
    pub seller_state: Option<String>,
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub seller_gstin: Option<String>,
    #[serde(default)]
    pub buyer_state: Option<String>,
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub buyer_gstin: Option<String>,
    #[serde(default)]
    pub place_of_supply: Option<String>,
    #[serde(default)]
    pub supply_type: Option<SupplyType>,
    #[serde(default)]
    pub reverse_charge: bool,
    #[serde(default)]
    pub tax_inclusive: bool,
    /// Round the total to the rupee (default true); the difference is `round_off_paise`.
    #[serde(default)]
    pub round_to_rupee: Option<bool>,
    /// `YYYY-MM-DD`; checks the rates against the slabs in force that day.
    #[schemars(with = "Option<finvex_gst::Date>")]
    #[serde(default)]
    pub date: Option<String>,
}

/// The answer to a calculation: the engine's breakup plus where the rate came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Calculation {
    pub entity: &'static str,
    pub rate_source: RateSource,
    #[serde(flatten)]
    pub breakup: TaxBreakup,
}

/// One HSN/SAC master entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HsnItem {
    pub code: String,
    pub description: String,
    pub kind: CodeKind,
}

/// A page of HSN/SAC search results; `total` counts every match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HsnPage {
    pub entity: String,
    pub count: usize,
    pub total: usize,
    pub items: Vec<HsnItem>,
}

/// Invoice or credit note.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceType {
    #[default]
    Invoice,
    CreditNote,
}

impl InvoiceDraft {
    /// A refund's credit note splits its amount at the invoice's rate, so the
    /// taxable parts of several partial refunds may together round past the
    /// invoice's by under half a paisa each: only their totals (the money)
    /// are bounded by the invoice's.
    pub fn bounds_taxable(&self) -> bool {
        self.refund_id.is_none()
    }
}

impl InvoiceType {
    /// The e-invoice document type code stored in `doc_type`.
    pub fn doc_code(self) -> &'static str {
        match self {
            InvoiceType::Invoice => "INV",
            InvoiceType::CreditNote => "CRN",
        }
    }

    pub fn from_doc_code(code: &str) -> Result<Self, Error> {
        match code {
            "INV" => Ok(InvoiceType::Invoice),
            "CRN" => Ok(InvoiceType::CreditNote),
            other => Err(Error::Internal(format!(
                "unknown stored doc_type {other:?}"
            ))),
        }
    }
}

/// `POST /v1/gst/invoices`: explicit `lines`, or the invoice for a paid
/// order (`order_id` or `payment_id`), or the credit note for a processed
/// refund (`refund_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvoice {
    #[serde(default, rename = "type")]
    pub kind: InvoiceType,
    /// Invoice the amount paid for this order (tax-inclusive).
    #[serde(default)]
    pub order_id: Option<String>,
    /// The same, naming the order by its captured payment.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// Credit note for this processed refund, against the order's invoice.
    #[serde(default)]
    pub refund_id: Option<String>,
    /// Order invoices: the HSN/SAC code (default: the merchant's `default_hsn_code`).
    #[serde(default)]
    pub hsn_code: Option<String>,
    /// Order invoices: the line's description (default: the order's).
    #[serde(default)]
    pub description: Option<String>,
    /// Order invoices: the combined GST rate (default: the merchant's default rate).
    #[schemars(with = "finvex_gst::GstRate")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub rate: Option<Decimal>,
    /// Credit notes: the invoice being credited (same merchant and mode).
    #[serde(default)]
    pub original_invoice_id: Option<String>,
    /// `YYYY-MM-DD`; defaults to today in India.
    #[schemars(with = "Option<finvex_gst::Date>")]
    #[serde(default)]
    pub date: Option<String>,
    /// Required on invoices; a credit note takes the original's.
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub seller_gstin: Option<String>,
    /// Name and address, needed for the e-invoice.
    #[serde(default)]
    pub seller: Option<Party>,
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub buyer_gstin: Option<String>,
    /// Unregistered buyers: the state of their address (the place of supply).
    #[serde(default)]
    pub buyer_state: Option<String>,
    #[serde(default)]
    pub buyer: Option<Party>,
    /// The delivery address, where it differs from the buyer's (Rule 46(o)):
    /// printed on the invoice and sent as the e-invoice's `ShipDtls`.
    #[serde(default)]
    pub ship_to: Option<Party>,
    #[serde(default)]
    pub place_of_supply: Option<String>,
    #[serde(default)]
    pub supply_type: Option<SupplyType>,
    #[serde(default)]
    pub reverse_charge: bool,
    /// The e-commerce operator the supply goes through (GSTR-1 Table 14):
    /// it collects TCS (s.52), or pays the tax itself when `reverse_charge` (s.9(5)).
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub ecommerce_gstin: Option<String>,
    /// Exports: shipping bill, port and country (goods).
    #[serde(default)]
    pub export: Option<finvex_gst::einvoice::ExportDetails>,
    /// Explicit lines: whether unit prices include GST (default false).
    #[serde(default)]
    pub tax_inclusive: Option<bool>,
    #[serde(default)]
    pub lines: Vec<LineInput>,
    #[serde(default)]
    pub remarks: Option<String>,
}

/// A stored GST invoice or credit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GstInvoice {
    pub id: InvoiceId,
    pub entity: &'static str,
    #[serde(rename = "type")]
    pub kind: InvoiceType,
    pub mode: Mode,
    pub number: String,
    pub financial_year: String,
    /// Position in the merchant's series for this type and financial year.
    pub sequence: i64,
    /// `YYYY-MM-DD`.
    #[schemars(with = "finvex_gst::Date")]
    pub date: String,
    #[schemars(with = "finvex_gst::Gstin")]
    pub seller_gstin: String,
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    pub buyer_gstin: Option<String>,
    pub supply_type: SupplyType,
    pub place_of_supply: String,
    pub original_invoice_id: Option<InvoiceId>,
    /// The paid order this invoice was issued for (a refund's credit note: its order).
    pub order_id: Option<OrderId>,
    /// The refund this credit note was issued for.
    pub refund_id: Option<RefundId>,
    /// Where the rate came from (`None` on documents issued before it was recorded).
    pub rate_source: Option<RateSource>,
    pub taxable_paise: i64,
    pub tax_paise: i64,
    pub total_paise: i64,
    /// Invoices: the sums of the credit notes issued against them.
    pub credited_taxable_paise: i64,
    pub credited_total_paise: i64,
    /// SHA-256 of GSTIN + FY + type + number as the IRP computes it; `None` for B2C.
    pub irn: Option<String>,
    /// `not_applicable` (B2C), `not_submitted`, `generated` or `cancelled`.
    pub irp_status: &'static str,
    /// The IRP's acknowledgement once submitted (see `irp.issuer`: only `NIC` is the government).
    pub irp: Option<irp::IrpRecord>,
    /// `issued`.
    pub status: String,
    /// The GSTR-1 month (`YYYY-MM`) the document is reported in: its own,
    /// or, when that month was already filed at issue, the month of issue.
    pub reported_period: String,
    /// How many times it was corrected (`POST /v1/gst/invoices/{id}/corrections`).
    pub revision: i64,
    pub breakup: TaxBreakup,
    pub created_at: i64,
    /// The document as the e-invoice builder takes it.
    #[serde(skip)]
    pub document: Invoice,
}

/// What a document is, at one revision: what a correction replaces, and
/// what an amendment reports against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocVersion {
    pub document: Invoice,
    pub breakup: TaxBreakup,
}

/// A correction of a stored document, computed and checked.
///
/// `now_period` is where an amendment is reported; if that month itself is
/// filed by the time the correction holds the returns lock (a filing at the
/// month's turn), the correction is refused as a retryable Conflict.
#[derive(Debug, Clone)]
pub struct Correction {
    pub invoice_id: InvoiceId,
    /// The revision corrected (compare-and-swap: two corrections cannot both apply).
    pub expected_revision: i64,
    pub revised: DocVersion,
    /// Where an amendment is reported when the document's month is filed: this month.
    pub now_period: String,
    pub created_at: i64,
}

/// How a correction was reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrected {
    /// `None`: the document's month is not filed, so it was corrected in place.
    pub amendment_id: Option<AmendmentId>,
    pub invoice: GstInvoice,
}

/// A correction of a document of a filed month, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAmendment {
    pub id: AmendmentId,
    pub invoice_id: InvoiceId,
    /// The month the document was first reported in (`YYYY-MM`).
    pub original_period: String,
    /// The document as first reported.
    pub original: DocVersion,
    /// As last reported before this amendment's month (an earlier
    /// amendment's revision, else the original).
    pub previous: DocVersion,
    pub revised: DocVersion,
    pub created_at: i64,
}

/// A GSTR-1 kept as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledReturn {
    pub seller_gstin: String,
    /// `YYYY-MM`.
    pub period: String,
    pub gstr1: finvex_gst::gstr1::Gstr1,
    pub filed_at: i64,
}

/// What a month's reported documents and corrections add up to: a filing
/// compares it before and after building the return, so nothing reported
/// meanwhile is left out of what is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnFingerprint {
    pub documents: i64,
    pub revisions: i64,
    pub amendments: i64,
}

/// A fully computed invoice waiting for its number.
#[derive(Debug, Clone)]
pub struct InvoiceDraft {
    pub id: InvoiceId,
    pub kind: InvoiceType,
    pub financial_year: String,
    pub date: String,
    pub seller_gstin: String,
    pub buyer_gstin: Option<String>,
    pub supply_type: SupplyType,
    pub original_invoice_id: Option<InvoiceId>,
    pub order_id: Option<OrderId>,
    pub refund_id: Option<RefundId>,
    pub rate_source: RateSource,
    pub breakup: TaxBreakup,
    pub created_at: i64,
    /// The month it is reported in if its own month is already filed.
    pub late_period: String,
}

/// What the number allocated in the store's transaction turns into.
#[derive(Debug, Clone)]
pub struct Numbered {
    pub number: String,
    pub irn: Option<String>,
    pub document: Invoice,
}

/// Turns the allocated sequence number into the document number, IRN and document.
pub type NumberFn<'a> = &'a (dyn Fn(i64) -> Result<Numbered, Error> + Send + Sync);

#[async_trait]
pub trait GstStore: Send + Sync {
    /// In one transaction: for a credit note, adds its amounts to the
    /// original's credited sums unless that would exceed the original's
    /// totals (422); allocates the next number of the (type, FY) series; and
    /// inserts the document. A failure rolls back the number too, so series
    /// never skip or repeat.
    async fn insert_gst_invoice(
        &self,
        scope: &Scope,
        draft: &InvoiceDraft,
        numbering: NumberFn<'_>,
    ) -> Result<GstInvoice, Error>;
    async fn gst_invoice_by_id(
        &self,
        scope: &Scope,
        id: &InvoiceId,
    ) -> Result<Option<GstInvoice>, Error>;
    async fn list_gst_invoices(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<GstInvoice>, Error>;
    /// Stores the IRP record if the invoice's current one is still `expected`
    /// and the document is still at `revision`, the one registered
    /// (compare-and-swap, so two submissions cannot both be recorded, and a
    /// correction meanwhile is never covered by an IRN of the old version).
    async fn set_gst_invoice_irp(
        &self,
        scope: &Scope,
        id: &InvoiceId,
        revision: i64,
        expected: Option<&irp::IrpRecord>,
        record: &irp::IrpRecord,
    ) -> Result<bool, Error>;
    /// The invoice issued for a paid order, or the credit note for a refund.
    async fn gst_invoice_for_source(
        &self,
        scope: &Scope,
        kind: InvoiceType,
        source_id: &str,
    ) -> Result<Option<GstInvoice>, Error>;
    /// The merchant's GST settings and when they were set (`None`: defaults).
    async fn gst_settings(&self, scope: &Scope) -> Result<Option<(GstSettings, i64)>, Error>;
    async fn set_gst_settings(
        &self,
        scope: &Scope,
        settings: &GstSettings,
        now_secs: i64,
    ) -> Result<(), Error>;
    /// Every document reported in `period` (`YYYY-MM`), oldest number first.
    async fn gst_invoices_in_period(
        &self,
        scope: &Scope,
        period: &str,
    ) -> Result<Vec<GstInvoice>, Error>;
    /// In one transaction (under the tenant's returns lock): replaces the
    /// document by its correction if it is still at `expected_revision`
    /// (else Conflict), keeps a credit note within what is left of its
    /// invoice and an invoice above what was credited (else 422), and, when
    /// the month it is reported in is filed, records the amendment.
    async fn correct_gst_invoice(
        &self,
        scope: &Scope,
        correction: &Correction,
    ) -> Result<Corrected, Error>;
    /// The seller GSTINs with corrections reported in `period`.
    async fn gst_amendment_sellers(
        &self,
        scope: &Scope,
        period: &str,
    ) -> Result<Vec<String>, Error>;
    /// Corrections reported in `period` for `seller_gstin`, each document's in
    /// the order of the revisions they made (its last is its latest).
    async fn gst_amendments_in_period(
        &self,
        scope: &Scope,
        seller_gstin: &str,
        period: &str,
    ) -> Result<Vec<StoredAmendment>, Error>;
    async fn gst_filed_return(
        &self,
        scope: &Scope,
        seller_gstin: &str,
        period: &str,
    ) -> Result<Option<FiledReturn>, Error>;
    async fn gstr1_fingerprint(
        &self,
        scope: &Scope,
        seller_gstin: &str,
        period: &str,
    ) -> Result<ReturnFingerprint, Error>;
    /// Keeps the return as filed, under the returns lock, if the month's
    /// fingerprint is still `fingerprint` (else Conflict: build it again)
    /// and it is not filed yet (else Conflict).
    async fn insert_filed_return(
        &self,
        scope: &Scope,
        filing: &FiledReturn,
        fingerprint: ReturnFingerprint,
    ) -> Result<(), Error>;
}

#[cfg(test)]
mod tests {
    use super::RateSource;

    #[test]
    fn rate_sources_are_stored_under_their_serialised_names() {
        for source in RateSource::ALL {
            let json = serde_json::to_string(&source).unwrap();
            assert_eq!(json, format!("\"{}\"", source.as_str()));
            assert_eq!(source.as_str().parse::<RateSource>().unwrap(), source);
        }
        assert!("default".parse::<RateSource>().is_err());
    }
}
