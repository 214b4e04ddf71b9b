//! The amendment tables: corrections, made in this period, to documents
//! reported in a month already filed (s.37(3)). A filed month is never
//! rewritten; the correction is reported here, against the document as
//! first reported (`oinum`/`oidt`, `ont_num`/`ont_dt`, `omon`).
//!
//! Tables 8 (nil), 12 (HSN) and 13 (documents) have no amendment table: the
//! difference between the revised and the original document is added to
//! this period's figures instead.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::build::{
    add_b2cs, b2b_invoice, b2cl_invoice, cdnr_note, cdnur_note, eco_row, exp_invoice, exp_typ,
    item_detail, taxable_part, InvoiceRecord, Placement, ReturnPeriod, Section, Sums, Tables,
};
use super::model::*;
use crate::error::GstError;
use crate::rate::GstRate;
use crate::state::State;

/// Most months one return may restate (b2csa, supecoa).
pub const MAX_AMENDED_MONTHS: usize = 36;

/// One correction: the document as first reported (in `original_period`,
/// a filed month), as last reported (by an amendment of an earlier month,
/// else the original), and as revised now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub original_period: ReturnPeriod,
    /// Names the amendment (`oinum`, `oidt`) and decides its table.
    pub original: InvoiceRecord,
    /// What Tables 8 and 12 already count: the difference reported now is
    /// `revised − previous`, so a second amendment never counts the first twice.
    pub previous: InvoiceRecord,
    pub revised: InvoiceRecord,
}

/// Every document first reported in a corrected month, at its values after
/// the corrections: b2csa and supecoa restate whole blocks of that month,
/// not single documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendedMonth {
    pub period: ReturnPeriod,
    pub records: Vec<InvoiceRecord>,
}

/// What a return is built from.
#[derive(Debug, Clone, Copy)]
pub struct Gstr1Input<'a> {
    /// Documents reported in the period.
    pub records: &'a [InvoiceRecord],
    /// Corrections made in the period to documents of filed months.
    pub amendments: &'a [Amendment],
    /// The corrected months whose b2cs or supeco blocks are restated.
    pub amended_months: &'a [AmendedMonth],
}

/// The amendment tables being filled.
#[derive(Default)]
pub(super) struct AmendedTables {
    b2ba: BTreeMap<String, Vec<B2baInvoice>>,
    b2cla: BTreeMap<State, Vec<B2claInvoice>>,
    cdnra: BTreeMap<String, Vec<CdnraNote>>,
    cdnura: Vec<CdnuraNote>,
    expa: BTreeMap<&'static str, Vec<ExpaInvoice>>,
    /// b2cs blocks to restate: (month, place of supply).
    b2cs_blocks: BTreeSet<(ReturnPeriod, State)>,
    /// The rates the corrected documents had in them: each is restated,
    /// at zero when no document is left at it, so the portal drops it.
    b2cs_rates: BTreeSet<(ReturnPeriod, bool, State, GstRate)>,
    /// supeco blocks to restate: (month, operator pays, operator GSTIN).
    eco_blocks: BTreeSet<(ReturnPeriod, bool, String)>,
    b2csa: Vec<B2csaRow>,
    supecoa: Option<SupecoAmended>,
}

/// The amendment tables of a finished return.
pub(super) struct Amended {
    pub b2ba: Vec<B2baEntry>,
    pub b2cla: Vec<B2claEntry>,
    pub b2csa: Vec<B2csaRow>,
    pub cdnra: Vec<CdnraEntry>,
    pub cdnura: Vec<CdnuraNote>,
    pub expa: Vec<ExpaEntry>,
    pub supecoa: Option<SupecoAmended>,
}

