//! Tax calculation: which taxes apply (the split) and how much, per line.
//!
//! Every amount is integer paise. Rates are exact decimals and each tax is
//! rounded once, half away from zero, to the paisa. CGST and SGST/UTGST are
//! each computed from the half rate so they are always equal, even when their
//! sum differs by a paisa from what IGST would have been (research §1.4).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::GstError;
use crate::gstin::Gstin;
use crate::hsn_code::HsnCode;
use crate::money::{div_round_half_up, round_paise, MAX_AMOUNT_PAISE};
use crate::rate::GstRate;
use crate::state::State;

/// Most lines an invoice may carry; the e-invoice schema allows 1000 items.
pub const MAX_LINES: usize = 1000;
/// The e-invoice `RndOffAmt` bound (±Rs 99.99).
pub const MAX_ROUND_OFF_PAISE: i64 = 9_999;
const MAX_TEXT_CHARS: usize = 300;

/// The commercial nature of the supply, which together with the place of
/// supply decides the taxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupplyType {
    /// To a registered buyer (has a GSTIN).
    B2b,
    /// To an unregistered buyer (consumer).
    B2c,
    /// To an SEZ unit/developer, IGST paid (refund claimed later).
    SezWithPayment,
    /// To an SEZ unit/developer under LUT/bond: zero tax.
    SezWithoutPayment,
    /// Export, IGST paid and refunded later.
    ExportWithPayment,
    /// Export under LUT/bond: zero tax.
    ExportWithoutPayment,
}

impl SupplyType {
    /// The e-invoice `SupTyp` code; B2C documents are not reported to the IRP.
    pub fn einvoice_code(&self) -> Option<&'static str> {
        match self {
            SupplyType::B2b => Some("B2B"),
            SupplyType::B2c => None,
            SupplyType::SezWithPayment => Some("SEZWP"),
            SupplyType::SezWithoutPayment => Some("SEZWOP"),
            SupplyType::ExportWithPayment => Some("EXPWP"),
            SupplyType::ExportWithoutPayment => Some("EXPWOP"),
        }
    }

    pub fn is_export(&self) -> bool {
        matches!(
            self,
            SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment
        )
    }

    pub fn is_sez(&self) -> bool {
        matches!(
            self,
            SupplyType::SezWithPayment | SupplyType::SezWithoutPayment
        )
    }
}

/// The rule that decided the split; returned so users can see *why*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxRule {
    /// Seller and place of supply in the same State: CGST + SGST.
    IntraState,
    /// Same UT without legislature: CGST + UTGST.
    UnionTerritory,
    /// Different States: IGST.
    InterState,
    /// SEZ supply with IGST paid (deemed inter-State even within a State).
    SezWithPayment,
    /// SEZ supply under LUT/bond: zero-rated, no tax.
    SezLut,
    /// Export with IGST paid.
    ExportWithPayment,
    /// Export under LUT/bond: zero-rated, no tax.
    ExportLut,
}

impl TaxRule {
    pub fn as_str(&self) -> &'static str {
        match self {
            TaxRule::IntraState => "intra_state",
            TaxRule::UnionTerritory => "union_territory",
            TaxRule::InterState => "inter_state",
            TaxRule::SezWithPayment => "sez_with_payment",
            TaxRule::SezLut => "sez_lut",
            TaxRule::ExportWithPayment => "export_with_payment",
            TaxRule::ExportLut => "export_lut",
        }
    }

    /// Whether the split is IGST (as opposed to CGST + SGST/UTGST).
    pub fn is_igst(&self) -> bool {
        !matches!(self, TaxRule::IntraState | TaxRule::UnionTerritory)
    }

    /// Zero-rated under LUT: the rate is recorded but no tax is charged.
    pub fn is_zero_rated_lut(&self) -> bool {
        matches!(self, TaxRule::SezLut | TaxRule::ExportLut)
    }
}

/// Who pays the tax to the government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxPayer {
    Supplier,
    /// Reverse charge: the recipient pays the tax; the supplier collects none.
    Recipient,
}

fn one() -> Decimal {
    Decimal::ONE
}

fn yes() -> bool {
    true
}

/// One invoice line as entered by the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// HSN (goods) or SAC (services) code, digits only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn_code: Option<String>,
    /// Price of one unit in paise; tax-inclusive when the supply says so.
    pub unit_price_paise: i64,
    /// Up to 3 decimals, as the e-invoice allows.
    #[serde(default = "one", with = "crate::money::decimal")]
    pub quantity: Decimal,
    /// Discount on the whole line, in paise (same tax treatment as the price).
    #[serde(default)]
    pub discount_paise: i64,
    /// Combined GST rate; defaults to 18% (standard rate, SaaS).
    #[serde(default)]
    pub rate: GstRate,
    /// Ad valorem compensation cess in percent; never split into halves.
    #[serde(default, with = "crate::money::decimal")]
    pub cess_rate: Decimal,
}

impl LineItem {
    /// A single unit at `amount_paise`, 18%, no discount or cess.
    pub fn new(amount_paise: i64) -> Self {
        LineItem {
            description: None,
            hsn_code: None,
            unit_price_paise: amount_paise,
            quantity: Decimal::ONE,
            discount_paise: 0,
            rate: GstRate::STANDARD,
            cess_rate: Decimal::ZERO,
        }
    }
}

/// Everything needed to compute the tax on one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supply {
    /// Either `seller_gstin` or `seller_state` is required; if both, they must agree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_gstin: Option<Gstin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_state: Option<State>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_gstin: Option<Gstin>,
    /// For unregistered buyers: the state of the address on record, which is
    /// the place of supply (IGST s.10(1)(ca), s.12(2)(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_state: Option<State>,
    /// Overrides the derived place of supply (special services rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_supply: Option<State>,
    /// Inferred as B2B when a buyer GSTIN is given, otherwise B2C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply_type: Option<SupplyType>,
    #[serde(default)]
    pub reverse_charge: bool,
    /// Prices are MRP-style, tax included.
    #[serde(default)]
    pub prices_include_tax: bool,
    /// Round the invoice total to the rupee (difference in `round_off_paise`).
    #[serde(default = "yes")]
    pub round_to_rupee: bool,
    /// Document date; when given, rates are checked against the slab set in
    /// force on that date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    pub lines: Vec<LineItem>,
}

impl Supply {
    /// A B2C/B2B supply skeleton between two states with the given lines.
    pub fn between(seller_state: State, buyer_state: State, lines: Vec<LineItem>) -> Self {
        Supply {
            seller_gstin: None,
            seller_state: Some(seller_state),
            buyer_gstin: None,
            buyer_state: Some(buyer_state),
            place_of_supply: None,
            supply_type: None,
            reverse_charge: false,
            prices_include_tax: false,
            round_to_rupee: true,
            date: None,
            lines,
        }
    }
}

