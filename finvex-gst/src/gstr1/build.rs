//! Sorting a month's documents into GSTR-1 tables.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::model::*;
use crate::calc::{SupplyType, TaxBreakup, MAX_LINES};
use crate::date::Date;
use crate::einvoice::{DocNumber, DocType};
use crate::error::GstError;
use crate::gstin::Gstin;
use crate::hsn;
use crate::money::MAX_AMOUNT_PAISE;
use crate::rate::GstRate;
use crate::state::State;
use crate::treatment::Treatment;

/// Most documents accepted for one return period.
pub const MAX_RECORDS: usize = 2_000_000;
const HSN_DESC_CHARS: usize = 30;

/// The B2CL limit on the document date: invoice value must *exceed* it.
/// Rule 59(4) was amended from Rs 2,50,000 to Rs 1,00,000 with effect from
/// 01-08-2024 (Notification 12/2024-CT).
pub fn b2cl_threshold_paise(date: Date) -> i64 {
    if (date.year(), date.month()) >= (2024, 8) {
        10_000_000
    } else {
        25_000_000
    }
}

/// A return period, `MMYYYY` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReturnPeriod {
    year: u16,
    month: u8,
}

impl ReturnPeriod {
    pub fn new(month: u8, year: u16) -> Result<Self, GstError> {
        Date::new(year, month, 1).map_err(|e| e.at("fp"))?;
        Ok(ReturnPeriod { year, month })
    }

    pub fn parse(fp: &str) -> Result<Self, GstError> {
        let err = || {
            GstError::invalid(
                "fp",
                format!(
                    "'{}' is not a return period MMYYYY",
                    fp.chars().take(10).collect::<String>()
                ),
            )
        };
        if fp.len() != 6 || !fp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let month: u8 = fp[..2].parse().map_err(|_| err())?;
        let year: u16 = fp[2..].parse().map_err(|_| err())?;
        ReturnPeriod::new(month, year)
    }

    pub fn contains(&self, d: Date) -> bool {
        d.year() == self.year && d.month() == self.month
    }

    /// The period a date falls in.
    pub fn of(d: Date) -> Self {
        ReturnPeriod {
            year: d.year(),
            month: d.month(),
        }
    }

    /// Table 14 (`supeco`) is filed from the January 2024 period.
    pub fn has_supeco(&self) -> bool {
        (self.year, self.month) >= (2024, 1)
    }

    /// Table 12 is split into B2B/B2C from the May 2025 period (GSTN Phase III).
    pub fn splits_hsn(&self) -> bool {
        (self.year, self.month) >= (2025, 5)
    }
}

impl fmt::Display for ReturnPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}{:04}", self.month, self.year)
    }
}

impl TryFrom<String> for ReturnPeriod {
    type Error = GstError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ReturnPeriod::parse(&s)
    }
}

impl From<ReturnPeriod> for String {
    fn from(p: ReturnPeriod) -> String {
        p.to_string()
    }
}

/// One line of an issued document, with its tax already computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    pub hsn_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// GST UQC (NOS, KGS, ...). Services report "NA"; goods default to "OTH".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uqc: Option<String>,
    #[serde(default, with = "crate::money::decimal")]
    pub quantity: Decimal,
    pub rate: GstRate,
    pub taxable_paise: i64,
    #[serde(default)]
    pub igst_paise: i64,
    #[serde(default)]
    pub cgst_paise: i64,
    /// SGST or UTGST (GSTR-1 reports both as `samt`).
    #[serde(default)]
    pub sgst_paise: i64,
    #[serde(default)]
    pub cess_paise: i64,
    /// Nil-rated, exempt and non-GST lines go to Table 8 (`nil`).
    #[serde(default, skip_serializing_if = "Treatment::is_default")]
    pub treatment: Treatment,
}

/// An export's shipping bill (goods); services exports have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingBill {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_code: Option<String>,
    pub number: String,
    pub date: Date,
}

/// A document issued in the period, as stored after [`crate::calculate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRecord {
    pub doc_type: DocType,
    pub number: DocNumber,
    pub date: Date,
    pub supply_type: SupplyType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_gstin: Option<Gstin>,
    pub place_of_supply: State,
    #[serde(default)]
    pub reverse_charge: bool,
    /// Cancelled documents only count in Table 13 (doc_issue).
    #[serde(default)]
    pub cancelled: bool,
    /// Document value including tax.
    pub value_paise: i64,
    pub lines: Vec<RecordLine>,
    /// A credit or debit note's original invoice: where a note to an
    /// unregistered buyer is reported depends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<OriginalInvoice>,
    /// The e-commerce operator the supply went through (Table 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecommerce_gstin: Option<Gstin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_bill: Option<ShippingBill>,
}