/// What an amendment may not change (GSTN offline tool and portal rules):
/// the month it corrects is before this one; the document stays the same
/// kind, in the same table and of the same export type; its date does not
/// move before the original's or out of the original's month.
pub(super) fn check_amendment(
    i: usize,
    a: &Amendment,
    period: ReturnPeriod,
    home: State,
) -> Result<(), GstError> {
    let f = |name: &str| format!("amendments[{i}].{name}");
    if a.original_period >= period {
        return Err(GstError::inconsistent(
            f("original_period"),
            format!(
                "an amendment in {period} corrects an earlier month, not {}",
                a.original_period
            ),
        ));
    }
    check_correction(&a.original, &a.revised, home).map_err(|e| e.at(f("revised")))
}

/// What a correction may not change, in place or as an amendment: the
/// document stays the same kind and number, in the same table and of the
/// same export type; its date does not move before the original's or out
/// of the original's month.
pub fn check_correction(
    original: &InvoiceRecord,
    revised: &InvoiceRecord,
    home: State,
) -> Result<(), GstError> {
    let (o, r) = (original, revised);
    if o.doc_type != r.doc_type || o.number != r.number {
        return Err(GstError::inconsistent(
            "number",
            "a correction keeps the document's kind and number",
        ));
    }
    let (from, to) = (Section::of(o, home), Section::of(r, home));
    if from != to {
        return Err(GstError::inconsistent(
            "buyer_gstin",
            format!(
                "the correction would move the document from {} to {}; issue a credit note and a new document instead",
                from.name(),
                to.name()
            ),
        ));
    }
    // b2csa and b2cla are keyed by the original place of supply, and a
    // small B2C invoice moved to another State would leave its old block
    // restated without it and the new one never restated.
    let keyed_by_pos = matches!(from, Section::B2cs | Section::B2cl | Section::Cdnur);
    if keyed_by_pos && o.place_of_supply != r.place_of_supply {
        return Err(GstError::inconsistent(
            "place_of_supply",
            "a correction keeps a B2C document's place of supply; issue a credit note and a new document instead",
        ));
    }
    if from == Section::Exp && exp_typ(o) != exp_typ(r) {
        return Err(GstError::inconsistent(
            "supply_type",
            "an export cannot change between with and without payment of IGST",
        ));
    }
    if r.date < o.date || ReturnPeriod::of(r.date) != ReturnPeriod::of(o.date) {
        return Err(GstError::inconsistent(
            "date",
            format!(
                "the corrected date must be on or after {} and in the same month",
                o.date
            ),
        ));
    }
    Ok(())
}