/// Tax on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LineTax {
    pub index: usize,
    // Held inline: no allocation per line. (A plain comment: a doc comment
    // would change the published schema.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn_code: Option<HsnCode>,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub quantity: Decimal,
    /// unit price × quantity (tax-inclusive if the prices were).
    pub gross_paise: i64,
    pub discount_paise: i64,
    pub taxable_paise: i64,
    pub rate: GstRate,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub cgst_rate: Decimal,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub sgst_rate: Decimal,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub utgst_rate: Decimal,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub igst_rate: Decimal,
    #[schemars(with = "f64")]
    #[serde(with = "crate::money::decimal")]
    pub cess_rate: Decimal,
    pub cgst_paise: i64,
    pub sgst_paise: i64,
    pub utgst_paise: i64,
    pub igst_paise: i64,
    pub cess_paise: i64,
    /// cgst + sgst + utgst + igst + cess.
    pub tax_paise: i64,
    /// taxable + tax.
    pub total_paise: i64,
}

/// The result of [`calculate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TaxBreakup {
    pub rule: TaxRule,
    pub supply_type: SupplyType,
    pub seller_state: State,
    pub place_of_supply: State,
    pub reverse_charge: bool,
    pub tax_payable_by: TaxPayer,
    pub prices_include_tax: bool,
    pub lines: Vec<LineTax>,
    pub taxable_paise: i64,
    pub cgst_paise: i64,
    pub sgst_paise: i64,
    pub utgst_paise: i64,
    pub igst_paise: i64,
    pub cess_paise: i64,
    pub tax_paise: i64,
    /// Sum of line totals.
    pub total_before_round_off_paise: i64,
    /// Added to reach the rupee-rounded (or, for tax-inclusive prices, the
    /// sticker) total; within ±9,999 paise.
    pub round_off_paise: i64,
    /// The document value.
    pub total_paise: i64,
    /// What the buyer owes the seller: `total_paise`, minus the tax when the
    /// buyer pays it under reverse charge.
    pub amount_due_paise: i64,
}

/// Who, where and which rule: the outcome of the place-of-supply logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub seller_state: State,
    pub place_of_supply: State,
    pub supply_type: SupplyType,
    pub rule: TaxRule,
}

/// Applies the place-of-supply and split rules (research §1.1, §1.2).
pub fn resolve(supply: &Supply) -> Result<Resolution, GstError> {
    let seller_state = seller_state_of(supply)?;
    check_buyer_state(supply)?;
    let supply_type = supply
        .supply_type
        .unwrap_or(if supply.buyer_gstin.is_some() {
            SupplyType::B2b
        } else {
            SupplyType::B2c
        });
    let place_of_supply = place_of_supply_of(supply, supply_type, seller_state)?;
    Ok(Resolution {
        seller_state,
        place_of_supply,
        supply_type,
        rule: rule_for(supply_type, seller_state, place_of_supply),
    })
}

/// The seller's state from its GSTIN and/or `seller_state` (which must
/// agree), checked to be a place a supplier can be registered in.
fn seller_state_of(supply: &Supply) -> Result<State, GstError> {
    let seller_state = match (&supply.seller_gstin, supply.seller_state) {
        (Some(g), Some(s)) if g.state() != s => {
            return Err(GstError::inconsistent(
                "seller_state",
                format!(
                    "seller_state {s} does not match the seller GSTIN's state {}",
                    g.state()
                ),
            ))
        }
        (Some(g), _) => g.state(),
        (None, Some(s)) => s,
        (None, None) => {
            return Err(GstError::invalid(
                "seller_state",
                "seller_state or seller_gstin is required",
            ))
        }
    };
    seller_state.check_supplier_location().map_err(|e| {
        e.at(if supply.seller_gstin.is_some() {
            "seller_gstin"
        } else {
            "seller_state"
        })
    })?;
    Ok(seller_state)
}

/// A buyer GSTIN and `buyer_state`, when both are given, must agree.
fn check_buyer_state(supply: &Supply) -> Result<(), GstError> {
    if let (Some(g), Some(s)) = (&supply.buyer_gstin, supply.buyer_state) {
        if g.state() != s {
            return Err(GstError::inconsistent(
                "buyer_state",
                format!(
                    "buyer_state {s} does not match the buyer GSTIN's state {}",
                    g.state()
                ),
            ));
        }
    }
    Ok(())
}

/// The place of supply for `supply_type`: the registered buyer's state, the
/// unregistered buyer's address (else the seller's state), or 96 for exports.
fn place_of_supply_of(
    supply: &Supply,
    supply_type: SupplyType,
    seller_state: State,
) -> Result<State, GstError> {
    match supply_type {
        SupplyType::B2b => registered_pos(supply, "B2B"),
        SupplyType::SezWithPayment | SupplyType::SezWithoutPayment => registered_pos(supply, "SEZ"),
        SupplyType::B2c => {
            if supply.buyer_gstin.is_some() {
                return Err(GstError::inconsistent(
                    "supply_type",
                    "a buyer with a GSTIN is registered; use b2b",
                ));
            }
            // Unregistered buyer: the address on record decides; with no
            // address the supplier's location is the place of supply.
            domestic_pos(
                supply
                    .place_of_supply
                    .or(supply.buyer_state)
                    .unwrap_or(seller_state),
            )
        }
        SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment => export_pos(supply),
    }
}

/// A supply to a registered buyer (B2B or SEZ, named by `what`): the buyer
/// GSTIN is required and its state is the place of supply unless overridden.
fn registered_pos(supply: &Supply, what: &str) -> Result<State, GstError> {
    let g = supply
        .buyer_gstin
        .as_ref()
        .ok_or_else(|| GstError::invalid("buyer_gstin", format!("required for a {what} supply")))?;
    domestic_pos(supply.place_of_supply.unwrap_or_else(|| g.state()))
}

/// An export: no buyer GSTIN, and any place of supply or buyer state given
/// must be 96 (Other Countries).
fn export_pos(supply: &Supply) -> Result<State, GstError> {
    if supply.buyer_gstin.is_some() {
        return Err(GstError::inconsistent(
            "buyer_gstin",
            "an export recipient has no GSTIN (URP)",
        ));
    }
    for (field, s) in [
        ("place_of_supply", supply.place_of_supply),
        ("buyer_state", supply.buyer_state),
    ] {
        if let Some(s) = s.filter(|s| *s != State::FOREIGN) {
            return Err(GstError::inconsistent(
                field,
                format!("an export's place of supply is 96 (Other Countries), not {s}"),
            ));
        }
    }
    Ok(State::FOREIGN)
}