/// What a note's placement needs of the invoice it amends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginalInvoice {
    /// Invoice value including tax.
    pub value_paise: i64,
    pub date: Date,
}

impl InvoiceRecord {
    /// Converts a computed breakup into a record; every line needs an HSN code.
    pub fn from_breakup(
        doc_type: DocType,
        number: DocNumber,
        date: Date,
        buyer_gstin: Option<Gstin>,
        tax: &TaxBreakup,
    ) -> Result<Self, GstError> {
        let lines = tax
            .lines
            .iter()
            .map(|l| {
                Ok(RecordLine {
                    hsn_code: l.hsn_code.map(String::from).ok_or_else(|| {
                        GstError::invalid(
                            format!("lines[{}].hsn_code", l.index),
                            "GSTR-1 needs an HSN/SAC code on every line",
                        )
                    })?,
                    description: None,
                    uqc: None,
                    quantity: l.quantity,
                    rate: l.rate,
                    taxable_paise: l.taxable_paise,
                    igst_paise: l.igst_paise,
                    cgst_paise: l.cgst_paise,
                    sgst_paise: l.sgst_paise + l.utgst_paise,
                    cess_paise: l.cess_paise,
                    treatment: Treatment::Taxable,
                })
            })
            .collect::<Result<Vec<_>, GstError>>()?;
        Ok(InvoiceRecord {
            doc_type,
            number,
            date,
            supply_type: tax.supply_type,
            buyer_gstin,
            place_of_supply: tax.place_of_supply,
            reverse_charge: tax.reverse_charge,
            cancelled: false,
            value_paise: tax.total_paise,
            lines,
            original: None,
            ecommerce_gstin: None,
            shipping_bill: None,
        })
    }
}

#[derive(Default, Clone, Copy)]
pub(super) struct Sums {
    pub txval: i64,
    pub iamt: i64,
    pub camt: i64,
    pub samt: i64,
    pub csamt: i64,
}

impl Sums {
    pub fn add_line(&mut self, l: &RecordLine, sign: i64) {
        self.txval += sign * l.taxable_paise;
        self.iamt += sign * l.igst_paise;
        self.camt += sign * l.cgst_paise;
        self.samt += sign * l.sgst_paise;
        self.csamt += sign * l.cess_paise;
    }
}

pub(super) fn rate_items(rec: &InvoiceRecord, with_cgst: bool) -> Vec<RateItem> {
    let mut by_rate: BTreeMap<GstRate, Sums> = BTreeMap::new();
    for l in &rec.lines {
        by_rate.entry(l.rate).or_default().add_line(l, 1);
    }
    by_rate
        .into_iter()
        .map(|(rate, s)| RateItem {
            num: rate.basis_points() + 1,
            itm_det: item_detail(rate, s, with_cgst),
        })
        .collect()
}

pub(super) fn item_detail(rate: GstRate, s: Sums, with_cgst: bool) -> ItemDetail {
    ItemDetail {
        txval_paise: s.txval,
        rt: rate.percent(),
        iamt_paise: s.iamt,
        camt_paise: with_cgst.then_some(s.camt),
        samt_paise: with_cgst.then_some(s.samt),
        csamt_paise: s.csamt,
    }
}

pub(super) fn yn(b: bool) -> String {
    if b { "Y" } else { "N" }.to_string()
}

/// A record lies in the period and agrees with itself (lines, value, buyer,
/// place of supply).
fn check_record(i: usize, r: &InvoiceRecord, period: ReturnPeriod) -> Result<(), GstError> {
    let f = |name: &str| format!("records[{i}].{name}");
    // A document missed in its own month is reported in a later one.
    if ReturnPeriod::of(r.date) > period {
        return Err(GstError::inconsistent(
            f("date"),
            format!("{} is after the return period {period}", r.date),
        ));
    }
    if r.lines.is_empty() || r.lines.len() > MAX_LINES {
        return Err(GstError::invalid(
            f("lines"),
            format!("must have 1 to {MAX_LINES} lines"),
        ));
    }
    if !(0..=MAX_AMOUNT_PAISE).contains(&r.value_paise) {
        return Err(GstError::invalid(
            f("value_paise"),
            "must be between 0 and the maximum invoice value",
        ));
    }
    let registered = matches!(r.supply_type, SupplyType::B2b) || r.supply_type.is_sez();
    if registered && r.buyer_gstin.is_none() {
        return Err(GstError::invalid(
            f("buyer_gstin"),
            "required for B2B and SEZ documents",
        ));
    }
    if !registered && r.buyer_gstin.is_some() {
        return Err(GstError::inconsistent(
            f("buyer_gstin"),
            "B2C and export documents have no buyer GSTIN",
        ));
    }
    if r.supply_type.is_export() != (r.place_of_supply == State::FOREIGN) {
        return Err(GstError::inconsistent(
            f("place_of_supply"),
            "exports, and only exports, have place of supply 96",
        ));
    }
    check_record_lines(i, &r.lines)
}

