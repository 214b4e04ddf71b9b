//! Sorting a month's documents into GSTR-1 tables.

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
                    hsn_code: l.hsn_code.clone().ok_or_else(|| {
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
        })
    }
}

#[derive(Default, Clone, Copy)]
struct Sums {
    txval: i64,
    iamt: i64,
    camt: i64,
    samt: i64,
    csamt: i64,
}

impl Sums {
    fn add_line(&mut self, l: &RecordLine, sign: i64) {
        self.txval += sign * l.taxable_paise;
        self.iamt += sign * l.igst_paise;
        self.camt += sign * l.cgst_paise;
        self.samt += sign * l.sgst_paise;
        self.csamt += sign * l.cess_paise;
    }
}

fn rate_items(rec: &InvoiceRecord, with_cgst: bool) -> Vec<RateItem> {
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

fn item_detail(rate: GstRate, s: Sums, with_cgst: bool) -> ItemDetail {
    ItemDetail {
        txval_paise: s.txval,
        rt: rate.percent(),
        iamt_paise: s.iamt,
        camt_paise: with_cgst.then_some(s.camt),
        samt_paise: with_cgst.then_some(s.samt),
        csamt_paise: s.csamt,
    }
}

fn yn(b: bool) -> String {
    if b { "Y" } else { "N" }.to_string()
}

fn check_record(i: usize, r: &InvoiceRecord, period: ReturnPeriod) -> Result<(), GstError> {
    let f = |name: &str| format!("records[{i}].{name}");
    if !period.contains(r.date) {
        return Err(GstError::inconsistent(
            f("date"),
            format!("{} is outside the return period {period}", r.date),
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
    for (j, l) in r.lines.iter().enumerate() {
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

struct Series {
    from: (u64, String),
    to: (u64, String),
    total: u32,
    cancelled: u32,
}

/// Builds the GSTR-1 JSON for `period` from every document issued in it.
pub fn build_gstr1(
    gstin: &Gstin,
    period: ReturnPeriod,
    records: &[InvoiceRecord],
) -> Result<Gstr1, GstError> {
    if records.len() > MAX_RECORDS {
        return Err(GstError::LimitExceeded {
            field: "records".into(),
            limit: MAX_RECORDS,
            actual: records.len(),
        });
    }
    let home = gstin.state();
    let mut b2b: BTreeMap<&str, Vec<B2bInvoice>> = BTreeMap::new();
    let mut b2cl: BTreeMap<State, Vec<B2clInvoice>> = BTreeMap::new();
    let mut b2cs: BTreeMap<(bool, State, GstRate), Sums> = BTreeMap::new();
    let mut cdnr: BTreeMap<&str, Vec<CdnrNote>> = BTreeMap::new();
    let mut cdnur: Vec<CdnurNote> = Vec::new();
    let mut exp: BTreeMap<&'static str, Vec<ExpInvoice>> = BTreeMap::new();
    let mut hsn_b2b: BTreeMap<HsnKey, HsnAcc> = BTreeMap::new();
    let mut hsn_b2c: BTreeMap<HsnKey, HsnAcc> = BTreeMap::new();
    let mut series: BTreeMap<(u8, String), Series> = BTreeMap::new();

    for (i, r) in records.iter().enumerate() {
        check_record(i, r, period)?;

        // Table 13 counts every document, cancelled or not.
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
        if r.cancelled {
            continue;
        }

        let inter = r.place_of_supply != home;
        let pos = r.place_of_supply.code_str();
        let date = r.date.to_dmy_dash();
        let note_sign = if r.doc_type == DocType::CreditNote {
            -1
        } else {
            1
        };
        let is_note = r.doc_type != DocType::Invoice;
        let large_b2c = r.supply_type == SupplyType::B2c
            && inter
            && r.value_paise > b2cl_threshold_paise(r.date);
        let inv_typ = match r.supply_type {
            SupplyType::SezWithPayment => "SEWP",
            SupplyType::SezWithoutPayment => "SEWOP",
            _ => "R",
        };

        match (r.supply_type, is_note) {
            (
                SupplyType::B2b | SupplyType::SezWithPayment | SupplyType::SezWithoutPayment,
                false,
            ) => {
                let ctin = r.buyer_gstin.as_ref().expect("checked").as_str();
                b2b.entry(ctin).or_default().push(B2bInvoice {
                    inum: r.number.to_string(),
                    idt: date,
                    val_paise: r.value_paise,
                    pos,
                    rchrg: yn(r.reverse_charge),
                    inv_typ: inv_typ.into(),
                    itms: rate_items(r, true),
                });
            }
            (
                SupplyType::B2b | SupplyType::SezWithPayment | SupplyType::SezWithoutPayment,
                true,
            ) => {
                let ctin = r.buyer_gstin.as_ref().expect("checked").as_str();
                cdnr.entry(ctin).or_default().push(CdnrNote {
                    ntty: if note_sign < 0 { "C" } else { "D" }.into(),
                    nt_num: r.number.to_string(),
                    nt_dt: date,
                    val_paise: r.value_paise,
                    pos,
                    rchrg: yn(r.reverse_charge),
                    inv_typ: inv_typ.into(),
                    itms: rate_items(r, true),
                });
            }
            (SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment, false) => {
                let typ = if r.supply_type == SupplyType::ExportWithPayment {
                    "WPAY"
                } else {
                    "WOPAY"
                };
                exp.entry(typ).or_default().push(ExpInvoice {
                    inum: r.number.to_string(),
                    idt: date,
                    val_paise: r.value_paise,
                    itms: rate_items(r, false)
                        .into_iter()
                        .map(|it| it.itm_det)
                        .collect(),
                });
            }
            (SupplyType::ExportWithPayment | SupplyType::ExportWithoutPayment, true)
            | (SupplyType::B2c, true)
                if large_b2c || r.supply_type.is_export() =>
            {
                let typ = match r.supply_type {
                    SupplyType::ExportWithPayment => "EXPWP",
                    SupplyType::ExportWithoutPayment => "EXPWOP",
                    _ => "B2CL",
                };
                cdnur.push(CdnurNote {
                    typ: typ.into(),
                    ntty: if note_sign < 0 { "C" } else { "D" }.into(),
                    nt_num: r.number.to_string(),
                    nt_dt: date,
                    val_paise: r.value_paise,
                    pos,
                    itms: rate_items(r, false),
                });
            }
            (SupplyType::B2c, false) if large_b2c => {
                b2cl.entry(r.place_of_supply)
                    .or_default()
                    .push(B2clInvoice {
                        inum: r.number.to_string(),
                        idt: date,
                        val_paise: r.value_paise,
                        itms: rate_items(r, false),
                    });
            }
            _ => {
                // Small B2C (any intra-State, inter-State up to the limit),
                // with B2C notes netted in.
                for l in &r.lines {
                    b2cs.entry((inter, r.place_of_supply, l.rate))
                        .or_default()
                        .add_line(l, note_sign);
                }
            }
        }

        let table = if r.buyer_gstin.is_some() {
            &mut hsn_b2b
        } else {
            &mut hsn_b2c
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

    let hsn_rows = |table: BTreeMap<HsnKey, HsnAcc>| -> Vec<HsnRow> {
        table
            .into_iter()
            .enumerate()
            .map(|(k, ((code, uqc, rate), acc))| {
                let desc = acc
                    .desc
                    .or_else(|| hsn::lookup(&code).map(|e| e.description))
                    .unwrap_or_default()
                    .chars()
                    .take(HSN_DESC_CHARS)
                    .collect();
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
    };
    let hsn = if period.splits_hsn() {
        HsnSummary {
            data: None,
            hsn_b2b: Some(hsn_rows(hsn_b2b)),
            hsn_b2c: Some(hsn_rows(hsn_b2c)),
        }
    } else {
        let mut all = hsn_b2b;
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
        HsnSummary {
            data: Some(hsn_rows(all)),
            hsn_b2b: None,
            hsn_b2c: None,
        }
    };

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

    Ok(Gstr1 {
        gstin: gstin.to_string(),
        fp: period.to_string(),
        b2b: b2b
            .into_iter()
            .map(|(ctin, inv)| B2bEntry {
                ctin: ctin.to_string(),
                inv,
            })
            .collect(),
        b2cl: b2cl
            .into_iter()
            .map(|(pos, inv)| B2clEntry {
                pos: pos.code_str(),
                inv,
            })
            .collect(),
        b2cs: b2cs
            .into_iter()
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
            .collect(),
        cdnr: cdnr
            .into_iter()
            .map(|(ctin, nt)| CdnrEntry {
                ctin: ctin.to_string(),
                nt,
            })
            .collect(),
        cdnur,
        exp: exp
            .into_iter()
            .map(|(t, inv)| ExpEntry {
                exp_typ: t.into(),
                inv,
            })
            .collect(),
        hsn,
        doc_issue: DocIssue {
            doc_det: doc_det
                .into_iter()
                .map(|(doc_num, docs)| DocDet { doc_num, docs })
                .collect(),
        },
    })
}
