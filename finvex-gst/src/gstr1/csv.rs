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

/// Renders every non-empty table of the return as CSV (RFC 4180, CRLF).
pub fn to_csv(g: &Gstr1) -> Vec<CsvSection> {
    let tax = ["rt", "txval", "iamt", "camt", "samt", "csamt"];
    let with =
        |base: &[&'static str]| -> Vec<&'static str> { base.iter().copied().chain(tax).collect() };
    let mut out = Vec::new();

    let mut rows = Vec::new();
    for e in &g.b2b {
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
    out.push(section(
        "b2b",
        &with(&["ctin", "inum", "idt", "val", "pos", "rchrg", "inv_typ"]),
        rows,
    ));

    let mut rows = Vec::new();
    for e in &g.b2cl {
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
    out.push(section("b2cl", &with(&["pos", "inum", "idt", "val"]), rows));

    let rows = g
        .b2cs
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
    out.push(section("b2cs", &with(&["sply_ty", "pos", "typ"]), rows));

    let mut rows = Vec::new();
    for e in &g.cdnr {
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
    out.push(section(
        "cdnr",
        &with(&[
            "ctin", "ntty", "nt_num", "nt_dt", "val", "pos", "rchrg", "inv_typ",
        ]),
        rows,
    ));

    let mut rows = Vec::new();
    for n in &g.cdnur {
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
    out.push(section(
        "cdnur",
        &with(&["typ", "ntty", "nt_num", "nt_dt", "val", "pos"]),
        rows,
    ));

    let mut rows = Vec::new();
    for e in &g.exp {
        for inv in &e.inv {
            for it in &inv.itms {
                let mut r = vec![
                    e.exp_typ.clone(),
                    inv.inum.clone(),
                    inv.idt.clone(),
                    rs(inv.val_paise),
                ];
                r.extend(item_cols(it));
                rows.push(r);
            }
        }
    }
    out.push(section(
        "exp",
        &with(&["exp_typ", "inum", "idt", "val"]),
        rows,
    ));

    let mut rows = Vec::new();
    let tables = [
        ("all", &g.hsn.data),
        ("b2b", &g.hsn.hsn_b2b),
        ("b2c", &g.hsn.hsn_b2c),
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
    out.push(section(
        "hsn",
        &with(&["table", "num", "hsn_sc", "desc", "uqc", "qty"]),
        rows,
    ));

    let mut rows = Vec::new();
    for d in &g.doc_issue.doc_det {
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
    out.push(section(
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
    ));

    // Only the header line: nothing to report in that table.
    out.retain(|s| s.content.matches("\r\n").count() > 1);
    out
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