/// Each line's amounts are in range and its HSN code is 1-8 digits.
fn check_record_lines(i: usize, lines: &[RecordLine]) -> Result<(), GstError> {
    for (j, l) in lines.iter().enumerate() {
        let amounts = [
            l.taxable_paise,
            l.igst_paise,
            l.cgst_paise,
            l.sgst_paise,
            l.cess_paise,
        ];
        if amounts.iter().any(|a| !(0..=MAX_AMOUNT_PAISE).contains(a)) {
            return Err(GstError::invalid(
                format!("records[{i}].lines[{j}]"),
                "amounts must be between 0 and the maximum",
            ));
        }
        if !l.treatment.is_taxable() && amounts[1..].iter().any(|a| *a != 0) {
            return Err(GstError::inconsistent(
                format!("records[{i}].lines[{j}].treatment"),
                format!("a {} line carries no tax", l.treatment.as_str()),
            ));
        }
        if l.hsn_code.is_empty()
            || l.hsn_code.len() > 8
            || !l.hsn_code.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(GstError::invalid(
                format!("records[{i}].lines[{j}].hsn_code"),
                "must be 2 to 8 digits",
            ));
        }
    }
    Ok(())
}

type HsnKey = (String, String, GstRate);

#[derive(Default)]
struct HsnAcc {
    desc: Option<String>,
    qty: Decimal,
    sums: Sums,
}

/// Splits a document number into (series prefix, numeric suffix).
fn series_of(number: &str) -> (&str, Option<u64>) {
    let digits = number
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count()
        .min(18);
    if digits == 0 {
        return (number, None);
    }
    let (prefix, suffix) = number.split_at(number.len() - digits);
    (prefix, suffix.parse().ok())
}

/// A Table 13 series: the first and last document numbers seen and counts.
struct Series {
    from: (u64, String),
    to: (u64, String),
    total: u32,
    cancelled: u32,
}

/// Table 13 series, keyed by document kind (`doc_num`) and number prefix.
type SeriesMap = BTreeMap<(u8, String), Series>;

/// The GSTR-1 tables being filled, one record at a time.
#[derive(Default)]
pub(super) struct Tables {
    b2b: BTreeMap<String, Vec<B2bInvoice>>,
    b2cl: BTreeMap<State, Vec<B2clInvoice>>,
    b2cs: BTreeMap<(bool, State, GstRate), Sums>,
    cdnr: BTreeMap<String, Vec<CdnrNote>>,
    cdnur: Vec<CdnurNote>,
    exp: BTreeMap<&'static str, Vec<ExpInvoice>>,
    nil: BTreeMap<&'static str, NilSums>,
    /// (paid by the operator under s.9(5), operator GSTIN).
    supeco: BTreeMap<(bool, String), Sums>,
    hsn_b2b: BTreeMap<HsnKey, HsnAcc>,
    hsn_b2c: BTreeMap<HsnKey, HsnAcc>,
    series: SeriesMap,
    pub(super) amended: super::amend::AmendedTables,
}

/// Table 8 amounts of one kind of supply.
#[derive(Default, Clone, Copy)]
struct NilSums {
    nil: i64,
    exempt: i64,
    non_gst: i64,
}

/// Whether a B2C document is above the B2CL threshold of its date. A note
/// is sized by the larger of itself and its original invoice, against the
/// threshold of the invoice's date: a note on a B2CL invoice goes to
/// `cdnur`, whatever its own value (india-compliance's `is_b2cl_cn_dn`).
fn b2cl_sized(r: &InvoiceRecord) -> bool {
    match (r.doc_type, r.original) {
        (DocType::Invoice, _) | (_, None) => r.value_paise > b2cl_threshold_paise(r.date),
        (_, Some(original)) => {
            r.value_paise.max(original.value_paise) > b2cl_threshold_paise(original.date)
        }
    }
}