impl Tables {
    /// Reports one correction: in its amendment table, and as a difference
    /// in Tables 8 and 12.
    pub(super) fn add_amendment(&mut self, a: &Amendment, home: State) {
        let (o, p, r) = (&a.original, &a.previous, &a.revised);
        let (at_o, at_p, at_r) = (
            Placement::of(o, home),
            Placement::of(p, home),
            Placement::of(r, home),
        );
        self.add_hsn(p, -at_p.note_sign);
        self.add_hsn(r, at_r.note_sign);
        self.add_nil(p, &at_p, -1);
        self.add_nil(r, &at_r, 1);
        let section = Section::of(o, home);
        let revised = taxable_part(r);
        let t = &mut self.amended;
        let (oinum, oidt) = (o.number.to_string(), o.date.to_dmy_dash());
        match section {
            Section::B2b => {
                let inv = b2b_invoice(&revised, &at_r);
                let ctin = revised.buyer_gstin.as_ref().expect("checked").to_string();
                t.b2ba.entry(ctin).or_default().push(B2baInvoice {
                    oinum,
                    oidt,
                    inum: inv.inum,
                    idt: inv.idt,
                    val_paise: inv.val_paise,
                    pos: inv.pos,
                    rchrg: inv.rchrg,
                    inv_typ: inv.inv_typ,
                    itms: inv.itms,
                });
            }
            Section::B2cl => {
                let inv = b2cl_invoice(&revised);
                t.b2cla
                    .entry(o.place_of_supply)
                    .or_default()
                    .push(B2claInvoice {
                        oinum,
                        oidt,
                        inum: inv.inum,
                        idt: inv.idt,
                        val_paise: inv.val_paise,
                        itms: inv.itms,
                    });
            }
            Section::Exp => {
                let inv = exp_invoice(&revised);
                t.expa.entry(exp_typ(o)).or_default().push(ExpaInvoice {
                    oinum,
                    oidt,
                    inum: inv.inum,
                    idt: inv.idt,
                    val_paise: inv.val_paise,
                    sbpcode: inv.sbpcode,
                    sbnum: inv.sbnum,
                    sbdt: inv.sbdt,
                    itms: inv.itms,
                });
            }
            Section::Cdnr => {
                let nt = cdnr_note(&revised, &at_r);
                let ctin = revised.buyer_gstin.as_ref().expect("checked").to_string();
                t.cdnra.entry(ctin).or_default().push(CdnraNote {
                    ont_num: oinum,
                    ont_dt: oidt,
                    nt_num: nt.nt_num,
                    nt_dt: nt.nt_dt,
                    ntty: nt.ntty,
                    val_paise: nt.val_paise,
                    pos: nt.pos,
                    rchrg: nt.rchrg,
                    inv_typ: nt.inv_typ,
                    itms: nt.itms,
                });
            }
            Section::Cdnur => {
                let nt = cdnur_note(&revised, &at_r);
                t.cdnura.push(CdnuraNote {
                    ont_num: oinum,
                    ont_dt: oidt,
                    nt_num: nt.nt_num,
                    nt_dt: nt.nt_dt,
                    ntty: nt.ntty,
                    typ: nt.typ,
                    val_paise: nt.val_paise,
                    pos: nt.pos,
                    itms: nt.itms,
                });
            }
            Section::B2cs => {
                t.b2cs_blocks.insert((a.original_period, o.place_of_supply));
                // Every rate a version of the block was reported at.
                for (version, at) in [(o, &at_o), (p, &at_p)] {
                    for l in &taxable_part(version).lines {
                        t.b2cs_rates.insert((
                            a.original_period,
                            at.inter,
                            version.place_of_supply,
                            l.rate,
                        ));
                    }
                }
            }
            Section::Nil => {}
        }
        if let (Some(etin), true) = (&o.ecommerce_gstin, a.original_period.has_supeco()) {
            t.eco_blocks
                .insert((a.original_period, o.reverse_charge, etin.to_string()));
        }
    }

    /// Restates every corrected b2cs and supeco block from its month's
    /// documents as they now stand.
    pub(super) fn restate(&mut self, months: &[AmendedMonth], home: State) -> Result<(), GstError> {
        if months.len() > MAX_AMENDED_MONTHS {
            return Err(GstError::LimitExceeded {
                field: "amended_months".into(),
                limit: MAX_AMENDED_MONTHS,
                actual: months.len(),
            });
        }
        let t = &mut self.amended;
        let wanted: BTreeSet<ReturnPeriod> = t
            .b2cs_blocks
            .iter()
            .map(|(p, _)| *p)
            .chain(t.eco_blocks.iter().map(|(p, _, _)| *p))
            .collect();
        for period in wanted {
            let month = months.iter().find(|m| m.period == period).ok_or_else(|| {
                GstError::inconsistent(
                    "amended_months",
                    format!("the documents of {period}, whose blocks are restated, are missing"),
                )
            })?;
            t.b2csa
                .extend(restated_b2cs(month, &t.b2cs_blocks, &t.b2cs_rates, home));
            let rows = restated_eco(month, &t.eco_blocks);
            if !rows.is_empty() {
                let section = t.supecoa.get_or_insert(SupecoAmended {
                    clttxa: Vec::new(),
                    paytxa: Vec::new(),
                });
                for (operator_pays, row) in rows {
                    if operator_pays {
                        section.paytxa.push(row);
                    } else {
                        section.clttxa.push(row);
                    }
                }
            }
        }
        Ok(())
    }
}

