//! E-invoice validation: the schema's field rules plus the IRP's business
//! checks (research §4.3).
//!
//! The NIC schema file cannot be fed to a generic JSON-Schema validator (it
//! has typos and a non-standard layout), so its rules are written out here.
//! All violations are collected, each with a JSON path, so a client can fix
//! a document in one round trip.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::schema::*;
use crate::calc::tax_on;
use crate::date::Date;
use crate::gstin::Gstin;
use crate::hsn;
use crate::rate::GstRate;

const MAX_ITEM_PAISE: i64 = 99_999_999_999_999;
const MAX_TOTAL_PAISE: i64 = 9_999_999_999_999_998;
const MAX_ITEMS: usize = 1000;

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// JSON path in schema names, e.g. `ItemList[2].HsnCd`.
    pub path: String,
    /// Stable rule code: required, length, pattern, enum, range, date,
    /// not_in_master, gstin, mismatch, tax_split, duplicate.
    pub code: String,
    pub message: String,
}

/// Knobs for environments that differ from production.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationOptions {
    /// NIC sandbox GSTINs fail the checksum, so sandbox mode turns this off.
    pub check_gstin_checksum: bool,
    /// Require HSN/SAC codes to exist in the GST master, as the IRP does.
    pub check_hsn_master: bool,
    /// Allowed difference in sum checks. The IRP tolerates about Rs 1.
    pub tolerance_paise: i64,
    /// The IRP rejects documents dated before 01-10-2020.
    pub earliest_doc_date: Date,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        ValidationOptions {
            check_gstin_checksum: true,
            check_hsn_master: true,
            tolerance_paise: 100,
            earliest_doc_date: Date::new(2020, 10, 1).expect("valid constant date"),
        }
    }
}

struct Checker<'a> {
    opts: &'a ValidationOptions,
    out: Vec<Violation>,
}