/// The table a document's taxable lines are reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    B2b,
    B2cl,
    B2cs,
    Cdnr,
    Cdnur,
    Exp,
    /// No taxable line: only Table 8 (and 12, 13).
    Nil,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::B2b => "b2b",
            Section::B2cl => "b2cl",
            Section::B2cs => "b2cs",
            Section::Cdnr => "cdnr",
            Section::Cdnur => "cdnur",
            Section::Exp => "exp",
            Section::Nil => "nil",
        }
    }

    /// Where a document is reported by a supplier in state `home`.
    pub fn of(r: &InvoiceRecord, home: State) -> Section {
        if !r.supply_type.is_export() && !r.lines.iter().any(|l| l.treatment.is_taxable()) {
            return Section::Nil;
        }
        let at = Placement::of(r, home);
        let is_note = r.doc_type != DocType::Invoice;
        match (r.supply_type, is_note) {
            (
                SupplyType::B2b | SupplyType::SezWithPayment | SupplyType::SezWithoutPayment,
                false,
            ) => Section::B2b,
            (
                SupplyType::B2b | SupplyType::SezWithPayment | SupplyType::SezWithoutPayment,
                true,
            ) => Section::Cdnr,
            (SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment, false) => {
                Section::Exp
            }
            (SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment, true)
            | (SupplyType::B2c, true)
                if at.large_b2c || r.supply_type.is_export() =>
            {
                Section::Cdnur
            }
            (SupplyType::B2c, false) if at.large_b2c => Section::B2cl,
            // Small B2C (any intra-State, inter-State up to the limit),
            // with B2C notes netted in.
            _ => Section::B2cs,
        }
    }
}

/// What a record's placement in the tables depends on.
pub(super) struct Placement {
    /// Place of supply differs from the supplier's state.
    pub inter: bool,
    /// -1 for credit notes (netted out of b2cs and HSN), 1 otherwise.
    pub note_sign: i64,
    /// Inter-State B2C above the B2CL threshold.
    large_b2c: bool,
    /// R, SEWP or SEWOP.
    inv_typ: &'static str,
}

impl Placement {
    /// Works out a record's placement for a supplier in state `home`.
    pub fn of(r: &InvoiceRecord, home: State) -> Placement {
        let inter = r.place_of_supply != home;
        Placement {
            inter,
            note_sign: if r.doc_type == DocType::CreditNote {
                -1
            } else {
                1
            },
            large_b2c: r.supply_type == SupplyType::B2c && inter && b2cl_sized(r),
            inv_typ: match r.supply_type {
                SupplyType::SezWithPayment => "SEWP",
                SupplyType::SezWithoutPayment => "SEWOP",
                _ => "R",
            },
        }
    }

    /// C for a credit note, D for a debit note.
    fn ntty(&self) -> String {
        if self.note_sign < 0 { "C" } else { "D" }.into()
    }
}

/// The part of a record its section reports: exports whole (zero-rated),
/// others their taxable lines only (the rest is Table 8's).
pub(super) fn taxable_part(r: &InvoiceRecord) -> Cow<'_, InvoiceRecord> {
    if r.supply_type.is_export() || r.lines.iter().all(|l| l.treatment.is_taxable()) {
        return Cow::Borrowed(r);
    }
    let mut taxed = r.clone();
    taxed.lines.retain(|l| l.treatment.is_taxable());
    Cow::Owned(taxed)
}

/// Builds the GSTR-1 JSON for `period` from every document reported in it
/// (issued in it, or missed in an earlier month), with no amendments.
pub fn build_gstr1(
    gstin: &Gstin,
    period: ReturnPeriod,
    records: &[InvoiceRecord],
) -> Result<Gstr1, GstError> {
    build_gstr1_with(
        gstin,
        period,
        &super::Gstr1Input {
            records,
            amendments: &[],
            amended_months: &[],
        },
    )
}