/// A domestic place of supply: neither 96 (that is an export) nor 99.
fn domestic_pos(pos: State) -> Result<State, GstError> {
    match pos.code() {
        96 => Err(GstError::StateNotAllowed {
            field: "place_of_supply".into(),
            code: pos.code_str(),
            reason: "a place of supply outside India is an export; use export_with_payment or export_without_payment".into(),
        }),
        99 => Err(GstError::StateNotAllowed {
            field: "place_of_supply".into(),
            code: pos.code_str(),
            reason: "Centre Jurisdiction is not a place of supply".into(),
        }),
        _ => Ok(pos),
    }
}

/// The split rule for a supply type between the seller's state and the
/// place of supply.
fn rule_for(supply_type: SupplyType, seller_state: State, place_of_supply: State) -> TaxRule {
    match supply_type {
        SupplyType::B2b | SupplyType::B2c => {
            if place_of_supply == seller_state {
                if seller_state.uses_utgst() {
                    TaxRule::UnionTerritory
                } else {
                    TaxRule::IntraState
                }
            } else {
                TaxRule::InterState
            }
        }
        SupplyType::SezWithPayment => TaxRule::SezWithPayment,
        SupplyType::SezWithoutPayment => TaxRule::SezLut,
        SupplyType::ExportWithPayment => TaxRule::ExportWithPayment,
        SupplyType::ExportWithoutPayment => TaxRule::ExportLut,
    }
}

/// `round_half_away(taxable × percent / 100)` in paise, or `None` when the
/// product or the tax does not fit. Hand-edited e-invoices can carry any
/// amount and rate, so this must not panic; [`calculate`] bounds its inputs
/// and uses exact integer arithmetic instead.
pub fn tax_on(taxable_paise: i64, percent: Decimal) -> Option<i64> {
    Decimal::from(taxable_paise)
        .checked_mul(percent)?
        .checked_div(Decimal::ONE_HUNDRED)
        .and_then(round_paise)
}

/// Rounds a non-negative paise amount to the nearest rupee, 50 paise up.
pub fn round_to_rupee(paise: i64) -> i64 {
    (paise + 50).div_euclid(100) * 100
}

/// Largest quantity, 9,999,999,999.999, in thousandths.
const MAX_QUANTITY_MILLI: i64 = 9_999_999_999_999;
/// Largest cess rate, 999.999%, in thousandths of a percent.
const MAX_CESS_MILLI_PERCENT: i64 = 999_999;
/// 100% in thousandths of a percent, the unit of cess rates.
const HUNDRED_PERCENT_MILLI: u64 = 100_000;
/// 100% in basis points, the unit of GST rates.
const HUNDRED_PERCENT_BP: u64 = 10_000;

/// The JSON path of a line's field, built only when an error needs it.
fn line_field(i: usize, name: &str) -> String {
    format!("lines[{i}].{name}")
}

/// `value × 1000` when `value` has at most 3 decimals and the result fits
/// an `i64`. `None` otherwise, which the callers treat as out of range:
/// anything beyond `i64` is far above every limit they check.
fn thousandths(value: Decimal) -> Option<i64> {
    const TO_THOUSANDTHS: [i64; 4] = [1_000, 100, 10, 1];
    let factor = *TO_THOUSANDTHS.get(usize::try_from(value.scale()).ok()?)?;
    i64::try_from(value.mantissa()).ok()?.checked_mul(factor)
}

/// A line's inputs in the form the arithmetic uses: decimals as exact
/// integers (every quantity and cess rate has at most 3 decimals), and the
/// HSN code inline.
#[derive(Clone, Copy)]
struct ExactLine {
    /// Quantity × 1000.
    quantity_milli: u64,
    /// Cess rate in thousandths of a percent (12% → 12_000).
    cess_milli_percent: u64,
    hsn_code: Option<HsnCode>,
}

/// A paise value computed from bounded inputs, checked to be a valid amount.
fn checked_amount(field: impl FnOnce() -> String, paise: u128) -> Result<i64, GstError> {
    i64::try_from(paise)
        .ok()
        .filter(|p| *p <= MAX_AMOUNT_PAISE)
        .ok_or_else(|| {
            GstError::invalid(
                field(),
                format!("amount must be between 0 and {MAX_AMOUNT_PAISE} paise"),
            )
        })
}

/// Checks a line and returns its inputs in the form the arithmetic uses.
fn check_line(i: usize, line: &LineItem, date: Option<Date>) -> Result<ExactLine, GstError> {
    check_line_amounts(i, line)?;
    let quantity_milli = quantity_milli(i, line.quantity)?;
    let cess_milli_percent = cess_milli_percent(i, line.cess_rate)?;
    let exact = ExactLine {
        quantity_milli,
        cess_milli_percent,
        hsn_code: hsn_code(i, line)?,
    };
    check_description(i, line)?;
    if let Some(date) = date {
        line.rate
            .check_effective(date)
            .map_err(|e| e.at(line_field(i, "rate")))?;
    }
    Ok(exact)
}

/// The unit price is a valid amount and the discount is not negative.
fn check_line_amounts(i: usize, line: &LineItem) -> Result<(), GstError> {
    if !(0..=MAX_AMOUNT_PAISE).contains(&line.unit_price_paise) {
        return Err(GstError::invalid(
            line_field(i, "unit_price_paise"),
            format!("must be between 0 and {MAX_AMOUNT_PAISE}"),
        ));
    }
    if line.discount_paise < 0 {
        return Err(GstError::invalid(
            line_field(i, "discount_paise"),
            "must not be negative",
        ));
    }
    Ok(())
}

/// The quantity in thousandths: greater than 0, at most 9,999,999,999.999.
fn quantity_milli(i: usize, quantity: Decimal) -> Result<u64, GstError> {
    thousandths(quantity)
        .filter(|q| (1..=MAX_QUANTITY_MILLI).contains(q))
        .and_then(|q| u64::try_from(q).ok())
        .ok_or_else(|| {
            GstError::invalid(
                line_field(i, "quantity"),
                "must be greater than 0, at most 9999999999.999, with at most 3 decimals",
            )
        })
}

/// The cess rate in thousandths of a percent: 0 to 999.999%.
fn cess_milli_percent(i: usize, cess_rate: Decimal) -> Result<u64, GstError> {
    thousandths(cess_rate)
        .filter(|c| (0..=MAX_CESS_MILLI_PERCENT).contains(c))
        .and_then(|c| u64::try_from(c).ok())
        .ok_or_else(|| {
            GstError::invalid(
                line_field(i, "cess_rate"),
                "must be between 0 and 999.999 percent with at most 3 decimals",
            )
        })
}

/// The line's HSN/SAC code, if any: 2 to 8 digits.
fn hsn_code(i: usize, line: &LineItem) -> Result<Option<HsnCode>, GstError> {
    line.hsn_code
        .as_deref()
        .map(HsnCode::parse)
        .transpose()
        .map_err(|e| e.at(line_field(i, "hsn_code")))
}