/// One b2csa row per corrected place of supply of `month`: every rate of
/// that block, as it now stands.
fn restated_b2cs(
    month: &AmendedMonth,
    blocks: &BTreeSet<(ReturnPeriod, State)>,
    rates: &BTreeSet<(ReturnPeriod, bool, State, GstRate)>,
    home: State,
) -> Vec<B2csaRow> {
    let mut sums: BTreeMap<(bool, State, GstRate), Sums> = rates
        .iter()
        .filter(|(p, ..)| *p == month.period)
        .map(|(_, inter, pos, rate)| ((*inter, *pos, *rate), Sums::default()))
        .collect();
    for r in month.records.iter().filter(|r| !r.cancelled) {
        if blocks.contains(&(month.period, r.place_of_supply))
            && Section::of(r, home) == Section::B2cs
        {
            add_b2cs(&mut sums, &taxable_part(r), &Placement::of(r, home));
        }
    }
    let mut rows: BTreeMap<State, B2csaRow> = BTreeMap::new();
    for ((inter, pos, rate), s) in sums {
        rows.entry(pos)
            .or_insert_with(|| B2csaRow {
                omon: month.period.to_string(),
                sply_ty: if inter { "INTER" } else { "INTRA" }.into(),
                typ: "OE".into(),
                pos: pos.code_str(),
                itms: Vec::new(),
            })
            .itms
            .push(item_detail(rate, s, true));
    }
    rows.into_values().collect()
}

/// One supecoa row per corrected operator of `month`, as it now stands.
fn restated_eco(
    month: &AmendedMonth,
    blocks: &BTreeSet<(ReturnPeriod, bool, String)>,
) -> Vec<(bool, EcoAmendedRow)> {
    let mut sums: BTreeMap<(bool, String), Sums> = BTreeMap::new();
    for (period, operator_pays, etin) in blocks {
        if *period == month.period {
            sums.insert((*operator_pays, etin.clone()), Sums::default());
        }
    }
    for r in month.records.iter().filter(|r| !r.cancelled) {
        let Some(etin) = &r.ecommerce_gstin else {
            continue;
        };
        if let Some(s) = sums.get_mut(&(r.reverse_charge, etin.to_string())) {
            let sign = if r.doc_type == crate::einvoice::DocType::CreditNote {
                -1
            } else {
                1
            };
            for l in taxable_part(r).lines.iter() {
                s.add_line(l, sign);
            }
        }
    }
    sums.into_iter()
        .map(|((operator_pays, etin), s)| {
            let row = eco_row(etin.clone(), s);
            (
                operator_pays,
                EcoAmendedRow {
                    omon: month.period.to_string(),
                    oetin: etin,
                    etin: row.etin,
                    suppval_paise: row.suppval_paise,
                    igst_paise: row.igst_paise,
                    cgst_paise: row.cgst_paise,
                    sgst_paise: row.sgst_paise,
                    cess_paise: row.cess_paise,
                },
            )
        })
        .collect()
}

impl AmendedTables {
    pub(super) fn finish(self) -> Amended {
        Amended {
            b2ba: self
                .b2ba
                .into_iter()
                .map(|(ctin, inv)| B2baEntry { ctin, inv })
                .collect(),
            b2cla: self
                .b2cla
                .into_iter()
                .map(|(pos, inv)| B2claEntry {
                    pos: pos.code_str(),
                    inv,
                })
                .collect(),
            b2csa: self.b2csa,
            cdnra: self
                .cdnra
                .into_iter()
                .map(|(ctin, nt)| CdnraEntry { ctin, nt })
                .collect(),
            cdnura: self.cdnura,
            expa: self
                .expa
                .into_iter()
                .map(|(t, inv)| ExpaEntry {
                    exp_typ: t.into(),
                    inv,
                })
                .collect(),
            supecoa: self.supecoa,
        }
    }
}