/// Builds the GSTR-1 JSON for `period`: its documents, and the corrections
/// made in it to documents of filed months (the amendment tables).
pub fn build_gstr1_with(
    gstin: &Gstin,
    period: ReturnPeriod,
    input: &super::Gstr1Input<'_>,
) -> Result<Gstr1, GstError> {
    let records = input.records;
    if records.len() + input.amendments.len() > MAX_RECORDS {
        return Err(GstError::LimitExceeded {
            field: "records".into(),
            limit: MAX_RECORDS,
            actual: records.len() + input.amendments.len(),
        });
    }
    let home = gstin.state();
    let mut tables = Tables::default();
    for (i, r) in records.iter().enumerate() {
        check_record(i, r, period)?;
        tables.add(r, home, period);
    }
    for (i, a) in input.amendments.iter().enumerate() {
        super::amend::check_amendment(i, a, period, home)?;
        check_record(i, &a.revised, period)?;
        tables.add_amendment(a, home);
    }
    tables.restate(input.amended_months, home)?;
    Ok(tables.finish(gstin, period))
}

impl Tables {
    /// Counts a record in Table 13 and, unless cancelled, sorts it into its
    /// section, Table 8, Table 14 and the HSN summary.
    fn add(&mut self, r: &InvoiceRecord, home: State, period: ReturnPeriod) {
        // Table 13 counts every document, cancelled or not.
        count_in_series(&mut self.series, r);
        if r.cancelled {
            return;
        }
        let at = Placement::of(r, home);
        self.add_hsn(r, at.note_sign);
        self.add_nil(r, &at, 1);
        let section = Section::of(r, home);
        if section == Section::Nil {
            return;
        }
        let taxed = taxable_part(r);
        self.add_to_section(&taxed, section, &at);
        if period.has_supeco() {
            self.add_supeco(&taxed, &at);
        }
    }

    /// Puts a record into b2b, cdnr, exp, cdnur, b2cl or b2cs.
    fn add_to_section(&mut self, r: &InvoiceRecord, section: Section, at: &Placement) {
        match section {
            Section::B2b => {
                let ctin = ctin(r);
                self.b2b.entry(ctin).or_default().push(b2b_invoice(r, at));
            }
            Section::Cdnr => {
                let ctin = ctin(r);
                self.cdnr.entry(ctin).or_default().push(cdnr_note(r, at));
            }
            Section::Exp => {
                self.exp.entry(exp_typ(r)).or_default().push(exp_invoice(r));
            }
            Section::Cdnur => self.cdnur.push(cdnur_note(r, at)),
            Section::B2cl => self
                .b2cl
                .entry(r.place_of_supply)
                .or_default()
                .push(b2cl_invoice(r)),
            Section::B2cs => add_b2cs(&mut self.b2cs, r, at),
            Section::Nil => {}
        }
    }

    /// Table 8: the record's nil-rated, exempt and non-GST lines, summed by
    /// registered/unregistered and intra/inter-State (`sign` -1 takes a
    /// document back out, as an amendment does with its original).
    pub(super) fn add_nil(&mut self, r: &InvoiceRecord, at: &Placement, sign: i64) {
        if r.supply_type.is_export() {
            return;
        }
        let sply_ty = match (r.buyer_gstin.is_some(), at.inter) {
            (true, true) => "INTRB2B",
            (true, false) => "INTRAB2B",
            (false, true) => "INTRB2C",
            (false, false) => "INTRAB2C",
        };
        for l in r.lines.iter().filter(|l| !l.treatment.is_taxable()) {
            let sums = self.nil.entry(sply_ty).or_default();
            let amount = sign * at.note_sign * l.taxable_paise;
            match l.treatment {
                Treatment::NilRated => sums.nil += amount,
                Treatment::Exempt => sums.exempt += amount,
                Treatment::NonGst => sums.non_gst += amount,
                Treatment::Taxable => {}
            }
        }
    }

    /// Table 14: supplies through an e-commerce operator, per operator;
    /// s.9(5) (the operator pays) when the supply is on reverse charge, as
    /// india-compliance classifies them, else s.52 (the operator collects TCS).
    fn add_supeco(&mut self, r: &InvoiceRecord, at: &Placement) {
        let Some(etin) = &r.ecommerce_gstin else {
            return;
        };
        let sums = self
            .supeco
            .entry((r.reverse_charge, etin.to_string()))
            .or_default();
        for l in &r.lines {
            sums.add_line(l, at.note_sign);
        }
    }

    /// Table 12: a record's lines summed by HSN code, UQC and rate, into the
    /// B2B list if the buyer has a GSTIN and the B2C list otherwise.
    pub(super) fn add_hsn(&mut self, r: &InvoiceRecord, note_sign: i64) {
        let table = if r.buyer_gstin.is_some() {
            &mut self.hsn_b2b
        } else {
            &mut self.hsn_b2c
        };
        for l in &r.lines {
            let service = l.hsn_code.starts_with("99");
            let uqc = if service {
                "NA".to_string()
            } else {
                l.uqc.clone().unwrap_or_else(|| "OTH".into())
            };
            let acc = table.entry((l.hsn_code.clone(), uqc, l.rate)).or_default();
            if acc.desc.is_none() {
                acc.desc = l.description.clone();
            }
            if !service {
                acc.qty += Decimal::from(note_sign) * l.quantity;
            }
            acc.sums.add_line(l, note_sign);
        }
    }

