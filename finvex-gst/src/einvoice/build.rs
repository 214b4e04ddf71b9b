//! Builds an INV-01 document from a plain [`Invoice`], reusing [`calculate`]
//! so the e-invoice can never disagree with the tax the merchant charged.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::irn::{financial_year, irn, DocNumber, DocType};
use super::schema::*;
use crate::calc::{calculate, LineItem, Supply, SupplyType, TaxBreakup};
use crate::date::Date;
use crate::error::GstError;
use crate::gstin::Gstin;
use crate::rate::GstRate;
use crate::state::State;
use crate::treatment::Treatment;

/// Schema version this module emits.
pub const EINVOICE_VERSION: &str = "1.1";
/// PIN used for foreign buyers, as the IRP expects.
const FOREIGN_PIN: u32 = 999_999;

fn one() -> Decimal {
    Decimal::ONE
}

fn yes() -> bool {
    true
}

/// Name and address of a party. A misspelt field (`pincode` for `pin`) is
/// refused, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub legal_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    pub address1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// City / locality.
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<u32>,
    /// State of the address; for a registered party it defaults to the GSTIN's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<State>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub hsn_code: String,
    /// Defaults to true for SAC codes (starting with 99).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_service: Option<bool>,
    #[serde(default = "one", with = "crate::money::decimal")]
    pub quantity: Decimal,
    /// GST UQC such as NOS or KGS; required for goods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub unit_price_paise: i64,
    #[serde(default)]
    pub discount_paise: i64,
    #[serde(default)]
    pub rate: GstRate,
    #[serde(default, with = "crate::money::decimal")]
    pub cess_rate: Decimal,
    /// Nil-rated, exempt or non-GST lines carry no tax (GSTR-1 Table 8).
    #[serde(default, skip_serializing_if = "Treatment::is_default")]
    pub treatment: Treatment,
}

impl InvoiceLine {
    pub fn is_service(&self) -> bool {
        self.is_service
            .unwrap_or_else(|| self.hsn_code.starts_with("99"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_bill_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_bill_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default)]
    pub refund_claim: bool,
}

/// The invoice a credit/debit note adjusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrecedingDocument {
    pub number: DocNumber,
    pub date: Date,
}

/// A B2B/SEZ/export document in plain terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub doc_type: DocType,
    pub number: DocNumber,
    pub date: Date,
    pub supply_type: SupplyType,
    #[serde(default)]
    pub reverse_charge: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecommerce_gstin: Option<Gstin>,
    pub seller_gstin: Gstin,
    pub seller: Party,
    /// `None` for exports (sent as "URP").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_gstin: Option<Gstin>,
    pub buyer: Party,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_supply: Option<State>,
    #[serde(default)]
    pub prices_include_tax: bool,
    #[serde(default = "yes")]
    pub round_to_rupee: bool,
    pub lines: Vec<InvoiceLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<ExportDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preceding_document: Option<PrecedingDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Rule 46(s): the supplier's turnover is above the e-invoice limit but
    /// it is exempt from e-invoicing, and says so on the invoice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub einvoice_exempt: bool,
    /// The delivery address where it differs from the buyer's (Rule 46(o)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Party>,
    /// Zero-rated without payment of IGST: the ARN of the Letter of
    /// Undertaking (FORM GST RFD-11, Rule 96A) it was supplied under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lut_reference: Option<String>,
}

impl Invoice {
    /// The tax question this invoice poses.
    pub fn to_supply(&self) -> Supply {
        Supply {
            seller_gstin: Some(self.seller_gstin.clone()),
            seller_state: None,
            buyer_gstin: self.buyer_gstin.clone(),
            buyer_state: if self.buyer_gstin.is_some() {
                None
            } else {
                self.buyer.state
            },
            place_of_supply: self.place_of_supply,
            supply_type: Some(self.supply_type),
            reverse_charge: self.reverse_charge,
            prices_include_tax: self.prices_include_tax,
            round_to_rupee: self.round_to_rupee,
            date: Some(self.date),
            lines: self
                .lines
                .iter()
                .map(|l| LineItem {
                    description: l.description.clone(),
                    hsn_code: Some(l.hsn_code.clone()),
                    unit_price_paise: l.unit_price_paise,
                    quantity: l.quantity,
                    discount_paise: l.discount_paise,
                    rate: l.rate,
                    cess_rate: l.cess_rate,
                })
                .collect(),
        }
    }

    /// The IRN the IRP will assign to this document.
    pub fn irn(&self) -> String {
        irn(
            &self.seller_gstin,
            &financial_year(self.date),
            self.doc_type,
            &self.number,
        )
    }
}

fn yn(b: bool) -> String {
    if b { "Y" } else { "N" }.to_string()
}

