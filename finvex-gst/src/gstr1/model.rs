//! GSTR-1 portal JSON (offline tool / GST API) shapes.
//!
//! Amounts are paise internally and rupee numbers with two decimals on the
//! wire; dates are `dd-mm-yyyy`; `pos` is a 2-digit string; `rt` is the
//! combined rate.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The whole return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Gstr1 {
    pub gstin: String,
    /// Return period `MMYYYY`.
    pub fp: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub b2b: Vec<B2bEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub b2cl: Vec<B2clEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub b2cs: Vec<B2csRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cdnr: Vec<CdnrEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cdnur: Vec<CdnurNote>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exp: Vec<ExpEntry>,
    pub hsn: HsnSummary,
    pub doc_issue: DocIssue,
}

/// Tax of one rate within a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemDetail {
    #[schemars(with = "f64")]
    #[serde(rename = "txval", with = "crate::money::rupees")]
    pub txval_paise: i64,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub rt: Decimal,
    #[schemars(with = "f64")]
    #[serde(rename = "iamt", with = "crate::money::rupees")]
    pub iamt_paise: i64,
    /// Absent in sections that are IGST-only (b2cl, exp, cdnur).
    #[schemars(with = "f64")]
    #[serde(
        rename = "camt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub camt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "samt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub samt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(rename = "csamt", with = "crate::money::rupees")]
    pub csamt_paise: i64,
}

/// An `itms` entry. `num` follows the offline tool: rate × 100 + 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RateItem {
    pub num: u32,
    pub itm_det: ItemDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2bEntry {
    pub ctin: String,
    pub inv: Vec<B2bInvoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2bInvoice {
    pub inum: String,
    pub idt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub pos: String,
    pub rchrg: String,
    /// R, SEWP, SEWOP.
    pub inv_typ: String,
    pub itms: Vec<RateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2clEntry {
    pub pos: String,
    pub inv: Vec<B2clInvoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2clInvoice {
    pub inum: String,
    pub idt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub itms: Vec<RateItem>,
}

/// An aggregated B2C (small) row; credit notes are netted in, so values
/// may be negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2csRow {
    /// INTRA or INTER.
    pub sply_ty: String,
    pub pos: String,
    /// OE (other than e-commerce).
    pub typ: String,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub rt: Decimal,
    #[schemars(with = "f64")]
    #[serde(rename = "txval", with = "crate::money::rupees")]
    pub txval_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "iamt", with = "crate::money::rupees")]
    pub iamt_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "camt", with = "crate::money::rupees")]
    pub camt_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "samt", with = "crate::money::rupees")]
    pub samt_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "csamt", with = "crate::money::rupees")]
    pub csamt_paise: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CdnrEntry {
    pub ctin: String,
    pub nt: Vec<CdnrNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CdnrNote {
    /// C (credit) or D (debit); values stay positive.
    pub ntty: String,
    pub nt_num: String,
    pub nt_dt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub pos: String,
    pub rchrg: String,
    pub inv_typ: String,
    pub itms: Vec<RateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CdnurNote {
    /// B2CL, EXPWP or EXPWOP.
    pub typ: String,
    pub ntty: String,
    pub nt_num: String,
    pub nt_dt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub pos: String,
    pub itms: Vec<RateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExpEntry {
    /// WPAY or WOPAY.
    pub exp_typ: String,
    pub inv: Vec<ExpInvoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExpInvoice {
    pub inum: String,
    pub idt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub itms: Vec<ItemDetail>,
}

/// Table 12. From the May 2025 period it is split into B2B and B2C lists;
/// before that a single `data` list is filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HsnSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<HsnRow>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn_b2b: Option<Vec<HsnRow>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn_b2c: Option<Vec<HsnRow>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HsnRow {
    pub num: u32,
    pub hsn_sc: String,
    pub desc: String,
    pub uqc: String,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub qty: Decimal,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub rt: Decimal,
    #[schemars(with = "f64")]
    #[serde(rename = "txval", with = "crate::money::rupees")]
    pub txval_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "iamt", with = "crate::money::rupees")]
    pub iamt_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "camt", with = "crate::money::rupees")]
    pub camt_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "samt", with = "crate::money::rupees")]
    pub samt_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "csamt", with = "crate::money::rupees")]
    pub csamt_paise: i64,
}

/// Table 13.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocIssue {
    pub doc_det: Vec<DocDet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocDet {
    /// 1 invoices, 4 debit notes, 5 credit notes.
    pub doc_num: u8,
    pub docs: Vec<DocRange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocRange {
    pub num: u32,
    pub from: String,
    pub to: String,
    pub totnum: u32,
    pub cancel: u32,
    pub net_issue: u32,
}