    /// Turns the filled tables into the return.
    fn finish(self, gstin: &Gstin, period: ReturnPeriod) -> Gstr1 {
        let amended = self.amended.finish();
        Gstr1 {
            gstin: gstin.to_string(),
            fp: period.to_string(),
            b2b: b2b_entries(self.b2b),
            b2cl: b2cl_entries(self.b2cl),
            b2cs: b2cs_rows(self.b2cs),
            cdnr: cdnr_entries(self.cdnr),
            cdnur: self.cdnur,
            exp: exp_entries(self.exp),
            nil: nil_section(self.nil),
            supeco: supeco_section(self.supeco),
            b2ba: amended.b2ba,
            b2cla: amended.b2cla,
            b2csa: amended.b2csa,
            cdnra: amended.cdnra,
            cdnura: amended.cdnura,
            expa: amended.expa,
            supecoa: amended.supecoa,
            hsn: hsn_summary(period, self.hsn_b2b, self.hsn_b2c),
            doc_issue: doc_issue(self.series),
        }
    }
}

fn ctin(r: &InvoiceRecord) -> String {
    r.buyer_gstin.as_ref().expect("checked").to_string()
}

pub(super) fn exp_typ(r: &InvoiceRecord) -> &'static str {
    if r.supply_type == SupplyType::ExportWithPayment {
        "WPAY"
    } else {
        "WOPAY"
    }
}

/// Table 4A/4B/6B/6C: an invoice to a registered (or SEZ) buyer.
pub(super) fn b2b_invoice(r: &InvoiceRecord, at: &Placement) -> B2bInvoice {
    B2bInvoice {
        inum: r.number.to_string(),
        idt: r.date.to_dmy_dash(),
        val_paise: r.value_paise,
        pos: r.place_of_supply.code_str(),
        rchrg: yn(r.reverse_charge),
        inv_typ: at.inv_typ.into(),
        itms: rate_items(r, true),
    }
}

/// Table 9B: a credit or debit note to a registered (or SEZ) buyer.
pub(super) fn cdnr_note(r: &InvoiceRecord, at: &Placement) -> CdnrNote {
    CdnrNote {
        ntty: at.ntty(),
        nt_num: r.number.to_string(),
        nt_dt: r.date.to_dmy_dash(),
        val_paise: r.value_paise,
        pos: r.place_of_supply.code_str(),
        rchrg: yn(r.reverse_charge),
        inv_typ: at.inv_typ.into(),
        itms: rate_items(r, true),
    }
}

/// Table 6A: an export invoice, under WPAY or WOPAY, with its shipping bill.
pub(super) fn exp_invoice(r: &InvoiceRecord) -> ExpInvoice {
    let bill = r.shipping_bill.as_ref();
    ExpInvoice {
        inum: r.number.to_string(),
        idt: r.date.to_dmy_dash(),
        val_paise: r.value_paise,
        sbpcode: bill.and_then(|b| b.port_code.clone()),
        sbnum: bill.map(|b| b.number.clone()),
        sbdt: bill.map(|b| b.date.to_dmy_dash()),
        itms: rate_items(r, false)
            .into_iter()
            .map(|it| it.itm_det)
            .collect(),
    }
}

/// Table 9B (unregistered): a note on an export or a large B2C invoice.
pub(super) fn cdnur_note(r: &InvoiceRecord, at: &Placement) -> CdnurNote {
    let typ = match r.supply_type {
        SupplyType::ExportWithPayment => "EXPWP",
        SupplyType::ExportWithoutPayment => "EXPWOP",
        _ => "B2CL",
    };
    CdnurNote {
        typ: typ.into(),
        ntty: at.ntty(),
        nt_num: r.number.to_string(),
        nt_dt: r.date.to_dmy_dash(),
        val_paise: r.value_paise,
        pos: r.place_of_supply.code_str(),
        itms: rate_items(r, false),
    }
}