/// Builds the e-invoice, computing all taxes with [`calculate`].
///
/// B2C documents are rejected because the IRP does not register them.
pub fn build_einvoice(inv: &Invoice) -> Result<EInvoice, GstError> {
    let (sup_typ, seller_pin) = check_reportable(inv)?;
    let supply = inv.to_supply();
    let tax = calculate(&supply)?;
    Ok(EInvoice {
        version: EINVOICE_VERSION.to_string(),
        tran_dtls: tran_dtls(inv, sup_typ, &tax),
        doc_dtls: doc_dtls(inv),
        seller_dtls: seller_dtls(inv, seller_pin),
        buyer_dtls: buyer_dtls(inv, &tax),
        ship_dtls: ship_dtls(inv, &tax),
        item_list: items(inv, &tax),
        val_dtls: val_dtls(&tax),
        ref_dtls: ref_dtls(inv),
        exp_dtls: exp_dtls(inv),
    })
}

/// What the IRP needs before anything is computed: a reportable supply type
/// (returned as its `SupTyp` code), the seller's PIN, and for a note the
/// invoice it adjusts.
fn check_reportable(inv: &Invoice) -> Result<(&'static str, u32), GstError> {
    let sup_typ = inv.supply_type.einvoice_code().ok_or_else(|| {
        GstError::invalid(
            "supply_type",
            "B2C documents are not reported to the IRP; e-invoices cover B2B, SEZ and exports",
        )
    })?;
    let seller_pin = inv
        .seller
        .pin
        .ok_or_else(|| GstError::invalid("seller.pin", "the seller's PIN code is required"))?;
    if inv.doc_type != DocType::Invoice && inv.preceding_document.is_none() {
        return Err(GstError::invalid(
            "preceding_document",
            "a credit or debit note must name the invoice it adjusts",
        ));
    }
    Ok((sup_typ, seller_pin))
}

/// `TranDtls`: supply type, reverse charge, e-commerce operator, and whether
/// IGST is charged on a supply within the seller's state.
fn tran_dtls(inv: &Invoice, sup_typ: &str, tax: &TaxBreakup) -> TranDtls {
    let igst_on_intra = tax.rule.is_igst()
        && !tax.rule.is_zero_rated_lut()
        && tax.place_of_supply == inv.seller_gstin.state();
    TranDtls {
        tax_sch: "GST".into(),
        sup_typ: sup_typ.into(),
        reg_rev: Some(yn(inv.reverse_charge)),
        ecm_gstin: inv.ecommerce_gstin.as_ref().map(|g| g.to_string()),
        igst_on_intra: Some(yn(igst_on_intra)),
    }
}

/// `DocDtls`: document type, number and date.
fn doc_dtls(inv: &Invoice) -> DocDtls {
    DocDtls {
        typ: inv.doc_type.as_str().into(),
        no: inv.number.to_string(),
        dt: inv.date.to_dmy_slash(),
    }
}

/// `SellerDtls`: the seller's GSTIN, names and address; the state code is
/// the GSTIN's.
fn seller_dtls(inv: &Invoice, seller_pin: u32) -> SellerDtls {
    SellerDtls {
        gstin: inv.seller_gstin.to_string(),
        lgl_nm: inv.seller.legal_name.clone(),
        trd_nm: inv.seller.trade_name.clone(),
        addr1: inv.seller.address1.clone(),
        addr2: inv.seller.address2.clone(),
        loc: inv.seller.location.clone(),
        pin: seller_pin,
        stcd: inv.seller_gstin.state().code_str(),
        ph: inv.seller.phone.clone(),
        em: inv.seller.email.clone(),
    }
}

/// `BuyerDtls`: the buyer's GSTIN (URP for exports), names, place of supply
/// and address; foreign buyers get state 96 and PIN 999999.
fn buyer_dtls(inv: &Invoice, tax: &TaxBreakup) -> BuyerDtls {
    let buyer_state = match (&inv.buyer_gstin, inv.supply_type.is_export()) {
        (_, true) => State::FOREIGN,
        (Some(g), false) => g.state(),
        (None, false) => inv.buyer.state.unwrap_or(tax.place_of_supply),
    };
    BuyerDtls {
        gstin: inv
            .buyer_gstin
            .as_ref()
            .map_or_else(|| "URP".to_string(), |g| g.to_string()),
        lgl_nm: inv.buyer.legal_name.clone(),
        trd_nm: inv.buyer.trade_name.clone(),
        pos: tax.place_of_supply.code_str(),
        addr1: inv.buyer.address1.clone(),
        addr2: inv.buyer.address2.clone(),
        loc: inv.buyer.location.clone(),
        pin: inv
            .buyer
            .pin
            .or(inv.supply_type.is_export().then_some(FOREIGN_PIN)),
        stcd: buyer_state.code_str(),
        ph: inv.buyer.phone.clone(),
        em: inv.buyer.email.clone(),
    }
}

