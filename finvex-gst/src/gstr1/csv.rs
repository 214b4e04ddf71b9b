//! CSV export of a built GSTR-1, one file per table, for accountants who
//! review returns in a spreadsheet. Headers follow the JSON field names so
//! the two exports can be compared column for column.

use serde::{Deserialize, Serialize};

use super::model::*;
use crate::money::paise_to_rupees_string as rs;

/// One CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvSection {
    /// Table name, e.g. `b2b`; use as the file stem.
    pub name: String,
    pub content: String,
}

fn field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn row(out: &mut String, values: &[&str]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, v);
    }
    out.push_str("\r\n");
}

fn opt(v: Option<i64>) -> String {
    v.map(rs).unwrap_or_default()
}

fn section(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> CsvSection {
    let mut content = String::new();
    row(&mut content, header);
    for r in rows {
        let refs: Vec<&str> = r.iter().map(String::as_str).collect();
        row(&mut content, &refs);
    }
    CsvSection {
        name: name.into(),
        content,
    }
}

fn item_cols(d: &ItemDetail) -> [String; 6] {
    [
        d.rt.to_string(),
        rs(d.txval_paise),
        rs(d.iamt_paise),
        opt(d.camt_paise),
        opt(d.samt_paise),
        rs(d.csamt_paise),
    ]
}

/// The per-rate tax columns that end every table's header.
const TAX_COLS: [&str; 6] = ["rt", "txval", "iamt", "camt", "samt", "csamt"];

/// A header: the table's own columns followed by [`TAX_COLS`].
fn with_tax(base: &[&'static str]) -> Vec<&'static str> {
    base.iter().copied().chain(TAX_COLS).collect()
}

/// Renders every non-empty table of the return as CSV (RFC 4180, CRLF).
pub fn to_csv(g: &Gstr1) -> Vec<CsvSection> {
    let mut out = vec![
        b2b_csv(&g.b2b),
        b2cl_csv(&g.b2cl),
        b2cs_csv(&g.b2cs),
        cdnr_csv(&g.cdnr),
        cdnur_csv(&g.cdnur),
        exp_csv(&g.exp),
        nil_csv(g.nil.as_ref()),
        supeco_csv(g.supeco.as_ref()),
        b2ba_csv(&g.b2ba),
        b2cla_csv(&g.b2cla),
        b2csa_csv(&g.b2csa),
        cdnra_csv(&g.cdnra),
        cdnura_csv(&g.cdnura),
        expa_csv(&g.expa),
        supecoa_csv(g.supecoa.as_ref()),
        hsn_csv(&g.hsn),
        doc_issue_csv(&g.doc_issue),
    ];
    // Only the header line: nothing to report in that table.
    out.retain(|s| s.content.matches("\r\n").count() > 1);
    out
}

/// The b2b table: one row per invoice and rate.
fn b2b_csv(b2b: &[B2bEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in b2b {
        for inv in &e.inv {
            for it in &inv.itms {
                let mut r = vec![
                    e.ctin.clone(),
                    inv.inum.clone(),
                    inv.idt.clone(),
                    rs(inv.val_paise),
                    inv.pos.clone(),
                    inv.rchrg.clone(),
                    inv.inv_typ.clone(),
                ];
                r.extend(item_cols(&it.itm_det));
                rows.push(r);
            }
        }
    }
    section(
        "b2b",
        &with_tax(&["ctin", "inum", "idt", "val", "pos", "rchrg", "inv_typ"]),
        rows,
    )
}

/// The b2cl table: one row per invoice and rate.
fn b2cl_csv(b2cl: &[B2clEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in b2cl {
        for inv in &e.inv {
            for it in &inv.itms {
                let mut r = vec![
                    e.pos.clone(),
                    inv.inum.clone(),
                    inv.idt.clone(),
                    rs(inv.val_paise),
                ];
                r.extend(item_cols(&it.itm_det));
                rows.push(r);
            }
        }
    }
    section("b2cl", &with_tax(&["pos", "inum", "idt", "val"]), rows)
}

/// The b2cs table: one row per summary row.
fn b2cs_csv(b2cs: &[B2csRow]) -> CsvSection {
    let rows = b2cs
        .iter()
        .map(|b| {
            vec![
                b.sply_ty.clone(),
                b.pos.clone(),
                b.typ.clone(),
                b.rt.to_string(),
                rs(b.txval_paise),
                rs(b.iamt_paise),
                rs(b.camt_paise),
                rs(b.samt_paise),
                rs(b.csamt_paise),
            ]
        })
        .collect();
    section("b2cs", &with_tax(&["sply_ty", "pos", "typ"]), rows)
}

/// The cdnr table: one row per note and rate.
fn cdnr_csv(cdnr: &[CdnrEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in cdnr {
        for n in &e.nt {
            for it in &n.itms {
                let mut r = vec![
                    e.ctin.clone(),
                    n.ntty.clone(),
                    n.nt_num.clone(),
                    n.nt_dt.clone(),
                    rs(n.val_paise),
                    n.pos.clone(),
                    n.rchrg.clone(),
                    n.inv_typ.clone(),
                ];
                r.extend(item_cols(&it.itm_det));
                rows.push(r);
            }
        }
    }
    section(
        "cdnr",
        &with_tax(&[
            "ctin", "ntty", "nt_num", "nt_dt", "val", "pos", "rchrg", "inv_typ",
        ]),
        rows,
    )
}

/// The cdnur table: one row per note and rate.
fn cdnur_csv(cdnur: &[CdnurNote]) -> CsvSection {
    let mut rows = Vec::new();
    for n in cdnur {
        for it in &n.itms {
            let mut r = vec![
                n.typ.clone(),
                n.ntty.clone(),
                n.nt_num.clone(),
                n.nt_dt.clone(),
                rs(n.val_paise),
                n.pos.clone(),
            ];
            r.extend(item_cols(&it.itm_det));
            rows.push(r);
        }
    }
    section(
        "cdnur",
        &with_tax(&["typ", "ntty", "nt_num", "nt_dt", "val", "pos"]),
        rows,
    )
}

/// The exp table: one row per invoice and rate.
fn exp_csv(exp: &[ExpEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in exp {
        for inv in &e.inv {
            for it in &inv.itms {
                let mut r = vec![
                    e.exp_typ.clone(),
                    inv.inum.clone(),
                    inv.idt.clone(),
                    rs(inv.val_paise),
                    inv.sbpcode.clone().unwrap_or_default(),
                    inv.sbnum.clone().unwrap_or_default(),
                    inv.sbdt.clone().unwrap_or_default(),
                ];
                r.extend(item_cols(it));
                rows.push(r);
            }
        }
    }
    section(
        "exp",
        &with_tax(&["exp_typ", "inum", "idt", "val", "sbpcode", "sbnum", "sbdt"]),
        rows,
    )
}

/// The nil table (Table 8): one row per kind of supply.
fn nil_csv(nil: Option<&NilSection>) -> CsvSection {
    let rows = nil
        .map(|n| n.inv.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|r| {
            vec![
                r.sply_ty.clone(),
                rs(r.nil_amt_paise),
                rs(r.expt_amt_paise),
                rs(r.ngsup_amt_paise),
            ]
        })
        .collect();
    section(
        "nil",
        &["sply_ty", "nil_amt", "expt_amt", "ngsup_amt"],
        rows,
    )
}

const ECO_COLS: [&str; 6] = ["etin", "suppval", "igst", "cgst", "sgst", "cess"];

fn eco_cols(r: &EcoRow) -> [String; 6] {
    [
        r.etin.clone(),
        rs(r.suppval_paise),
        rs(r.igst_paise),
        rs(r.cgst_paise),
        rs(r.sgst_paise),
        rs(r.cess_paise),
    ]
}

/// The supeco table (Table 14): one row per list and operator.
fn supeco_csv(supeco: Option<&Supeco>) -> CsvSection {
    let mut rows = Vec::new();
    if let Some(s) = supeco {
        for (list, entries) in [("clttx", &s.clttx), ("paytx", &s.paytx)] {
            for e in entries {
                let mut r = vec![list.to_string()];
                r.extend(eco_cols(e));
                rows.push(r);
            }
        }
    }
    let header: Vec<&str> = ["list"].into_iter().chain(ECO_COLS).collect();
    section("supeco", &header, rows)
}

/// The b2ba table: one row per revised invoice and rate.
fn b2ba_csv(b2ba: &[B2baEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in b2ba {
        for inv in &e.inv {
            for it in &inv.itms {
                let mut r = vec![
                    e.ctin.clone(),
                    inv.oinum.clone(),
                    inv.oidt.clone(),
                    inv.inum.clone(),
                    inv.idt.clone(),
                    rs(inv.val_paise),
                    inv.pos.clone(),
                    inv.rchrg.clone(),
                    inv.inv_typ.clone(),
                ];
                r.extend(item_cols(&it.itm_det));
                rows.push(r);
            }
        }
    }
    section(
        "b2ba",
        &with_tax(&[
            "ctin", "oinum", "oidt", "inum", "idt", "val", "pos", "rchrg", "inv_typ",
        ]),
        rows,
    )
}

/// The b2cla table: one row per revised invoice and rate.
fn b2cla_csv(b2cla: &[B2claEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in b2cla {
        for inv in &e.inv {
            for it in &inv.itms {
                let mut r = vec![
                    e.pos.clone(),
                    inv.oinum.clone(),
                    inv.oidt.clone(),
                    inv.inum.clone(),
                    inv.idt.clone(),
                    rs(inv.val_paise),
                ];
                r.extend(item_cols(&it.itm_det));
                rows.push(r);
            }
        }
    }
    section(
        "b2cla",
        &with_tax(&["pos", "oinum", "oidt", "inum", "idt", "val"]),
        rows,
    )
}

/// The b2csa table: one row per restated block and rate.
fn b2csa_csv(b2csa: &[B2csaRow]) -> CsvSection {
    let mut rows = Vec::new();
    for b in b2csa {
        for it in &b.itms {
            let mut r = vec![
                b.omon.clone(),
                b.sply_ty.clone(),
                b.pos.clone(),
                b.typ.clone(),
            ];
            r.extend(item_cols(it));
            rows.push(r);
        }
    }
    section("b2csa", &with_tax(&["omon", "sply_ty", "pos", "typ"]), rows)
}

/// The cdnra table: one row per revised note and rate.
fn cdnra_csv(cdnra: &[CdnraEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in cdnra {
        for n in &e.nt {
            for it in &n.itms {
                let mut r = vec![
                    e.ctin.clone(),
                    n.ont_num.clone(),
                    n.ont_dt.clone(),
                    n.ntty.clone(),
                    n.nt_num.clone(),
                    n.nt_dt.clone(),
                    rs(n.val_paise),
                    n.pos.clone(),
                    n.rchrg.clone(),
                    n.inv_typ.clone(),
                ];
                r.extend(item_cols(&it.itm_det));
                rows.push(r);
            }
        }
    }
    section(
        "cdnra",
        &with_tax(&[
            "ctin", "ont_num", "ont_dt", "ntty", "nt_num", "nt_dt", "val", "pos", "rchrg",
            "inv_typ",
        ]),
        rows,
    )
}

/// The cdnura table: one row per revised note and rate.
fn cdnura_csv(cdnura: &[CdnuraNote]) -> CsvSection {
    let mut rows = Vec::new();
    for n in cdnura {
        for it in &n.itms {
            let mut r = vec![
                n.typ.clone(),
                n.ont_num.clone(),
                n.ont_dt.clone(),
                n.ntty.clone(),
                n.nt_num.clone(),
                n.nt_dt.clone(),
                rs(n.val_paise),
                n.pos.clone(),
            ];
            r.extend(item_cols(&it.itm_det));
            rows.push(r);
        }
    }
    section(
        "cdnura",
        &with_tax(&[
            "typ", "ont_num", "ont_dt", "ntty", "nt_num", "nt_dt", "val", "pos",
        ]),
        rows,
    )
}

/// The expa table: one row per revised invoice and rate.
fn expa_csv(expa: &[ExpaEntry]) -> CsvSection {
    let mut rows = Vec::new();
    for e in expa {
        for inv in &e.inv {
            for it in &inv.itms {
                let mut r = vec![
                    e.exp_typ.clone(),
                    inv.oinum.clone(),
                    inv.oidt.clone(),
                    inv.inum.clone(),
                    inv.idt.clone(),
                    rs(inv.val_paise),
                    inv.sbpcode.clone().unwrap_or_default(),
                    inv.sbnum.clone().unwrap_or_default(),
                    inv.sbdt.clone().unwrap_or_default(),
                ];
                r.extend(item_cols(it));
                rows.push(r);
            }
        }
    }
    section(
        "expa",
        &with_tax(&[
            "exp_typ", "oinum", "oidt", "inum", "idt", "val", "sbpcode", "sbnum", "sbdt",
        ]),
        rows,
    )
}

/// The supecoa table (Table 14A): one row per list, month and operator.
fn supecoa_csv(supecoa: Option<&SupecoAmended>) -> CsvSection {
    let mut rows = Vec::new();
    if let Some(s) = supecoa {
        for (list, entries) in [("clttxa", &s.clttxa), ("paytxa", &s.paytxa)] {
            for e in entries {
                rows.push(vec![
                    list.to_string(),
                    e.omon.clone(),
                    e.oetin.clone(),
                    e.etin.clone(),
                    rs(e.suppval_paise),
                    rs(e.igst_paise),
                    rs(e.cgst_paise),
                    rs(e.sgst_paise),
                    rs(e.cess_paise),
                ]);
            }
        }
    }
    let header: Vec<&str> = ["list", "omon", "oetin"]
        .into_iter()
        .chain(ECO_COLS)
        .collect();
    section("supecoa", &header, rows)
}

/// The hsn table: every row of Table 12, tagged with its list (all, b2b or
/// b2c).
fn hsn_csv(hsn: &HsnSummary) -> CsvSection {
    let mut rows = Vec::new();
    let tables = [
        ("all", &hsn.data),
        ("b2b", &hsn.hsn_b2b),
        ("b2c", &hsn.hsn_b2c),
    ];
    for (table, list) in tables {
        for h in list.iter().flatten() {
            rows.push(vec![
                table.to_string(),
                h.num.to_string(),
                h.hsn_sc.clone(),
                h.desc.clone(),
                h.uqc.clone(),
                h.qty.to_string(),
                h.rt.to_string(),
                rs(h.txval_paise),
                rs(h.iamt_paise),
                rs(h.camt_paise),
                rs(h.samt_paise),
                rs(h.csamt_paise),
            ]);
        }
    }
    section(
        "hsn",
        &with_tax(&["table", "num", "hsn_sc", "desc", "uqc", "qty"]),
        rows,
    )
}

/// The doc_issue table: one row per document series.
fn doc_issue_csv(doc_issue: &DocIssue) -> CsvSection {
    let mut rows = Vec::new();
    for d in &doc_issue.doc_det {
        for r in &d.docs {
            rows.push(vec![
                d.doc_num.to_string(),
                r.num.to_string(),
                r.from.clone(),
                r.to.clone(),
                r.totnum.to_string(),
                r.cancel.to_string(),
                r.net_issue.to_string(),
            ]);
        }
    }
    section(
        "doc_issue",
        &[
            "doc_num",
            "num",
            "from",
            "to",
            "totnum",
            "cancel",
            "net_issue",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_fields_that_need_it() {
        let mut out = String::new();
        row(&mut out, &["a,b", "say \"hi\"", "plain"]);
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",plain\r\n");
    }
}