/// Table 5: an inter-State B2C invoice above the threshold.
pub(super) fn b2cl_invoice(r: &InvoiceRecord) -> B2clInvoice {
    B2clInvoice {
        inum: r.number.to_string(),
        idt: r.date.to_dmy_dash(),
        val_paise: r.value_paise,
        itms: rate_items(r, false),
    }
}

/// Table 7: small B2C lines summed by supply kind, state and rate.
pub(super) fn add_b2cs(
    b2cs: &mut BTreeMap<(bool, State, GstRate), Sums>,
    r: &InvoiceRecord,
    at: &Placement,
) {
    for l in &r.lines {
        b2cs.entry((at.inter, r.place_of_supply, l.rate))
            .or_default()
            .add_line(l, at.note_sign);
    }
}

/// Table 8, in the order of the form's rows 8A–8D.
fn nil_section(nil: BTreeMap<&'static str, NilSums>) -> Option<NilSection> {
    if nil.is_empty() {
        return None;
    }
    let inv = ["INTRB2B", "INTRAB2B", "INTRB2C", "INTRAB2C"]
        .into_iter()
        .filter_map(|sply_ty| {
            nil.get(sply_ty).map(|s| NilRow {
                sply_ty: sply_ty.into(),
                nil_amt_paise: s.nil,
                expt_amt_paise: s.exempt,
                ngsup_amt_paise: s.non_gst,
            })
        })
        .collect();
    Some(NilSection { inv })
}

/// One Table 14 row from an operator's sums.
pub(super) fn eco_row(etin: String, s: Sums) -> EcoRow {
    EcoRow {
        etin,
        suppval_paise: s.txval,
        igst_paise: s.iamt,
        cgst_paise: s.camt,
        sgst_paise: s.samt,
        cess_paise: s.csamt,
    }
}

/// Table 14: `clttx` (s.52) and `paytx` (s.9(5)) lists, one row per operator.
fn supeco_section(supeco: BTreeMap<(bool, String), Sums>) -> Option<Supeco> {
    if supeco.is_empty() {
        return None;
    }
    let mut section = Supeco {
        clttx: Vec::new(),
        paytx: Vec::new(),
    };
    for ((operator_pays, etin), sums) in supeco {
        let list = if operator_pays {
            &mut section.paytx
        } else {
            &mut section.clttx
        };
        list.push(eco_row(etin, sums));
    }
    Some(section)
}

/// Counts a document in its Table 13 series, widening the series' range.
fn count_in_series(series: &mut SeriesMap, r: &InvoiceRecord) {
    let doc_num = match r.doc_type {
        DocType::Invoice => 1,
        DocType::DebitNote => 4,
        DocType::CreditNote => 5,
    };
    let (prefix, n) = series_of(r.number.as_str());
    let key_prefix = if n.is_some() {
        prefix
    } else {
        r.number.as_str()
    };
    let ordinal = (n.unwrap_or(0), r.number.to_string());
    let s = series
        .entry((doc_num, key_prefix.to_string()))
        .or_insert_with(|| Series {
            from: ordinal.clone(),
            to: ordinal.clone(),
            total: 0,
            cancelled: 0,
        });
    if ordinal < s.from {
        s.from = ordinal.clone();
    }
    if ordinal > s.to {
        s.to = ordinal;
    }
    s.total += 1;
    s.cancelled += u32::from(r.cancelled);
}

/// The b2b section: invoices grouped by buyer GSTIN.
fn b2b_entries(b2b: BTreeMap<String, Vec<B2bInvoice>>) -> Vec<B2bEntry> {
    b2b.into_iter()
        .map(|(ctin, inv)| B2bEntry { ctin, inv })
        .collect()
}

/// The b2cl section: invoices grouped by place of supply.
fn b2cl_entries(b2cl: BTreeMap<State, Vec<B2clInvoice>>) -> Vec<B2clEntry> {
    b2cl.into_iter()
        .map(|(pos, inv)| B2clEntry {
            pos: pos.code_str(),
            inv,
        })
        .collect()
}

/// The b2cs section: one row per supply kind, place of supply and rate.
fn b2cs_rows(b2cs: BTreeMap<(bool, State, GstRate), Sums>) -> Vec<B2csRow> {
    b2cs.into_iter()
        .map(|((inter, pos, rate), s)| B2csRow {
            sply_ty: if inter { "INTER" } else { "INTRA" }.into(),
            pos: pos.code_str(),
            typ: "OE".into(),
            rt: rate.percent(),
            txval_paise: s.txval,
            iamt_paise: s.iamt,
            camt_paise: s.camt,
            samt_paise: s.samt,
            csamt_paise: s.csamt,
        })
        .collect()
}