/// The description is at most [`MAX_TEXT_CHARS`] characters.
fn check_description(i: usize, line: &LineItem) -> Result<(), GstError> {
    // A string has at least as many bytes as characters, so only long
    // ones need counting.
    if let Some(d) = line
        .description
        .as_ref()
        .filter(|d| d.len() > MAX_TEXT_CHARS)
    {
        let n = d.chars().count();
        if n > MAX_TEXT_CHARS {
            return Err(GstError::LimitExceeded {
                field: line_field(i, "description"),
                limit: MAX_TEXT_CHARS,
                actual: n,
            });
        }
    }
    Ok(())
}

/// The CGST, SGST, UTGST and IGST rates (percent) a rule applies.
#[derive(Clone, Copy)]
struct SplitRates {
    cgst: Decimal,
    sgst: Decimal,
    utgst: Decimal,
    igst: Decimal,
}

/// Splits `rate` per `rule`: halves for CGST + SGST/UTGST, whole for IGST.
fn split_rates(rule: TaxRule, rate: GstRate) -> SplitRates {
    let zero = Decimal::ZERO;
    let (cgst, sgst, utgst, igst) = match rule {
        TaxRule::IntraState => {
            let half = rate.half_percent();
            (half, half, zero, zero)
        }
        TaxRule::UnionTerritory => {
            let half = rate.half_percent();
            (half, zero, half, zero)
        }
        _ => (zero, zero, zero, rate.percent()),
    };
    SplitRates {
        cgst,
        sgst,
        utgst,
        igst,
    }
}

/// The tax of each kind on one line, in paise.
#[derive(Clone, Copy, Default)]
struct LineAmounts {
    cgst: i64,
    sgst: i64,
    utgst: i64,
    igst: i64,
    cess: i64,
}

impl LineAmounts {
    /// Each tax on `taxable_paise` (never negative) under `rule`, all zero
    /// under LUT; `None` if a tax does not fit in `i64`, which the checked
    /// limits (taxable ≤ [`MAX_AMOUNT_PAISE`], rates ≤ 1040%) rule out.
    ///
    /// `taxable × rate` is exact in integers: GST rates are whole basis
    /// points and cess rates whole thousandths of a percent. The half rate
    /// is `bp / 20_000`, so CGST and SGST/UTGST are one rounded value.
    fn on(taxable_paise: i64, rule: TaxRule, rate: GstRate, exact: ExactLine) -> Option<Self> {
        if rule.is_zero_rated_lut() {
            return Some(LineAmounts::default());
        }
        let taxable = u128::from(taxable_paise.unsigned_abs());
        // `taxable × numerator / denominator`, rounded once.
        let tax = |numerator: u64, denominator: u64| {
            i64::try_from(div_round_half_up(
                taxable * u128::from(numerator),
                denominator,
            ))
            .ok()
        };
        let bp = u64::from(rate.basis_points());
        let cess = tax(exact.cess_milli_percent, HUNDRED_PERCENT_MILLI)?;
        let amounts = match rule {
            TaxRule::IntraState | TaxRule::UnionTerritory => {
                let half = tax(bp, 2 * HUNDRED_PERCENT_BP)?;
                let ut = rule == TaxRule::UnionTerritory;
                LineAmounts {
                    cgst: half,
                    sgst: if ut { 0 } else { half },
                    utgst: if ut { half } else { 0 },
                    igst: 0,
                    cess,
                }
            }
            _ => LineAmounts {
                igst: tax(bp, HUNDRED_PERCENT_BP)?,
                cess,
                ..LineAmounts::default()
            },
        };
        Some(amounts)
    }

    /// cgst + sgst + utgst + igst + cess.
    fn total(&self) -> i64 {
        self.cgst + self.sgst + self.utgst + self.igst + self.cess
    }
}

/// A line's gross amount (unit price × quantity) and its net after the
/// discount, which may not exceed the gross.
fn line_gross_and_net(i: usize, line: &LineItem, exact: ExactLine) -> Result<(i64, i64), GstError> {
    // price ≤ 10^14 and quantity × 1000 ≤ 10^13: the product fits a u128.
    let price_times_milli =
        u128::from(line.unit_price_paise.unsigned_abs()) * u128::from(exact.quantity_milli);
    let gross_paise = checked_amount(
        || line_field(i, "quantity"),
        div_round_half_up(price_times_milli, 1_000),
    )?;
    if line.discount_paise > gross_paise {
        return Err(GstError::invalid(
            line_field(i, "discount_paise"),
            format!(
                "discount {} exceeds the line amount {gross_paise}",
                line.discount_paise
            ),
        ));
    }
    Ok((gross_paise, gross_paise - line.discount_paise))
}

/// The taxable value of a line's net amount: the net itself, or for
/// tax-inclusive prices that are taxed, `net × 100 / (100 + rate + cess)`
/// rounded once, computed in thousandths of a percent so it is exact.
fn taxable_value(
    i: usize,
    line: &LineItem,
    exact: ExactLine,
    net_paise: i64,
    tax_included: bool,
) -> Result<i64, GstError> {
    if !tax_included {
        return Ok(net_paise);
    }
    let rate_milli = u64::from(line.rate.basis_points()) * 10;
    let divisor = HUNDRED_PERCENT_MILLI + rate_milli + exact.cess_milli_percent;
    checked_amount(
        || line_field(i, "unit_price_paise"),
        div_round_half_up(
            u128::from(net_paise.unsigned_abs()) * u128::from(HUNDRED_PERCENT_MILLI),
            divisor,
        ),
    )
}

/// The tax on one line under `rule`.
fn line_tax(
    i: usize,
    line: &LineItem,
    exact: ExactLine,
    rule: TaxRule,
    inclusive: bool,
) -> Result<LineTax, GstError> {
    let (gross_paise, net_paise) = line_gross_and_net(i, line, exact)?;
    let charged = !rule.is_zero_rated_lut();
    let taxable_paise = taxable_value(i, line, exact, net_paise, inclusive && charged)?;
    let rates = split_rates(rule, line.rate);
    // Unreachable within the checked limits; an error rather than a panic
    // should those limits ever be raised.
    let tax = LineAmounts::on(taxable_paise, rule, line.rate, exact).ok_or_else(|| {
        GstError::invalid(
            line_field(i, "cess_rate"),
            "the tax on this line exceeds the largest amount the engine handles",
        )
    })?;
    let tax_paise = tax.total();
    debug_assert!(rule.is_igst() || tax.cgst == tax.sgst + tax.utgst);
    Ok(LineTax {
        index: i,
        hsn_code: exact.hsn_code,
        quantity: line.quantity,
        gross_paise,
        discount_paise: line.discount_paise,
        taxable_paise,
        rate: line.rate,
        cgst_rate: rates.cgst,
        sgst_rate: rates.sgst,
        utgst_rate: rates.utgst,
        igst_rate: rates.igst,
        cess_rate: line.cess_rate,
        cgst_paise: tax.cgst,
        sgst_paise: tax.sgst,
        utgst_paise: tax.utgst,
        igst_paise: tax.igst,
        cess_paise: tax.cess,
        tax_paise,
        total_paise: taxable_paise + tax_paise,
    })
}

