//! INV-01 v1.1 e-invoice JSON, field for field.
//!
//! Field names follow the NIC schema through serde renames. Enumerated values
//! (`SupTyp`, `Y`/`N` flags, ...) are plain strings so that a document
//! received from outside can be deserialised and then *validated* with every
//! violation reported, instead of failing on the first bad enum. Amounts are
//! integer paise written as rupee numbers with two decimals.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The whole request document sent to the IRP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct EInvoice {
    /// Always "1.1".
    pub version: String,
    pub tran_dtls: TranDtls,
    pub doc_dtls: DocDtls,
    pub seller_dtls: SellerDtls,
    pub buyer_dtls: BuyerDtls,
    /// Where the goods are delivered, when it differs from the buyer's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_dtls: Option<ShipDtls>,
    pub item_list: Vec<Item>,
    pub val_dtls: ValDtls,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_dtls: Option<RefDtls>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_dtls: Option<ExpDtls>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct TranDtls {
    /// "GST".
    pub tax_sch: String,
    /// B2B, SEZWP, SEZWOP, EXPWP, EXPWOP, DEXP.
    pub sup_typ: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reg_rev: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecm_gstin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igst_on_intra: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DocDtls {
    /// INV, CRN, DBN.
    pub typ: String,
    pub no: String,
    /// dd/mm/yyyy.
    pub dt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SellerDtls {
    pub gstin: String,
    pub lgl_nm: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    pub addr1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    pub loc: String,
    pub pin: u32,
    pub stcd: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ph: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub em: Option<String>,
}

/// The delivery address (CGST Rule 46(o)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ShipDtls {
    pub lgl_nm: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    pub addr1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    pub loc: String,
    pub pin: u32,
    pub stcd: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct BuyerDtls {
    /// A GSTIN, or "URP" (unregistered person) for exports.
    pub gstin: String,
    pub lgl_nm: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    /// Place of supply state code; "96" outside India.
    pub pos: String,
    pub addr1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    pub loc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<u32>,
    pub stcd: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ph: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub em: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Item {
    #[serde(rename = "SlNo")]
    pub sl_no: String,
    #[serde(rename = "PrdDesc", default, skip_serializing_if = "Option::is_none")]
    pub prd_desc: Option<String>,
    /// "Y" for services.
    #[serde(rename = "IsServc")]
    pub is_servc: String,
    #[serde(rename = "HsnCd")]
    pub hsn_cd: String,
    #[schemars(with = "f64")]
    #[serde(
        rename = "Qty",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::decimal_opt"
    )]
    pub qty: Option<Decimal>,
    /// GST unit quantity code (NOS, KGS, ...); required for goods.
    #[serde(rename = "Unit", default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[schemars(with = "f64")]
    #[serde(rename = "UnitPrice", with = "crate::money::rupees")]
    pub unit_price_paise: i64,
    #[schemars(with = "f64")]
    #[serde(rename = "TotAmt", with = "crate::money::rupees")]
    pub tot_amt_paise: i64,
    #[schemars(with = "f64")]
    #[serde(
        rename = "Discount",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub discount_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(rename = "AssAmt", with = "crate::money::rupees")]
    pub ass_amt_paise: i64,
    /// Combined rate (18, not 9) even for intra-State lines.
    #[schemars(with = "f64")]
    #[serde(rename = "GstRt", with = "crate::money::decimal")]
    pub gst_rt: Decimal,
    #[schemars(with = "f64")]
    #[serde(
        rename = "IgstAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub igst_amt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "CgstAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub cgst_amt_paise: Option<i64>,
    /// Also carries UTGST: the schema has no separate UTGST field.
    #[schemars(with = "f64")]
    #[serde(
        rename = "SgstAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub sgst_amt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "CesRt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::decimal_opt"
    )]
    pub ces_rt: Option<Decimal>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "CesAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub ces_amt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "CesNonAdvlAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub ces_non_advl_amt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "StateCesRt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::decimal_opt"
    )]
    pub state_ces_rt: Option<Decimal>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "StateCesAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub state_ces_amt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "StateCesNonAdvlAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub state_ces_non_advl_amt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "OthChrg",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub oth_chrg_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(rename = "TotItemVal", with = "crate::money::rupees")]
    pub tot_item_val_paise: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ValDtls {
    #[schemars(with = "f64")]
    #[serde(rename = "AssVal", with = "crate::money::rupees")]
    pub ass_val_paise: i64,
    #[schemars(with = "f64")]
    #[serde(
        rename = "CgstVal",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub cgst_val_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "SgstVal",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub sgst_val_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "IgstVal",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub igst_val_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "CesVal",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub ces_val_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "StCesVal",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub st_ces_val_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "Discount",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub discount_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "OthChrg",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub oth_chrg_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(
        rename = "RndOffAmt",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub rnd_off_amt_paise: Option<i64>,
    #[schemars(with = "f64")]
    #[serde(rename = "TotInvVal", with = "crate::money::rupees")]
    pub tot_inv_val_paise: i64,
    #[schemars(with = "f64")]
    #[serde(
        rename = "TotInvValFc",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::rupees_opt"
    )]
    pub tot_inv_val_fc_paise: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RefDtls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inv_rm: Option<String>,
    /// The invoice(s) a credit or debit note refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prec_doc_dtls: Vec<PrecDocDtls>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PrecDocDtls {
    pub inv_no: String,
    /// dd/mm/yyyy.
    pub inv_dt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oth_ref_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ExpDtls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_b_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_b_dt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// "Y" when a refund will be claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_clm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_cur: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnt_code: Option<String>,
}