/// The cdnr section: notes grouped by buyer GSTIN.
fn cdnr_entries(cdnr: BTreeMap<String, Vec<CdnrNote>>) -> Vec<CdnrEntry> {
    cdnr.into_iter()
        .map(|(ctin, nt)| CdnrEntry { ctin, nt })
        .collect()
}

/// The exp section: invoices grouped by WPAY / WOPAY.
fn exp_entries(exp: BTreeMap<&'static str, Vec<ExpInvoice>>) -> Vec<ExpEntry> {
    exp.into_iter()
        .map(|(t, inv)| ExpEntry {
            exp_typ: t.into(),
            inv,
        })
        .collect()
}

/// Table 12: split into B2B and B2C lists from May 2025, one merged list
/// before.
fn hsn_summary(
    period: ReturnPeriod,
    hsn_b2b: BTreeMap<HsnKey, HsnAcc>,
    hsn_b2c: BTreeMap<HsnKey, HsnAcc>,
) -> HsnSummary {
    if period.splits_hsn() {
        HsnSummary {
            data: None,
            hsn_b2b: Some(hsn_rows(hsn_b2b)),
            hsn_b2c: Some(hsn_rows(hsn_b2c)),
        }
    } else {
        HsnSummary {
            data: Some(hsn_rows(merge_hsn(hsn_b2b, hsn_b2c))),
            hsn_b2b: None,
            hsn_b2c: None,
        }
    }
}

/// Adds the B2C HSN sums into the B2B ones (the first description wins).
fn merge_hsn(
    mut all: BTreeMap<HsnKey, HsnAcc>,
    hsn_b2c: BTreeMap<HsnKey, HsnAcc>,
) -> BTreeMap<HsnKey, HsnAcc> {
    for (k, v) in hsn_b2c {
        let acc = all.entry(k).or_default();
        if acc.desc.is_none() {
            acc.desc = v.desc;
        }
        acc.qty += v.qty;
        acc.sums.txval += v.sums.txval;
        acc.sums.iamt += v.sums.iamt;
        acc.sums.camt += v.sums.camt;
        acc.sums.samt += v.sums.samt;
        acc.sums.csamt += v.sums.csamt;
    }
    all
}

/// A description as the HSN table takes it: cut to the portal's 30
/// characters, then trimmed, so a cut never leaves a trailing space.
fn hsn_description(full: &str) -> String {
    full.trim()
        .chars()
        .take(HSN_DESC_CHARS)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Numbered HSN rows; a missing description comes from the HSN master,
/// cut to the portal's limit.
fn hsn_rows(table: BTreeMap<HsnKey, HsnAcc>) -> Vec<HsnRow> {
    table
        .into_iter()
        .enumerate()
        .map(|(k, ((code, uqc, rate), acc))| {
            let desc = hsn_description(
                &acc.desc
                    .or_else(|| hsn::lookup(&code).map(|e| e.description))
                    .unwrap_or_default(),
            );
            HsnRow {
                num: k as u32 + 1,
                hsn_sc: code,
                desc,
                uqc,
                qty: acc.qty,
                rt: rate.percent(),
                txval_paise: acc.sums.txval,
                iamt_paise: acc.sums.iamt,
                camt_paise: acc.sums.camt,
                samt_paise: acc.sums.samt,
                csamt_paise: acc.sums.csamt,
            }
        })
        .collect()
}

/// Table 13: the series of each document kind, numbered within the kind.
fn doc_issue(series: SeriesMap) -> DocIssue {
    let mut doc_det: BTreeMap<u8, Vec<DocRange>> = BTreeMap::new();
    for ((doc_num, _), s) in series {
        let docs = doc_det.entry(doc_num).or_default();
        docs.push(DocRange {
            num: docs.len() as u32 + 1,
            from: s.from.1,
            to: s.to.1,
            totnum: s.total,
            cancel: s.cancelled,
            net_issue: s.total - s.cancelled,
        });
    }
    DocIssue {
        doc_det: doc_det
            .into_iter()
            .map(|(doc_num, docs)| DocDet { doc_num, docs })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsn_descriptions_are_trimmed_after_the_cut() {
        // The 30-character cut of this master description ends in a space.
        assert_eq!(
            hsn_description("Information technology design and development services"),
            "Information technology design"
        );
        assert_eq!(hsn_description("  short  "), "short");
        assert_eq!(hsn_description(&"x".repeat(40)).chars().count(), 30);
    }
}