/// `ShipDtls`: the delivery address, when the invoice names one; its State
/// defaults to the buyer's. A missing PIN is 0, which validation refuses.
fn ship_dtls(inv: &Invoice, tax: &TaxBreakup) -> Option<ShipDtls> {
    let to = inv.ship_to.as_ref()?;
    let state = to.state.or(inv.buyer.state).unwrap_or(tax.place_of_supply);
    Some(ShipDtls {
        lgl_nm: to.legal_name.clone(),
        trd_nm: to.trade_name.clone(),
        addr1: to.address1.clone(),
        addr2: to.address2.clone(),
        loc: to.location.clone(),
        pin: to.pin.unwrap_or(0),
        stcd: state.code_str(),
    })
}

/// `ValDtls`: the document totals from the tax breakup.
fn val_dtls(tax: &TaxBreakup) -> ValDtls {
    ValDtls {
        ass_val_paise: tax.taxable_paise,
        cgst_val_paise: Some(tax.cgst_paise),
        sgst_val_paise: Some(tax.sgst_paise + tax.utgst_paise),
        igst_val_paise: Some(tax.igst_paise),
        ces_val_paise: Some(tax.cess_paise),
        st_ces_val_paise: Some(0),
        discount_paise: Some(0),
        oth_chrg_paise: Some(0),
        rnd_off_amt_paise: Some(tax.round_off_paise),
        tot_inv_val_paise: tax.total_paise,
        tot_inv_val_fc_paise: None,
    }
}

/// `RefDtls`, when there are remarks or a preceding document.
fn ref_dtls(inv: &Invoice) -> Option<RefDtls> {
    (inv.remarks.is_some() || inv.preceding_document.is_some()).then(|| RefDtls {
        inv_rm: inv.remarks.clone(),
        prec_doc_dtls: inv
            .preceding_document
            .iter()
            .map(|p| PrecDocDtls {
                inv_no: p.number.to_string(),
                inv_dt: p.date.to_dmy_slash(),
                oth_ref_no: None,
            })
            .collect(),
    })
}

/// `ExpDtls`, when export details are given.
fn exp_dtls(inv: &Invoice) -> Option<ExpDtls> {
    inv.export.as_ref().map(|e| ExpDtls {
        ship_b_no: e.shipping_bill_no.clone(),
        ship_b_dt: e.shipping_bill_date.map(|d| d.to_dmy_slash()),
        port: e.port_code.clone(),
        ref_clm: Some(yn(e.refund_claim)),
        for_cur: e.currency.clone(),
        cnt_code: e.country_code.clone(),
    })
}

/// `ItemList`: one item per line, amounts restated tax-exclusive.
fn items(inv: &Invoice, tax: &TaxBreakup) -> Vec<Item> {
    inv.lines
        .iter()
        .zip(&tax.lines)
        .enumerate()
        .map(|(i, (line, t))| {
            // The schema's amounts are tax-exclusive. For tax-inclusive
            // prices the discount is already inside the price, so the line is
            // restated as its taxable value with no separate discount.
            let (unit_price_paise, tot_amt_paise, discount_paise) = if inv.prices_include_tax {
                let unit = crate::money::round_paise(Decimal::from(t.taxable_paise) / t.quantity)
                    .unwrap_or(t.taxable_paise);
                (unit, t.taxable_paise, 0)
            } else {
                (line.unit_price_paise, t.gross_paise, t.discount_paise)
            };
            Item {
                sl_no: (i + 1).to_string(),
                prd_desc: line.description.clone(),
                is_servc: yn(line.is_service()),
                hsn_cd: line.hsn_code.clone(),
                qty: Some(t.quantity),
                unit: line.unit.clone(),
                unit_price_paise,
                tot_amt_paise,
                discount_paise: Some(discount_paise),
                ass_amt_paise: t.taxable_paise,
                gst_rt: t.rate.percent(),
                igst_amt_paise: Some(t.igst_paise),
                cgst_amt_paise: Some(t.cgst_paise),
                sgst_amt_paise: Some(t.sgst_paise + t.utgst_paise),
                ces_rt: Some(t.cess_rate),
                ces_amt_paise: Some(t.cess_paise),
                ces_non_advl_amt_paise: Some(0),
                state_ces_rt: Some(Decimal::ZERO),
                state_ces_amt_paise: Some(0),
                state_ces_non_advl_amt_paise: Some(0),
                oth_chrg_paise: Some(0),
                tot_item_val_paise: t.total_paise,
            }
        })
        .collect()
}