impl Checker<'_> {
    fn push(&mut self, path: impl Into<String>, code: &str, message: impl Into<String>) {
        self.out.push(Violation {
            path: path.into(),
            code: code.into(),
            message: message.into(),
        });
    }

    /// Length bounds plus the schema's `^([^\"])*$`; the IRP also rejects `\`.
    fn text(&mut self, path: &str, value: &str, min: usize, max: usize) {
        let n = value.chars().count();
        if n < min || n > max {
            self.push(
                path,
                "length",
                format!("must be {min}-{max} characters, got {n}"),
            );
        }
        if value.contains('"') || value.contains('\\') {
            self.push(path, "pattern", "must not contain '\"' or '\\'");
        }
    }

    fn opt_text(&mut self, path: &str, value: &Option<String>, min: usize, max: usize) {
        if let Some(v) = value {
            self.text(path, v, min, max);
        }
    }

    fn one_of(&mut self, path: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.push(
                path,
                "enum",
                format!("'{value}' is not one of {}", allowed.join(", ")),
            );
        }
    }

    fn opt_yn(&mut self, path: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.one_of(path, v, &["Y", "N"]);
        }
    }

    fn pattern(&mut self, path: &str, value: &str, ok: bool, what: &str) {
        if !ok {
            self.push(path, "pattern", format!("'{value}' must be {what}"));
        }
    }

    fn amount(&mut self, path: &str, paise: i64, max: i64) {
        if !(0..=max).contains(&paise) {
            self.push(
                path,
                "range",
                format!(
                    "must be between 0 and {}",
                    crate::money::paise_to_rupees_string(max)
                ),
            );
        }
    }

    fn opt_amount(&mut self, path: &str, paise: Option<i64>, max: i64) {
        if let Some(p) = paise {
            self.amount(path, p, max);
        }
    }

    fn rate(&mut self, path: &str, r: Option<Decimal>) {
        if let Some(r) = r {
            if r < Decimal::ZERO || r > Decimal::new(999_999, 3) || r.scale() > 3 {
                self.push(
                    path,
                    "range",
                    "must be between 0 and 999.999 with at most 3 decimals",
                );
            }
        }
    }

    fn date(&mut self, path: &str, value: &str) -> Option<Date> {
        // Schema: ^[0-3][0-9]/[0-1][0-9]/[2][0][1-2][0-9]$ (years 2010-2029).
        let b = value.as_bytes();
        let shape = b.len() == 10
            && b[2] == b'/'
            && b[5] == b'/'
            && b[..2]
                .iter()
                .chain(&b[3..5])
                .chain(&b[6..])
                .all(u8::is_ascii_digit)
            && b[6..8] == *b"20"
            && (b'1'..=b'2').contains(&b[8]);
        if !shape {
            self.push(
                path,
                "pattern",
                format!("'{value}' must be dd/mm/yyyy with a year 2010-2029"),
            );
            return None;
        }
        match Date::parse_dmy(value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(path, "date", e.to_string());
                None
            }
        }
    }

    fn stcd(&mut self, path: &str, value: &str) {
        // ^(?!0+$)([0-9]{1,2})$
        let ok = (1..=2).contains(&value.len())
            && value.bytes().all(|b| b.is_ascii_digit())
            && value.bytes().any(|b| b != b'0');
        self.pattern(path, value, ok, "a 1-2 digit state code");
    }

    fn pin(&mut self, path: &str, pin: u32) {
        if !(100_000..=999_999).contains(&pin) {
            self.push(path, "range", "must be a 6-digit PIN code 100000-999999");
        }
    }

    fn gstin(&mut self, path: &str, value: &str) -> Option<Gstin> {
        let b = value.as_bytes();
        let shape = b.len() == 15
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[2..]
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
        if !shape {
            self.push(
                path,
                "pattern",
                format!("'{value}' must be 2 digits followed by 13 upper-case letters or digits"),
            );
            return None;
        }
        match Gstin::parse(value) {
            Ok(g) => Some(g),
            Err(e) => {
                if self.opts.check_gstin_checksum {
                    self.push(path, "gstin", e.to_string());
                }
                None
            }
        }
    }

    fn phone_email(&mut self, base: &str, ph: &Option<String>, em: &Option<String>) {
        if let Some(ph) = ph {
            let ok = (6..=12).contains(&ph.len()) && ph.bytes().all(|b| b.is_ascii_digit());
            self.pattern(&format!("{base}.Ph"), ph, ok, "6-12 digits");
        }
        if let Some(em) = em {
            let n = em.chars().count();
            let ok = (6..=100).contains(&n)
                && em.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && !domain.is_empty()
                        && local
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"+_.-".contains(&b))
                        && domain
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b".-".contains(&b))
                });
            self.pattern(
                &format!("{base}.Em"),
                em,
                ok,
                "an e-mail address of 6-100 characters",
            );
        }
    }

    fn close(&mut self, path: &str, actual: i64, expected: i64, what: &str) {
        if (actual - expected).abs() > self.opts.tolerance_paise {
            self.push(
                path,
                "mismatch",
                format!(
                    "{} does not match {what} = {}",
                    crate::money::paise_to_rupees_string(actual),
                    crate::money::paise_to_rupees_string(expected)
                ),
            );
        }
    }
}

/// Validates with production settings.
pub fn validate(doc: &EInvoice) -> Vec<Violation> {
    validate_with(doc, &ValidationOptions::default())
}