/// A document has 1 to [`MAX_LINES`] lines.
fn check_line_count(supply: &Supply) -> Result<(), GstError> {
    if supply.lines.is_empty() {
        return Err(GstError::invalid("lines", "at least one line is required"));
    }
    if supply.lines.len() > MAX_LINES {
        return Err(GstError::LimitExceeded {
            field: "lines".into(),
            limit: MAX_LINES,
            actual: supply.lines.len(),
        });
    }
    Ok(())
}

/// Checks and taxes every line, in order, and adds them up.
fn tax_lines(supply: &Supply, rule: TaxRule) -> Result<(Vec<LineTax>, LineSums), GstError> {
    let mut lines = Vec::with_capacity(supply.lines.len());
    let mut sums = LineSums::default();
    for (i, line) in supply.lines.iter().enumerate() {
        let exact = check_line(i, line, supply.date)?;
        let tax = line_tax(i, line, exact, rule, supply.prices_include_tax)?;
        sums.add(&tax);
        lines.push(tax);
    }
    debug_assert_eq!(
        sums.tax,
        sums.cgst + sums.sgst + sums.utgst + sums.igst + sums.cess
    );
    debug_assert_eq!(sums.total, sums.taxable + sums.tax);
    Ok((lines, sums))
}

/// The document's sums over its lines. At most [`MAX_LINES`] lines of at
/// most ~10^15 paise each keep every sum far inside `i64`.
#[derive(Clone, Copy, Default)]
struct LineSums {
    /// gross − discount: the sticker total of tax-inclusive prices.
    net: i64,
    taxable: i64,
    cgst: i64,
    sgst: i64,
    utgst: i64,
    igst: i64,
    cess: i64,
    tax: i64,
    total: i64,
}

impl LineSums {
    /// Adds one line's amounts.
    fn add(&mut self, l: &LineTax) {
        self.net += l.gross_paise - l.discount_paise;
        self.taxable += l.taxable_paise;
        self.cgst += l.cgst_paise;
        self.sgst += l.sgst_paise;
        self.utgst += l.utgst_paise;
        self.igst += l.igst_paise;
        self.cess += l.cess_paise;
        self.tax += l.tax_paise;
        self.total += l.total_paise;
    }
}

/// The document value: the sum of line totals (or, for tax-inclusive
/// prices, the sticker total), rounded to the rupee if asked; the round-off
/// needed to reach it must stay within [`MAX_ROUND_OFF_PAISE`].
fn document_total(supply: &Supply, sums: &LineSums) -> Result<i64, GstError> {
    // Tax-inclusive prices promise the customer the sticker total, so the
    // rounding residue of each line goes into the round-off.
    let target = if supply.prices_include_tax {
        sums.net
    } else {
        sums.total
    };
    let target = if supply.round_to_rupee {
        round_to_rupee(target)
    } else {
        target
    };
    let round_off_paise = target - sums.total;
    if round_off_paise.abs() > MAX_ROUND_OFF_PAISE {
        return Err(GstError::invalid(
            "lines",
            format!(
                "round-off of {round_off_paise} paise exceeds the allowed ±{MAX_ROUND_OFF_PAISE}"
            ),
        ));
    }
    Ok(target)
}

