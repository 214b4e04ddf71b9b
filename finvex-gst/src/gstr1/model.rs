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
    /// Table 8: nil-rated, exempt and non-GST supplies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nil: Option<NilSection>,
    /// Table 14 (from the January 2024 period): supplies through e-commerce operators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supeco: Option<Supeco>,
    /// Table 9A: amended b2b invoices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub b2ba: Vec<B2baEntry>,
    /// Table 9A: amended b2cl invoices, under their original place of supply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub b2cla: Vec<B2claEntry>,
    /// Table 10: restated b2cs blocks of an earlier month.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub b2csa: Vec<B2csaRow>,
    /// Table 9C: amended notes to registered buyers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cdnra: Vec<CdnraEntry>,
    /// Table 9C: amended notes to unregistered buyers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cdnura: Vec<CdnuraNote>,
    /// Table 9A: amended export invoices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expa: Vec<ExpaEntry>,
    /// Table 14A: restated e-commerce operator totals of an earlier month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supecoa: Option<SupecoAmended>,
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
    /// Shipping bill port code (goods exports; absent for services).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbpcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbnum: Option<String>,
    /// `dd-mm-yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbdt: Option<String>,
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

/// Table 8: one row per kind of supply (`INTRB2B`, `INTRAB2B`, `INTRB2C`,
/// `INTRAB2C`) that has documents; credit notes are netted in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NilSection {
    pub inv: Vec<NilRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NilRow {
    pub sply_ty: String,
    /// Nil-rated supplies.
    #[schemars(with = "f64")]
    #[serde(rename = "nil_amt", with = "crate::money::rupees")]
    pub nil_amt_paise: i64,
    /// Exempted (other than nil-rated or non-GST).
    #[schemars(with = "f64")]
    #[serde(rename = "expt_amt", with = "crate::money::rupees")]
    pub expt_amt_paise: i64,
    /// Non-GST supplies.
    #[schemars(with = "f64")]
    #[serde(rename = "ngsup_amt", with = "crate::money::rupees")]
    pub ngsup_amt_paise: i64,
}

/// Table 14: per e-commerce operator, supplies on which it collects TCS
/// (s.52, `clttx`) and those on which it pays the tax (s.9(5), `paytx`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Supeco {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clttx: Vec<EcoRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paytx: Vec<EcoRow>,
}

/// One operator's net supplies; tax keys are spelled out, as Table 14 has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcoRow {
    pub etin: String,
    #[schemars(with = "f64")]
    #[serde(rename = "suppval", with = "crate::money::rupees")]
    pub suppval_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "igst", with = "crate::money::rupees")]
    pub igst_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "cgst", with = "crate::money::rupees")]
    pub cgst_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "sgst", with = "crate::money::rupees")]
    pub sgst_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "cess", with = "crate::money::rupees")]
    pub cess_paise: i64,
}

/// Table 14A: an operator's totals of an earlier month (`omon`), restated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SupecoAmended {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clttxa: Vec<EcoAmendedRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paytxa: Vec<EcoAmendedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcoAmendedRow {
    /// The month restated, `MMYYYY`.
    pub omon: String,
    /// The operator as originally reported.
    pub oetin: String,
    pub etin: String,
    #[schemars(with = "f64")]
    #[serde(rename = "suppval", with = "crate::money::rupees")]
    pub suppval_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "igst", with = "crate::money::rupees")]
    pub igst_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "cgst", with = "crate::money::rupees")]
    pub cgst_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "sgst", with = "crate::money::rupees")]
    pub sgst_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "cess", with = "crate::money::rupees")]
    pub cess_paise: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2baEntry {
    /// The buyer GSTIN as revised.
    pub ctin: String,
    pub inv: Vec<B2baInvoice>,
}

/// A b2b invoice as revised; `oinum`/`oidt` name it as first reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2baInvoice {
    pub oinum: String,
    pub oidt: String,
    pub inum: String,
    pub idt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub pos: String,
    pub rchrg: String,
    pub inv_typ: String,
    pub itms: Vec<RateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2claEntry {
    /// The original place of supply (the amendment's identity, not editable).
    pub pos: String,
    pub inv: Vec<B2claInvoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2claInvoice {
    pub oinum: String,
    pub oidt: String,
    pub inum: String,
    pub idt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub itms: Vec<RateItem>,
}

/// A b2cs block (month, place of supply) restated at every rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct B2csaRow {
    /// The month restated, `MMYYYY`.
    pub omon: String,
    pub sply_ty: String,
    /// OE (other than e-commerce).
    pub typ: String,
    pub pos: String,
    pub itms: Vec<ItemDetail>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CdnraEntry {
    pub ctin: String,
    pub nt: Vec<CdnraNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CdnraNote {
    pub ont_num: String,
    pub ont_dt: String,
    pub nt_num: String,
    pub nt_dt: String,
    pub ntty: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub pos: String,
    pub rchrg: String,
    pub inv_typ: String,
    pub itms: Vec<RateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CdnuraNote {
    pub ont_num: String,
    pub ont_dt: String,
    pub nt_num: String,
    pub nt_dt: String,
    pub ntty: String,
    /// B2CL, EXPWP or EXPWOP.
    pub typ: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    pub pos: String,
    pub itms: Vec<RateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExpaEntry {
    /// WPAY or WOPAY (never changed by an amendment).
    pub exp_typ: String,
    pub inv: Vec<ExpaInvoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExpaInvoice {
    pub oinum: String,
    pub oidt: String,
    pub inum: String,
    pub idt: String,
    #[schemars(with = "f64")]
    #[serde(rename = "val", with = "crate::money::rupees")]
    pub val_paise: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbpcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbnum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbdt: Option<String>,
    pub itms: Vec<ItemDetail>,
}
