//! # finvex-gst: the pure GST engine
//!
//! Indian GST maths and formats with no I/O, no async and no network, so it
//! can be called from request handlers, batch jobs and tests alike.
//!
//! Money is integer paise (`i64`) everywhere; rates are exact
//! [`rust_decimal::Decimal`] values; every tax is rounded once, half away from
//! zero, to the paisa. Government JSON is emitted with rupee amounts as exact
//! two-decimal numbers.
//!
//! ## Tax calculation
//!
//! ```
//! use finvex_gst::{calculate, LineItem, State, Supply, TaxRule};
//!
//! let ka = State::parse("KA").unwrap();
//! let mh = State::parse("Maharashtra").unwrap();
//! let mut line = LineItem::new(100_000); // Rs 1,000.00 at the default 18%
//! line.hsn_code = Some("998316".into());
//! let tax = calculate(&Supply::between(ka, mh, vec![line])).unwrap();
//! assert_eq!(tax.rule, TaxRule::InterState);
//! assert_eq!(tax.igst_paise, 18_000);
//! assert_eq!(tax.total_paise, 118_000);
//! ```
//!
//! [`calculate`] applies the place-of-supply rules (B2B: buyer GSTIN state;
//! B2C: buyer address state, else the seller's; exports: 96), picks the split
//! (CGST+SGST, CGST+UTGST, IGST, or zero-rated under LUT) and reports the
//! [`TaxRule`] it used, per-line and total amounts, and the rupee round-off.
//!
//! ## Identifiers
//!
//! [`Gstin`], [`Pan`], [`State`], [`GstRate`], [`Date`] and
//! [`einvoice::DocNumber`] are parse-don't-validate newtypes: holding one
//! proves the value is well formed. Errors are [`GstError`]s carrying the
//! offending `field`, a stable [`GstError::code`] and a precise message
//! (e.g. "GSTIN check character is '5', expected 'W'").
//!
//! ## HSN/SAC master
//!
//! [`hsn::search`] ranks the embedded GST directory (exact code, code
//! prefix, all words, any word) with pagination; [`hsn::lookup`] is exact.
//!
//! ## E-invoice and IRN
//!
//! [`einvoice::build_einvoice`] turns an [`einvoice::Invoice`] into the NIC
//! INV-01 v1.1 JSON structure, [`einvoice::validate`] lists every schema and
//! IRP business-rule violation with its JSON path, and [`einvoice::irn`]
//! pre-computes the IRN.
//!
//! ## PDF
//!
//! [`pdf::render`] draws a tax invoice or credit note with the particulars
//! of CGST Rules 46 and 53(1A), totals in Indian words, and the IRP's IRN
//! and signed QR code once registered; the same input gives the same bytes.
//!
//! ## GSTR-1
//!
//! [`gstr1::build_gstr1`] files a month of [`gstr1::InvoiceRecord`]s into
//! b2b, b2cl, b2cs, cdnr, cdnur, exp, nil, supeco, hsn and doc_issue
//! tables, and [`gstr1::build_gstr1_with`] adds the amendment tables (b2ba,
//! b2cla, b2csa, cdnra, cdnura, expa, supecoa) of a month's corrections;
//! [`gstr1::to_csv`] renders the same data as CSV.

pub mod calc;
pub mod date;
pub mod einvoice;
pub mod error;
pub mod gstin;
pub mod gstr1;
pub mod hsn;
pub mod hsn_code;
pub mod money;
pub mod pan;
pub mod pdf;
pub mod rate;
pub mod state;
pub mod treatment;

pub use calc::{
    calculate, resolve, LineItem, LineTax, Resolution, Supply, SupplyType, TaxBreakup, TaxPayer,
    TaxRule, MAX_LINES,
};
pub use date::Date;
pub use error::GstError;
pub use gstin::{gstin_check_char, Gstin, GstinKind};
pub use hsn_code::HsnCode;
pub use pan::{Pan, PanHolder};
pub use rate::{GstRate, SlabStatus};
pub use state::{State, StateKind};
pub use treatment::Treatment;