/// Computes the full tax breakup of one document.
pub fn calculate(supply: &Supply) -> Result<TaxBreakup, GstError> {
    check_line_count(supply)?;
    let res = resolve(supply)?;
    let (lines, sums) = tax_lines(supply, res.rule)?;
    let target = document_total(supply, &sums)?;
    let reverse = supply.reverse_charge;
    Ok(TaxBreakup {
        rule: res.rule,
        supply_type: res.supply_type,
        seller_state: res.seller_state,
        place_of_supply: res.place_of_supply,
        reverse_charge: reverse,
        tax_payable_by: if reverse {
            TaxPayer::Recipient
        } else {
            TaxPayer::Supplier
        },
        prices_include_tax: supply.prices_include_tax,
        lines,
        taxable_paise: sums.taxable,
        cgst_paise: sums.cgst,
        sgst_paise: sums.sgst,
        utgst_paise: sums.utgst,
        igst_paise: sums.igst,
        cess_paise: sums.cess,
        tax_paise: sums.tax,
        total_before_round_off_paise: sums.total,
        round_off_paise: target - sums.total,
        total_paise: target,
        amount_due_paise: if reverse { target - sums.tax } else { target },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(s: &str) -> State {
        State::parse(s).unwrap()
    }

    fn rate(s: &str) -> GstRate {
        GstRate::parse(s).unwrap()
    }

    fn line(paise: i64, r: &str) -> LineItem {
        LineItem {
            rate: rate(r),
            ..LineItem::new(paise)
        }
    }

    fn one_line(seller: &str, buyer: &str, l: LineItem) -> TaxBreakup {
        calculate(&Supply::between(st(seller), st(buyer), vec![l])).unwrap()
    }

    #[test]
    fn intra_state_18_percent_on_rs_1000_is_cgst_90_plus_sgst_90() {
        let b = one_line("KA", "KA", LineItem::new(100_000));
        assert_eq!(b.rule, TaxRule::IntraState);
        assert_eq!(b.rule.as_str(), "intra_state");
        assert_eq!(
            (b.cgst_paise, b.sgst_paise, b.igst_paise),
            (9_000, 9_000, 0)
        );
        assert_eq!(b.total_paise, 118_000);
        assert_eq!(b.round_off_paise, 0);
        assert_eq!(b.lines[0].cgst_rate, Decimal::new(9, 0));
    }

    #[test]
    fn seed_example_ka_to_mh_is_igst_180() {
        let mut l = LineItem::new(100_000);
        l.hsn_code = Some("998316".into());
        let b = one_line("KA", "MH", l);
        assert_eq!(b.rule, TaxRule::InterState);
        assert_eq!(b.place_of_supply.code(), 27);
        assert_eq!(b.igst_paise, 18_000);
        assert_eq!((b.cgst_paise, b.sgst_paise), (0, 0));
        assert_eq!(b.total_paise, 118_000);
        let json = serde_json::to_value(&b).unwrap();
        assert_eq!(json["rule"], "inter_state");
        assert_eq!(json["igst_paise"], 18_000);
        assert_eq!(json["lines"][0]["igst_rate"], 18);
    }

    #[test]
    fn chandigarh_intra_ut_is_cgst_plus_utgst() {
        let b = one_line("CH", "Chandigarh", LineItem::new(100_000));
        assert_eq!(b.rule, TaxRule::UnionTerritory);
        assert_eq!(
            (b.cgst_paise, b.utgst_paise, b.sgst_paise),
            (9_000, 9_000, 0)
        );
        // Delhi has a legislature: SGST, not UTGST.
        let b = one_line("DL", "DL", LineItem::new(100_000));
        assert_eq!(b.rule, TaxRule::IntraState);
        assert_eq!((b.sgst_paise, b.utgst_paise), (9_000, 0));
    }

    fn registered(seller: &str, buyer: &str, t: SupplyType) -> Supply {
        Supply {
            seller_gstin: Some(Gstin::parse(seller).unwrap()),
            buyer_gstin: Some(Gstin::parse(buyer).unwrap()),
            supply_type: Some(t),
            ..Supply::between(st("29"), st("29"), vec![LineItem::new(100_000)])
        }
    }

    #[test]
    fn sez_supply_in_same_state_is_igst_or_zero_under_lut() {
        let mut s = registered(
            "29AAFCC9980M1ZR",
            "29AAFCC9980M1ZR",
            SupplyType::SezWithPayment,
        );
        s.buyer_state = None;
        s.seller_state = None;
        let b = calculate(&s).unwrap();
        assert_eq!(b.rule, TaxRule::SezWithPayment);
        assert_eq!((b.igst_paise, b.cgst_paise), (18_000, 0));
        s.supply_type = Some(SupplyType::SezWithoutPayment);
        let b = calculate(&s).unwrap();
        assert_eq!(b.rule.as_str(), "sez_lut");
        assert_eq!((b.tax_paise, b.total_paise), (0, 100_000));
        assert_eq!(b.lines[0].igst_rate, Decimal::new(18, 0));
    }

    #[test]
    fn export_under_lut_is_zero_rated_with_pos_96() {
        let s = Supply {
            supply_type: Some(SupplyType::ExportWithoutPayment),
            buyer_state: None,
            ..Supply::between(st("MH"), st("MH"), vec![LineItem::new(250_000)])
        };
        let b = calculate(&s).unwrap();
        assert_eq!(b.rule, TaxRule::ExportLut);
        assert_eq!(b.place_of_supply, State::FOREIGN);
        assert_eq!((b.tax_paise, b.total_paise), (0, 250_000));
        let s = Supply {
            supply_type: Some(SupplyType::ExportWithPayment),
            ..s
        };
        let b = calculate(&s).unwrap();
        assert_eq!(b.rule, TaxRule::ExportWithPayment);
        assert_eq!(b.igst_paise, 45_000);
        // Export with a domestic buyer state is contradictory.
        let s = Supply {
            buyer_state: Some(st("KA")),
            ..s
        };
        assert_eq!(calculate(&s).unwrap_err().field(), Some("buyer_state"));
    }

    #[test]
    fn research_rounding_vectors() {
        // (taxable paise, rate, IGST, CGST = SGST)
        for (taxable, r, igst, half) in [
            (100_000, "18", 18_000, 9_000),
            (28, "18", 5, 3),
            (123_457, "0.25", 309, 154),
            (33_333, "1.5", 500, 250),
            (10_005, "12", 1_201, 600),
            (1_010, "40", 404, 202),
        ] {
            let inter = one_line("KA", "MH", line(taxable, r));
            assert_eq!(inter.igst_paise, igst, "{taxable} @ {r}");
            let intra = one_line("KA", "KA", line(taxable, r));
            assert_eq!(
                (intra.cgst_paise, intra.sgst_paise),
                (half, half),
                "{taxable} @ {r}"
            );
        }
    }

    #[test]
    fn tax_inclusive_prices() {
        let incl = |seller: &str, buyer: &str, paise: i64| {
            let mut s = Supply::between(st(seller), st(buyer), vec![LineItem::new(paise)]);
            s.prices_include_tax = true;
            calculate(&s).unwrap()
        };
        let b = incl("KA", "MH", 118_000);
        assert_eq!(
            (b.taxable_paise, b.tax_paise, b.total_paise),
            (100_000, 18_000, 118_000)
        );
        // Rs 999 intra-state: 846.61 + 76.19 + 76.19 = 998.99, +0.01 round-off.
        let b = incl("KA", "KA", 99_900);
        assert_eq!(b.taxable_paise, 84_661);
        assert_eq!((b.cgst_paise, b.sgst_paise), (7_619, 7_619));
        assert_eq!(b.total_before_round_off_paise, 99_899);
        assert_eq!((b.round_off_paise, b.total_paise), (1, 99_900));
        let b = incl("KA", "MH", 99_900);
        assert_eq!(
            (b.igst_paise, b.round_off_paise, b.total_paise),
            (15_239, 0, 99_900)
        );
    }

    #[test]
    fn round_off_to_rupee_is_its_own_field() {
        // 282.50 * 1.18 = 333.35 → 333.00, round-off -0.35
        let b = one_line("KA", "MH", LineItem::new(28_250));
        assert_eq!(b.total_before_round_off_paise, 33_335);
        assert_eq!((b.round_off_paise, b.total_paise), (-35, 33_300));
        // exactly 50 paise rounds up
        assert_eq!(round_to_rupee(100_050), 100_100);
        assert_eq!(round_to_rupee(100_049), 100_000);
        let mut s = Supply::between(st("KA"), st("MH"), vec![LineItem::new(28_250)]);
        s.round_to_rupee = false;
        let b = calculate(&s).unwrap();
        assert_eq!((b.round_off_paise, b.total_paise), (0, 33_335));
    }

    #[test]
    fn quantity_discount_and_cess() {
        let l = LineItem {
            quantity: Decimal::new(3, 0),
            discount_paise: 999,
            rate: rate("28"),
            cess_rate: Decimal::new(12, 0),
            ..LineItem::new(33_333)
        };
        let b = one_line("KA", "KA", l);
        let t = &b.lines[0];
        assert_eq!((t.gross_paise, t.taxable_paise), (99_999, 99_000));
        assert_eq!(
            (t.cgst_paise, t.sgst_paise, t.cess_paise),
            (13_860, 13_860, 11_880)
        );
        assert_eq!(t.total_paise, 99_000 + 13_860 * 2 + 11_880);
        // fractional quantity: 2.5 × 10.01 = 25.025 → 25.03
        let l = LineItem {
            quantity: Decimal::new(25, 1),
            ..LineItem::new(1_001)
        };
        assert_eq!(one_line("KA", "KA", l).lines[0].gross_paise, 2_503);
    }

    #[test]
    fn b2c_without_address_uses_seller_state() {
        let s = Supply {
            buyer_state: None,
            ..Supply::between(st("KA"), st("KA"), vec![LineItem::new(100)])
        };
        let b = calculate(&s).unwrap();
        assert_eq!(
            (b.place_of_supply.code(), b.rule),
            (29, TaxRule::IntraState)
        );
        // An explicit place of supply wins over the buyer state.
        let s = Supply {
            place_of_supply: Some(st("TN")),
            ..Supply::between(st("KA"), st("KA"), vec![LineItem::new(100)])
        };
        assert_eq!(calculate(&s).unwrap().rule, TaxRule::InterState);
    }

    #[test]
    fn b2b_uses_buyer_gstin_state_and_reverse_charge_moves_tax_to_buyer() {
        let mut s = registered("29AAFCC9980M1ZR", "27AAPFU0939F1ZV", SupplyType::B2b);
        s.seller_state = None;
        s.buyer_state = None;
        s.supply_type = None;
        s.reverse_charge = true;
        let b = calculate(&s).unwrap();
        assert_eq!(
            (b.supply_type, b.rule),
            (SupplyType::B2b, TaxRule::InterState)
        );
        assert_eq!(b.tax_payable_by, TaxPayer::Recipient);
        assert_eq!((b.total_paise, b.amount_due_paise), (118_000, 100_000));
    }

    #[test]
    fn precise_errors() {
        let mut s = Supply::between(st("KA"), st("MH"), vec![LineItem::new(100)]);
        s.supply_type = Some(SupplyType::B2b);
        assert_eq!(calculate(&s).unwrap_err().field(), Some("buyer_gstin"));

        let s = Supply::between(State::FOREIGN, st("MH"), vec![LineItem::new(100)]);
        assert_eq!(calculate(&s).unwrap_err().code(), "state_not_allowed");

        let s = Supply::between(st("KA"), st("MH"), vec![LineItem::new(1); MAX_LINES + 1]);
        assert_eq!(calculate(&s).unwrap_err().code(), "limit_exceeded");

        let s = Supply::between(st("KA"), st("MH"), vec![]);
        assert_eq!(calculate(&s).unwrap_err().field(), Some("lines"));

        let mut l = LineItem::new(100);
        l.discount_paise = 101;
        let s = Supply::between(st("KA"), st("MH"), vec![LineItem::new(5), l]);
        assert_eq!(
            calculate(&s).unwrap_err().field(),
            Some("lines[1].discount_paise")
        );

        let mut l = LineItem::new(100);
        l.quantity = Decimal::new(1, 4);
        let s = Supply::between(st("KA"), st("MH"), vec![l]);
        assert_eq!(
            calculate(&s).unwrap_err().field(),
            Some("lines[0].quantity")
        );

        let mut s = Supply::between(st("KA"), st("MH"), vec![line(100, "40")]);
        s.date = Some(Date::new(2025, 1, 1).unwrap());
        assert_eq!(calculate(&s).unwrap_err().field(), Some("lines[0].rate"));

        let mut s = registered("29AAFCC9980M1ZR", "27AAPFU0939F1ZV", SupplyType::B2b);
        s.seller_state = Some(st("MH"));
        assert_eq!(calculate(&s).unwrap_err().field(), Some("seller_state"));
    }

    #[test]
    fn deserialises_the_api_shape() {
        let s: Supply = serde_json::from_str(
            r#"{"seller_state":"KA","buyer_state":"MH",
                "lines":[{"unit_price_paise":100000,"hsn_code":"998316"}]}"#,
        )
        .unwrap();
        let b = calculate(&s).unwrap();
        assert_eq!(b.igst_paise, 18_000);
        let s: Result<Supply, _> = serde_json::from_str(
            r#"{"seller_state":"KA","lines":[{"unit_price_paise":1,"rate":17}]}"#,
        );
        assert!(s.is_err());
    }

    #[test]
    fn tax_on_returns_none_instead_of_overflowing() {
        assert_eq!(tax_on(100_000, Decimal::new(18, 0)), Some(18_000));
        assert_eq!(tax_on(-28, Decimal::new(18, 0)), Some(-5));
        assert_eq!(tax_on(i64::MAX, Decimal::new(999_999, 3)), None);
        assert_eq!(tax_on(i64::MAX, Decimal::MAX), None);
        assert_eq!(tax_on(i64::MIN, Decimal::MIN), None);
    }

    /// The integer arithmetic against the formulas it replaced, evaluated in
    /// `Decimal` exactly as before: same amounts, same rate decimals (down to
    /// their digits) and same errors, for any price, quantity, discount, slab,
    /// cess rate, inclusive or not, under every split.
    mod exactness {
        use super::super::*;
        use proptest::prelude::*;
        use rust_decimal::prelude::ToPrimitive;
        use rust_decimal::RoundingStrategy;

        use crate::rate::SLABS;

        /// What the old code computed for one line, or the field it rejected.
        #[derive(Debug, PartialEq)]
        struct Expected {
            gross_paise: i64,
            taxable_paise: i64,
            /// CGST, SGST, UTGST, IGST, cess.
            tax_paise: [i64; 5],
            /// CGST, SGST, UTGST, IGST rates as `Display` shows them.
            rates: [String; 4],
        }

        fn round(value: Decimal) -> Option<i64> {
            value
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_i64()
        }

        fn amount(value: Decimal) -> Option<i64> {
            round(value).filter(|p| (0..=MAX_AMOUNT_PAISE).contains(p))
        }

        /// The old formulas, step by step, in `Decimal`.
        fn reference(
            line: &LineItem,
            rule: TaxRule,
            inclusive: bool,
        ) -> Result<Expected, &'static str> {
            let gross_paise =
                amount(Decimal::from(line.unit_price_paise) * line.quantity).ok_or("quantity")?;
            if line.discount_paise > gross_paise {
                return Err("discount_paise");
            }
            let net_paise = gross_paise - line.discount_paise;
            let charged = !rule.is_zero_rated_lut();
            let whole = Decimal::new(i64::from(line.rate.basis_points()), 2).normalize();
            let taxable_paise = if inclusive && charged {
                let divisor = Decimal::ONE_HUNDRED + whole + line.cess_rate;
                amount(Decimal::from(net_paise) * Decimal::ONE_HUNDRED / divisor)
                    .ok_or("unit_price_paise")?
            } else {
                net_paise
            };
            let half = whole / Decimal::TWO;
            let zero = Decimal::ZERO;
            let split = match rule {
                TaxRule::IntraState => [half, half, zero, zero],
                TaxRule::UnionTerritory => [half, zero, half, zero],
                _ => [zero, zero, zero, whole],
            };
            let tax = |percent: Decimal| {
                if charged {
                    round(Decimal::from(taxable_paise) * percent / Decimal::ONE_HUNDRED).unwrap()
                } else {
                    0
                }
            };
            Ok(Expected {
                gross_paise,
                taxable_paise,
                tax_paise: [
                    tax(split[0]),
                    tax(split[1]),
                    tax(split[2]),
                    tax(split[3]),
                    tax(line.cess_rate),
                ],
                rates: split.map(|r| r.to_string()),
            })
        }

        fn actual(t: &LineTax) -> Expected {
            Expected {
                gross_paise: t.gross_paise,
                taxable_paise: t.taxable_paise,
                tax_paise: [
                    t.cgst_paise,
                    t.sgst_paise,
                    t.utgst_paise,
                    t.igst_paise,
                    t.cess_paise,
                ],
                rates: [t.cgst_rate, t.sgst_rate, t.utgst_rate, t.igst_rate].map(|r| r.to_string()),
            }
        }

        const RULES: [TaxRule; 7] = [
            TaxRule::IntraState,
            TaxRule::UnionTerritory,
            TaxRule::InterState,
            TaxRule::SezWithPayment,
            TaxRule::SezLut,
            TaxRule::ExportWithPayment,
            TaxRule::ExportLut,
        ];

        /// A supply of `lines` that [`resolve`]s to `rule`.
        fn supply_for(rule: TaxRule, lines: Vec<LineItem>) -> Supply {
            let code = |c| State::from_code(c).unwrap();
            let (seller, buyer) = match rule {
                TaxRule::UnionTerritory => (4, 4),
                TaxRule::InterState => (29, 27),
                _ => (29, 29),
            };
            let mut s = Supply::between(code(seller), code(buyer), lines);
            match rule {
                TaxRule::SezWithPayment | TaxRule::SezLut => {
                    s.buyer_gstin = Some(Gstin::parse("29AAFCC9980M1ZR").unwrap());
                    s.supply_type = Some(if rule == TaxRule::SezLut {
                        SupplyType::SezWithoutPayment
                    } else {
                        SupplyType::SezWithPayment
                    });
                }
                TaxRule::ExportWithPayment | TaxRule::ExportLut => {
                    s.buyer_state = None;
                    s.supply_type = Some(if rule == TaxRule::ExportLut {
                        SupplyType::ExportWithoutPayment
                    } else {
                        SupplyType::ExportWithPayment
                    });
                }
                _ => {}
            }
            s
        }

        fn price() -> impl Strategy<Value = i64> {
            prop_oneof![
                2 => 0i64..=100,
                4 => 0i64..=10_000_000,
                2 => 0i64..=MAX_AMOUNT_PAISE,
                1 => Just(MAX_AMOUNT_PAISE),
            ]
        }

        /// 0.001 to 9,999,999,999.999 with 0 to 3 decimals, and beyond.
        fn quantity() -> impl Strategy<Value = Decimal> {
            let any_scale = 0u32..=3;
            prop_oneof![
                3 => (1i64..=1_000, any_scale.clone()),
                2 => (1i64..=1_000_000, any_scale.clone()),
                2 => (1i64..=MAX_QUANTITY_MILLI, Just(3)),
                1 => (1i64..=10 * MAX_QUANTITY_MILLI, any_scale),
            ]
            .prop_map(|(m, scale)| Decimal::new(m, scale))
        }

        /// 0 to 999.999% with 0 to 3 decimals.
        fn cess_rate() -> impl Strategy<Value = Decimal> {
            prop_oneof![
                Just(Decimal::ZERO),
                (0i64..=30).prop_map(Decimal::from),
                (0i64..=999_999, 0u32..=3).prop_map(|(m, scale)| {
                    // Scale the mantissa down with the scale to stay ≤ 999.999.
                    Decimal::new(m / 10i64.pow(3 - scale), scale)
                }),
            ]
        }

        fn rate() -> impl Strategy<Value = GstRate> {
            prop::sample::select(SLABS)
                .prop_map(|s| GstRate::new(Decimal::new(i64::from(s.basis_points), 2)).unwrap())
        }

        prop_compose! {
            /// A line whose discount is a share (in thousandths, sometimes over
            /// 1000) of its gross.
            fn line()(
                price in price(),
                quantity in quantity(),
                discount_per_mille in prop_oneof![Just(0u64), 0u64..=1_000, Just(1_000), 1_000u64..=1_001],
                rate in rate(),
                cess_rate in cess_rate(),
            ) -> LineItem {
                let gross = (Decimal::from(price) * quantity).round().to_i64().unwrap_or(0);
                let discount = i128::from(gross) * i128::from(discount_per_mille) / 1_000;
                LineItem {
                    quantity,
                    discount_paise: i64::try_from(discount).unwrap_or(0),
                    rate,
                    cess_rate,
                    ..LineItem::new(price)
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]

            #[test]
            fn one_line_matches_the_decimal_formulas(
                line in line(),
                rule in prop::sample::select(&RULES[..]),
                inclusive in any::<bool>(),
            ) {
                let mut s = supply_for(rule, vec![line.clone()]);
                s.prices_include_tax = inclusive;
                s.round_to_rupee = false;
                let too_many_units = line.quantity > Decimal::new(9_999_999_999_999, 3);
                match (calculate(&s), reference(&line, rule, inclusive)) {
                    (Ok(b), Ok(want)) => {
                        prop_assert!(!too_many_units);
                        prop_assert_eq!(b.rule, rule);
                        prop_assert_eq!(actual(&b.lines[0]), want);
                    }
                    (Err(e), Ok(_)) => {
                        prop_assert!(too_many_units, "{e}");
                        prop_assert_eq!(e.field(), Some("lines[0].quantity"));
                    }
                    (Err(e), Err(field)) => {
                        let want = format!("lines[0].{}", if too_many_units { "quantity" } else { field });
                        prop_assert_eq!(e.field(), Some(want.as_str()));
                    }
                    (Ok(b), Err(field)) => prop_assert!(false, "{field}: {b:?}"),
                }
            }

            #[test]
            fn document_sums_match_the_decimal_formulas(
                lines in prop::collection::vec(line(), 1..12),
                rule in prop::sample::select(&RULES[..]),
                inclusive in any::<bool>(),
            ) {
                let expected: Result<Vec<Expected>, _> =
                    lines.iter().map(|l| reference(l, rule, inclusive)).collect();
                let valid_quantities = lines
                    .iter()
                    .all(|l| l.quantity <= Decimal::new(9_999_999_999_999, 3));
                let mut s = supply_for(rule, lines);
                s.prices_include_tax = inclusive;
                s.round_to_rupee = false;
                let (Ok(expected), true) = (expected, valid_quantities) else {
                    prop_assert!(calculate(&s).is_err());
                    return Ok(());
                };
                let b = calculate(&s).unwrap();
                let lines: Vec<Expected> = b.lines.iter().map(actual).collect();
                prop_assert_eq!(&lines, &expected);
                let sum = |k: usize| expected.iter().map(|e| e.tax_paise[k]).sum::<i64>();
                let taxable: i64 = expected.iter().map(|e| e.taxable_paise).sum();
                prop_assert_eq!(
                    [b.cgst_paise, b.sgst_paise, b.utgst_paise, b.igst_paise, b.cess_paise],
                    [sum(0), sum(1), sum(2), sum(3), sum(4)]
                );
                prop_assert_eq!(b.taxable_paise, taxable);
                prop_assert_eq!(b.total_before_round_off_paise, taxable + (0..5).map(sum).sum::<i64>());
            }
        }
    }
}