/// Returns every violation found; empty means the document passes.
pub fn validate_with(doc: &EInvoice, opts: &ValidationOptions) -> Vec<Violation> {
    let mut c = Checker {
        opts,
        out: Vec::new(),
    };

    if doc.version != "1.1" {
        c.push(
            "Version",
            "enum",
            format!("'{}' must be \"1.1\"", doc.version),
        );
    }

    // TranDtls
    let t = &doc.tran_dtls;
    c.one_of("TranDtls.TaxSch", &t.tax_sch, &["GST"]);
    let sup_upper = t.sup_typ.to_ascii_uppercase();
    c.one_of(
        "TranDtls.SupTyp",
        &sup_upper,
        &["B2B", "SEZWP", "SEZWOP", "EXPWP", "EXPWOP", "DEXP"],
    );
    c.opt_yn("TranDtls.RegRev", &t.reg_rev);
    c.opt_yn("TranDtls.IgstOnIntra", &t.igst_on_intra);
    if let Some(e) = &t.ecm_gstin {
        c.gstin("TranDtls.EcmGstin", e);
    }

    // DocDtls
    let d = &doc.doc_dtls;
    let typ = d.typ.to_ascii_uppercase();
    c.one_of("DocDtls.Typ", &typ, &["INV", "CRN", "DBN"]);
    if let Err(e) = super::irn::DocNumber::parse(&d.no) {
        c.push("DocDtls.No", "pattern", e.to_string());
    }
    if let Some(date) = c.date("DocDtls.Dt", &d.dt) {
        if date < opts.earliest_doc_date {
            c.push(
                "DocDtls.Dt",
                "date",
                format!(
                    "documents dated before {} are not accepted",
                    opts.earliest_doc_date.to_dmy_slash()
                ),
            );
        }
    }

    // SellerDtls
    let s = &doc.seller_dtls;
    c.gstin("SellerDtls.Gstin", &s.gstin);
    c.text("SellerDtls.LglNm", &s.lgl_nm, 3, 100);
    c.opt_text("SellerDtls.TrdNm", &s.trd_nm, 3, 100);
    c.text("SellerDtls.Addr1", &s.addr1, 1, 100);
    c.opt_text("SellerDtls.Addr2", &s.addr2, 3, 100);
    c.text("SellerDtls.Loc", &s.loc, 3, 50);
    c.pin("SellerDtls.Pin", s.pin);
    c.stcd("SellerDtls.Stcd", &s.stcd);
    c.phone_email("SellerDtls", &s.ph, &s.em);
    if s.gstin.len() >= 2 && s.gstin.get(..2) != Some(format!("{:0>2}", s.stcd).as_str()) {
        c.push(
            "SellerDtls.Stcd",
            "mismatch",
            format!(
                "state code {} differs from the seller GSTIN's {}",
                s.stcd,
                &s.gstin[..2]
            ),
        );
    }

    // BuyerDtls
    let b = &doc.buyer_dtls;
    let is_export = sup_upper.starts_with("EXP");
    let is_sez = sup_upper.starts_with("SEZ");
    if b.gstin == "URP" {
        if !is_export {
            c.push(
                "BuyerDtls.Gstin",
                "enum",
                "\"URP\" (unregistered) is only allowed for exports",
            );
        }
    } else {
        c.gstin("BuyerDtls.Gstin", &b.gstin);
        if b.gstin.len() == 15 && b.gstin.get(..2) != Some(format!("{:0>2}", b.stcd).as_str()) {
            c.push(
                "BuyerDtls.Stcd",
                "mismatch",
                format!(
                    "state code {} differs from the buyer GSTIN's {}",
                    b.stcd,
                    &b.gstin[..2]
                ),
            );
        }
    }
    c.text("BuyerDtls.LglNm", &b.lgl_nm, 3, 100);
    c.opt_text("BuyerDtls.TrdNm", &b.trd_nm, 3, 100);
    c.stcd("BuyerDtls.Pos", &b.pos);
    c.text("BuyerDtls.Addr1", &b.addr1, 1, 100);
    c.opt_text("BuyerDtls.Addr2", &b.addr2, 3, 100);
    c.text("BuyerDtls.Loc", &b.loc, 3, 100);
    if let Some(pin) = b.pin {
        c.pin("BuyerDtls.Pin", pin);
    }
    c.stcd("BuyerDtls.Stcd", &b.stcd);
    c.phone_email("BuyerDtls", &b.ph, &b.em);
    let pos_code = b.pos.parse::<u8>().ok();
    if is_export && pos_code != Some(96) {
        c.push(
            "BuyerDtls.Pos",
            "mismatch",
            "an export's place of supply must be 96",
        );
    }
    if !is_export && pos_code == Some(96) {
        c.push(
            "BuyerDtls.Pos",
            "mismatch",
            "place of supply 96 (outside India) requires an export supply type",
        );
    }

    // Which split the place of supply calls for.
    let seller_code = s.stcd.parse::<u8>().ok();
    let igst_on_intra = t.igst_on_intra.as_deref() == Some("Y");
    let expects_igst = is_export || is_sez || igst_on_intra || pos_code != seller_code;
    let lut = sup_upper == "SEZWOP" || sup_upper == "EXPWOP";
    let check_rates = typ == "INV";

    // ItemList
    if doc.item_list.is_empty() || doc.item_list.len() > MAX_ITEMS {
        c.push(
            "ItemList",
            "length",
            format!("must have 1-{MAX_ITEMS} items, got {}", doc.item_list.len()),
        );
    }
    let mut seen_sl = std::collections::HashSet::new();
    let tol = opts.tolerance_paise;
    let (mut ass, mut cg, mut sg, mut ig, mut ces, mut stces) =
        (0i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    for (i, it) in doc.item_list.iter().enumerate() {
        let p = |f: &str| format!("ItemList[{i}].{f}");
        let sl_ok =
            (1..=6).contains(&it.sl_no.len()) && it.sl_no.bytes().all(|b| b.is_ascii_digit());
        c.pattern(&p("SlNo"), &it.sl_no, sl_ok, "1-6 digits");
        if !seen_sl.insert(it.sl_no.as_str()) {
            c.push(
                p("SlNo"),
                "duplicate",
                format!("serial number {} is used twice", it.sl_no),
            );
        }
        c.opt_text(&p("PrdDesc"), &it.prd_desc, 3, 300);
        c.one_of(&p("IsServc"), &it.is_servc, &["Y", "N"]);
        let h = &it.hsn_cd;
        let hsn_ok = matches!(h.len(), 4 | 6 | 8)
            && h.bytes().all(|b| b.is_ascii_digit())
            && h.bytes().any(|b| b != b'0');
        c.pattern(&p("HsnCd"), h, hsn_ok, "4, 6 or 8 digits, not all zero");
        if hsn_ok && opts.check_hsn_master && !hsn::is_known(h) {
            c.push(
                p("HsnCd"),
                "not_in_master",
                format!("'{h}' is not in the GST HSN/SAC master"),
            );
        }
        if hsn_ok && (it.is_servc == "Y") != h.starts_with("99") {
            c.push(
                p("IsServc"),
                "mismatch",
                "services (IsServc = Y) use SAC codes starting with 99, goods do not",
            );
        }
        if let Some(q) = it.qty {
            if q < Decimal::ZERO || q > Decimal::new(9_999_999_999_999, 3) || q.scale() > 3 {
                c.push(
                    p("Qty"),
                    "range",
                    "must be 0-9999999999.999 with at most 3 decimals",
                );
            }
        }
        match &it.unit {
            Some(u) => {
                let ok = (3..=8).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphabetic());
                c.pattern(&p("Unit"), u, ok, "3-8 letters (a GST UQC such as NOS)");
            }
            None if it.is_servc == "N" => {
                c.push(p("Unit"), "required", "Unit is required for goods")
            }
            None => {}
        }
        c.amount(&p("UnitPrice"), it.unit_price_paise, MAX_ITEM_PAISE);
        c.amount(&p("TotAmt"), it.tot_amt_paise, MAX_ITEM_PAISE);
        c.opt_amount(&p("Discount"), it.discount_paise, MAX_ITEM_PAISE);
        c.amount(&p("AssAmt"), it.ass_amt_paise, MAX_ITEM_PAISE);
        for (name, v) in [
            ("IgstAmt", it.igst_amt_paise),
            ("CgstAmt", it.cgst_amt_paise),
            ("SgstAmt", it.sgst_amt_paise),
            ("CesAmt", it.ces_amt_paise),
            ("CesNonAdvlAmt", it.ces_non_advl_amt_paise),
            ("StateCesAmt", it.state_ces_amt_paise),
            ("StateCesNonAdvlAmt", it.state_ces_non_advl_amt_paise),
            ("OthChrg", it.oth_chrg_paise),
        ] {
            c.opt_amount(&p(name), v, MAX_ITEM_PAISE);
        }
        c.amount(&p("TotItemVal"), it.tot_item_val_paise, MAX_ITEM_PAISE);
        c.rate(&p("GstRt"), Some(it.gst_rt));
        c.rate(&p("CesRt"), it.ces_rt);
        c.rate(&p("StateCesRt"), it.state_ces_rt);
        if GstRate::new(it.gst_rt).is_err() {
            c.push(
                p("GstRt"),
                "enum",
                format!("{}% is not an allowed GST rate", it.gst_rt.normalize()),
            );
        }

        // Business rules.
        let v = |o: Option<i64>| o.unwrap_or(0);
        let (igst, cgst, sgst) = (
            v(it.igst_amt_paise),
            v(it.cgst_amt_paise),
            v(it.sgst_amt_paise),
        );
        c.close(
            &p("AssAmt"),
            it.ass_amt_paise,
            it.tot_amt_paise - v(it.discount_paise),
            "TotAmt - Discount",
        );
        if expects_igst && (cgst != 0 || sgst != 0) {
            c.push(
                p("CgstAmt"),
                "tax_split",
                "this supply is inter-State (or SEZ/export): use IGST, not CGST/SGST",
            );
        }
        if !expects_igst && igst != 0 {
            c.push(
                p("IgstAmt"),
                "tax_split",
                "place of supply equals the seller's state: use CGST + SGST, not IGST",
            );
        }
        if check_rates {
            if expects_igst {
                let want = tax_on(it.ass_amt_paise, it.gst_rt);
                let lut_zero = lut && igst == 0;
                if !lut_zero && (igst - want).abs() > tol {
                    c.close(&p("IgstAmt"), igst, want, "AssAmt × GstRt / 100");
                }
            } else {
                let want = tax_on(it.ass_amt_paise, it.gst_rt / Decimal::TWO);
                c.close(&p("CgstAmt"), cgst, want, "AssAmt × GstRt / 2 / 100");
                c.close(&p("SgstAmt"), sgst, want, "AssAmt × GstRt / 2 / 100");
            }
            if let Some(r) = it.ces_rt {
                if !(lut && v(it.ces_amt_paise) == 0) {
                    c.close(
                        &p("CesAmt"),
                        v(it.ces_amt_paise),
                        tax_on(it.ass_amt_paise, r),
                        "AssAmt × CesRt / 100",
                    );
                }
            }
        }
        let item_sum = it.ass_amt_paise
            + igst
            + cgst
            + sgst
            + v(it.ces_amt_paise)
            + v(it.ces_non_advl_amt_paise)
            + v(it.state_ces_amt_paise)
            + v(it.state_ces_non_advl_amt_paise)
            + v(it.oth_chrg_paise);
        c.close(
            &p("TotItemVal"),
            it.tot_item_val_paise,
            item_sum,
            "AssAmt + taxes + cess + OthChrg",
        );

        ass += it.ass_amt_paise;
        cg += cgst;
        sg += sgst;
        ig += igst;
        ces += v(it.ces_amt_paise) + v(it.ces_non_advl_amt_paise);
        stces += v(it.state_ces_amt_paise) + v(it.state_ces_non_advl_amt_paise);
    }

    // ValDtls
    let vd = &doc.val_dtls;
    let v = |o: Option<i64>| o.unwrap_or(0);
    c.amount("ValDtls.AssVal", vd.ass_val_paise, MAX_TOTAL_PAISE);
    for (name, val) in [
        ("CgstVal", vd.cgst_val_paise),
        ("SgstVal", vd.sgst_val_paise),
        ("IgstVal", vd.igst_val_paise),
        ("CesVal", vd.ces_val_paise),
        ("StCesVal", vd.st_ces_val_paise),
        ("Discount", vd.discount_paise),
        ("OthChrg", vd.oth_chrg_paise),
        ("TotInvValFc", vd.tot_inv_val_fc_paise),
    ] {
        c.opt_amount(&format!("ValDtls.{name}"), val, MAX_TOTAL_PAISE);
    }
    c.amount("ValDtls.TotInvVal", vd.tot_inv_val_paise, MAX_TOTAL_PAISE);
    if let Some(r) = vd.rnd_off_amt_paise {
        if !(-9_999..=9_999).contains(&r) {
            c.push(
                "ValDtls.RndOffAmt",
                "range",
                "must be between -99.99 and 99.99",
            );
        }
    }
    c.close(
        "ValDtls.AssVal",
        vd.ass_val_paise,
        ass,
        "the sum of ItemList AssAmt",
    );
    c.close(
        "ValDtls.CgstVal",
        v(vd.cgst_val_paise),
        cg,
        "the sum of ItemList CgstAmt",
    );
    c.close(
        "ValDtls.SgstVal",
        v(vd.sgst_val_paise),
        sg,
        "the sum of ItemList SgstAmt",
    );
    c.close(
        "ValDtls.IgstVal",
        v(vd.igst_val_paise),
        ig,
        "the sum of ItemList IgstAmt",
    );
    c.close(
        "ValDtls.CesVal",
        v(vd.ces_val_paise),
        ces,
        "the sum of ItemList cess amounts",
    );
    c.close(
        "ValDtls.StCesVal",
        v(vd.st_ces_val_paise),
        stces,
        "the sum of ItemList state cess amounts",
    );
    let expected_total = vd.ass_val_paise
        + v(vd.cgst_val_paise)
        + v(vd.sgst_val_paise)
        + v(vd.igst_val_paise)
        + v(vd.ces_val_paise)
        + v(vd.st_ces_val_paise)
        + v(vd.oth_chrg_paise)
        - v(vd.discount_paise)
        + v(vd.rnd_off_amt_paise);
    c.close(
        "ValDtls.TotInvVal",
        vd.tot_inv_val_paise,
        expected_total,
        "AssVal + taxes + cess + OthChrg - Discount + RndOffAmt",
    );

    // RefDtls
    if let Some(r) = &doc.ref_dtls {
        c.opt_text("RefDtls.InvRm", &r.inv_rm, 3, 100);
        for (i, p) in r.prec_doc_dtls.iter().enumerate() {
            let path = format!("RefDtls.PrecDocDtls[{i}]");
            // ^[1-9a-zA-Z]{1}[0-9a-zA-Z/-]{1,15}$ (at least 2 characters)
            let ok = p.inv_no.len() >= 2 && super::irn::DocNumber::parse(&p.inv_no).is_ok();
            c.pattern(
                &format!("{path}.InvNo"),
                &p.inv_no,
                ok,
                "2-16 characters, starting with a letter or 1-9",
            );
            c.date(&format!("{path}.InvDt"), &p.inv_dt);
            c.opt_text(&format!("{path}.OthRefNo"), &p.oth_ref_no, 1, 20);
        }
    }

    // ExpDtls
    if let Some(e) = &doc.exp_dtls {
        c.opt_text("ExpDtls.ShipBNo", &e.ship_b_no, 1, 20);
        if let Some(dt) = &e.ship_b_dt {
            c.date("ExpDtls.ShipBDt", dt);
        }
        if let Some(port) = &e.port {
            let ok =
                (2..=10).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_alphanumeric());
            c.pattern("ExpDtls.Port", port, ok, "2-10 letters or digits");
        }
        c.opt_yn("ExpDtls.RefClm", &e.ref_clm);
        if let Some(cur) = &e.for_cur {
            let ok = (3..=16).contains(&cur.len()) && cur.bytes().all(|b| b.is_ascii_alphabetic());
            c.pattern("ExpDtls.ForCur", cur, ok, "3-16 letters");
        }
        if let Some(cc) = &e.cnt_code {
            let ok = cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase());
            c.pattern("ExpDtls.CntCode", cc, ok, "2 upper-case letters");
        }
    }
    if typ != "INV" && doc.ref_dtls.as_ref().is_none_or_empty() {
        c.push(
            "RefDtls.PrecDocDtls",
            "required",
            "a credit or debit note must reference the original invoice",
        );
    }
    c.out
}

trait NoneOrEmpty {
    fn is_none_or_empty(&self) -> bool;
}

impl NoneOrEmpty for Option<&RefDtls> {
    fn is_none_or_empty(&self) -> bool {
        self.is_none_or(|r| r.prec_doc_dtls.is_empty())
    }
}
