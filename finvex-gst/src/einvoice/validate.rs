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
        // In i128: a hand-edited document can put any i64 in either side.
        let difference = (i128::from(actual) - i128::from(expected)).abs();
        if difference > i128::from(self.opts.tolerance_paise) {
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
    c.check_version(&doc.version);
    let sup_typ = doc.tran_dtls.sup_typ.to_ascii_uppercase();
    c.check_tran_dtls(&doc.tran_dtls, &sup_typ);
    let doc_typ = doc.doc_dtls.typ.to_ascii_uppercase();
    c.check_doc_dtls(&doc.doc_dtls, &doc_typ);
    c.check_seller_dtls(&doc.seller_dtls);
    let supply = Supply::of(doc, &sup_typ, &doc_typ);
    c.check_buyer_dtls(&doc.buyer_dtls, supply.is_export);
    if let Some(ship) = &doc.ship_dtls {
        c.check_ship_dtls(ship);
    }
    c.check_place_of_supply(supply);
    let sums = c.check_item_list(&doc.item_list, supply);
    c.check_val_dtls(&doc.val_dtls, &sums);
    if let Some(r) = &doc.ref_dtls {
        c.check_ref_dtls(r);
    }
    if let Some(e) = &doc.exp_dtls {
        c.check_exp_dtls(e);
    }
    c.check_note_reference(doc.ref_dtls.as_ref(), &doc_typ);
    c.out
}

/// What the supply type and place of supply imply for the item checks.
#[derive(Clone, Copy)]
struct Supply {
    /// An export (EXPWP / EXPWOP).
    is_export: bool,
    /// The buyer's place of supply as a number, if it parses.
    pos_code: Option<u8>,
    /// The place of supply calls for IGST rather than CGST + SGST.
    expects_igst: bool,
    /// Zero-rated under a letter of undertaking (SEZWOP / EXPWOP).
    lut: bool,
    /// Tax amounts are checked against the rates (invoices only).
    check_rates: bool,
}

impl Supply {
    /// Works out which tax split the document calls for.
    fn of(doc: &EInvoice, sup_typ: &str, doc_typ: &str) -> Supply {
        let is_export = sup_typ.starts_with("EXP");
        let is_sez = sup_typ.starts_with("SEZ");
        let pos_code = doc.buyer_dtls.pos.parse::<u8>().ok();
        let seller_code = doc.seller_dtls.stcd.parse::<u8>().ok();
        let igst_on_intra = doc.tran_dtls.igst_on_intra.as_deref() == Some("Y");
        Supply {
            is_export,
            pos_code,
            expects_igst: is_export || is_sez || igst_on_intra || pos_code != seller_code,
            lut: sup_typ == "SEZWOP" || sup_typ == "EXPWOP",
            check_rates: doc_typ == "INV",
        }
    }
}

/// Running sums over `ItemList`, compared with `ValDtls`.
#[derive(Default)]
struct ItemSums {
    ass: i64,
    cgst: i64,
    sgst: i64,
    igst: i64,
    ces: i64,
    st_ces: i64,
}

impl ItemSums {
    /// Adds one item's assessable value, taxes and cess.
    fn add(&mut self, it: &Item) {
        let add = |sum: &mut i64, parts: &[Option<i64>]| *sum = sum_paise(*sum, parts);
        add(&mut self.ass, &[Some(it.ass_amt_paise)]);
        add(&mut self.cgst, &[it.cgst_amt_paise]);
        add(&mut self.sgst, &[it.sgst_amt_paise]);
        add(&mut self.igst, &[it.igst_amt_paise]);
        add(
            &mut self.ces,
            &[it.ces_amt_paise, it.ces_non_advl_amt_paise],
        );
        add(
            &mut self.st_ces,
            &[it.state_ces_amt_paise, it.state_ces_non_advl_amt_paise],
        );
    }
}

/// An absent amount counts as zero in the sum checks.
fn or_zero(o: Option<i64>) -> i64 {
    o.unwrap_or(0)
}

/// `start` plus the present `parts`, saturating: only amounts already
/// reported out of range can reach `i64`'s limits, and a saturated sum
/// still fails its comparison instead of overflowing.
fn sum_paise(start: i64, parts: &[Option<i64>]) -> i64 {
    parts
        .iter()
        .fold(start, |sum, part| sum.saturating_add(or_zero(*part)))
}

/// The JSON path of field `f` of item `i`.
fn item_path(i: usize, f: &str) -> String {
    format!("ItemList[{i}].{f}")
}

impl Checker<'_> {
    /// `Version` must be "1.1".
    fn check_version(&mut self, version: &str) {
        if version != "1.1" {
            self.push("Version", "enum", format!("'{version}' must be \"1.1\""));
        }
    }

    /// `TranDtls`: tax scheme, supply type, reverse charge, IGST on
    /// intra-State supply and the e-commerce operator's GSTIN.
    fn check_tran_dtls(&mut self, t: &TranDtls, sup_typ: &str) {
        self.one_of("TranDtls.TaxSch", &t.tax_sch, &["GST"]);
        self.one_of(
            "TranDtls.SupTyp",
            sup_typ,
            &["B2B", "SEZWP", "SEZWOP", "EXPWP", "EXPWOP", "DEXP"],
        );
        self.opt_yn("TranDtls.RegRev", &t.reg_rev);
        self.opt_yn("TranDtls.IgstOnIntra", &t.igst_on_intra);
        if let Some(e) = &t.ecm_gstin {
            self.gstin("TranDtls.EcmGstin", e);
        }
    }

    /// `DocDtls`: document type, number and date (not before the earliest
    /// date the IRP accepts).
    fn check_doc_dtls(&mut self, d: &DocDtls, doc_typ: &str) {
        self.one_of("DocDtls.Typ", doc_typ, &["INV", "CRN", "DBN"]);
        if let Err(e) = super::irn::DocNumber::parse(&d.no) {
            self.push("DocDtls.No", "pattern", e.to_string());
        }
        if let Some(date) = self.date("DocDtls.Dt", &d.dt) {
            let earliest = self.opts.earliest_doc_date;
            if date < earliest {
                self.push(
                    "DocDtls.Dt",
                    "date",
                    format!(
                        "documents dated before {} are not accepted",
                        earliest.to_dmy_slash()
                    ),
                );
            }
        }
    }

    /// `SellerDtls`: GSTIN, names, address, contact, and a state code that
    /// agrees with the GSTIN.
    fn check_seller_dtls(&mut self, s: &SellerDtls) {
        self.gstin("SellerDtls.Gstin", &s.gstin);
        self.text("SellerDtls.LglNm", &s.lgl_nm, 3, 100);
        self.opt_text("SellerDtls.TrdNm", &s.trd_nm, 3, 100);
        self.text("SellerDtls.Addr1", &s.addr1, 1, 100);
        self.opt_text("SellerDtls.Addr2", &s.addr2, 3, 100);
        self.text("SellerDtls.Loc", &s.loc, 3, 50);
        self.pin("SellerDtls.Pin", s.pin);
        self.stcd("SellerDtls.Stcd", &s.stcd);
        self.phone_email("SellerDtls", &s.ph, &s.em);
        if s.gstin.len() >= 2 && s.gstin.get(..2) != Some(format!("{:0>2}", s.stcd).as_str()) {
            self.push(
                "SellerDtls.Stcd",
                "mismatch",
                format!(
                    "state code {} differs from the seller GSTIN's {}",
                    s.stcd,
                    &s.gstin[..2]
                ),
            );
        }
    }

    /// `ShipDtls`: the delivery address's names, lines, place, PIN and State.
    fn check_ship_dtls(&mut self, s: &ShipDtls) {
        self.text("ShipDtls.LglNm", &s.lgl_nm, 3, 100);
        self.opt_text("ShipDtls.TrdNm", &s.trd_nm, 3, 100);
        self.text("ShipDtls.Addr1", &s.addr1, 1, 100);
        self.opt_text("ShipDtls.Addr2", &s.addr2, 3, 100);
        self.text("ShipDtls.Loc", &s.loc, 3, 100);
        self.pin("ShipDtls.Pin", s.pin);
        self.stcd("ShipDtls.Stcd", &s.stcd);
    }

    /// `BuyerDtls`: GSTIN (or URP for exports), names, place of supply,
    /// address and contact.
    fn check_buyer_dtls(&mut self, b: &BuyerDtls, is_export: bool) {
        self.check_buyer_gstin(b, is_export);
        self.text("BuyerDtls.LglNm", &b.lgl_nm, 3, 100);
        self.opt_text("BuyerDtls.TrdNm", &b.trd_nm, 3, 100);
        self.stcd("BuyerDtls.Pos", &b.pos);
        self.text("BuyerDtls.Addr1", &b.addr1, 1, 100);
        self.opt_text("BuyerDtls.Addr2", &b.addr2, 3, 100);
        self.text("BuyerDtls.Loc", &b.loc, 3, 100);
        if let Some(pin) = b.pin {
            self.pin("BuyerDtls.Pin", pin);
        }
        self.stcd("BuyerDtls.Stcd", &b.stcd);
        self.phone_email("BuyerDtls", &b.ph, &b.em);
    }

    /// `BuyerDtls.Gstin`: "URP" only for exports, otherwise a GSTIN whose
    /// state agrees with `BuyerDtls.Stcd`.
    fn check_buyer_gstin(&mut self, b: &BuyerDtls, is_export: bool) {
        if b.gstin == "URP" {
            if !is_export {
                self.push(
                    "BuyerDtls.Gstin",
                    "enum",
                    "\"URP\" (unregistered) is only allowed for exports",
                );
            }
            return;
        }
        self.gstin("BuyerDtls.Gstin", &b.gstin);
        if b.gstin.len() == 15 && b.gstin.get(..2) != Some(format!("{:0>2}", b.stcd).as_str()) {
            self.push(
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

    /// `BuyerDtls.Pos`: 96 (outside India) if and only if the supply is an
    /// export.
    fn check_place_of_supply(&mut self, supply: Supply) {
        if supply.is_export && supply.pos_code != Some(96) {
            self.push(
                "BuyerDtls.Pos",
                "mismatch",
                "an export's place of supply must be 96",
            );
        }
        if !supply.is_export && supply.pos_code == Some(96) {
            self.push(
                "BuyerDtls.Pos",
                "mismatch",
                "place of supply 96 (outside India) requires an export supply type",
            );
        }
    }

    /// `ItemList`: its length, then each item's fields and business rules;
    /// returns the sums `ValDtls` is checked against.
    fn check_item_list(&mut self, items: &[Item], supply: Supply) -> ItemSums {
        if items.is_empty() || items.len() > MAX_ITEMS {
            self.push(
                "ItemList",
                "length",
                format!("must have 1-{MAX_ITEMS} items, got {}", items.len()),
            );
        }
        let mut seen_sl = std::collections::HashSet::new();
        let mut sums = ItemSums::default();
        for (i, it) in items.iter().enumerate() {
            let sl_unique = seen_sl.insert(it.sl_no.as_str());
            self.check_item_codes(i, it, sl_unique);
            self.check_item_quantity(i, it);
            self.check_item_amounts(i, it);
            self.check_item_tax(i, it, supply);
            sums.add(it);
        }
        sums
    }

    /// An item's serial number (unique within the list), description,
    /// goods/services flag and HSN/SAC code.
    fn check_item_codes(&mut self, i: usize, it: &Item, sl_unique: bool) {
        let sl_ok =
            (1..=6).contains(&it.sl_no.len()) && it.sl_no.bytes().all(|b| b.is_ascii_digit());
        self.pattern(&item_path(i, "SlNo"), &it.sl_no, sl_ok, "1-6 digits");
        if !sl_unique {
            self.push(
                item_path(i, "SlNo"),
                "duplicate",
                format!("serial number {} is used twice", it.sl_no),
            );
        }
        self.opt_text(&item_path(i, "PrdDesc"), &it.prd_desc, 3, 300);
        self.one_of(&item_path(i, "IsServc"), &it.is_servc, &["Y", "N"]);
        let h = &it.hsn_cd;
        let hsn_ok = matches!(h.len(), 4 | 6 | 8)
            && h.bytes().all(|b| b.is_ascii_digit())
            && h.bytes().any(|b| b != b'0');
        self.pattern(
            &item_path(i, "HsnCd"),
            h,
            hsn_ok,
            "4, 6 or 8 digits, not all zero",
        );
        if hsn_ok && self.opts.check_hsn_master && !hsn::is_known(h) {
            self.push(
                item_path(i, "HsnCd"),
                "not_in_master",
                format!("'{h}' is not in the GST HSN/SAC master"),
            );
        }
        if hsn_ok && (it.is_servc == "Y") != h.starts_with("99") {
            self.push(
                item_path(i, "IsServc"),
                "mismatch",
                "services (IsServc = Y) use SAC codes starting with 99, goods do not",
            );
        }
    }

    /// An item's quantity and unit (required for goods).
    fn check_item_quantity(&mut self, i: usize, it: &Item) {
        if let Some(q) = it.qty {
            if q < Decimal::ZERO || q > Decimal::new(9_999_999_999_999, 3) || q.scale() > 3 {
                self.push(
                    item_path(i, "Qty"),
                    "range",
                    "must be 0-9999999999.999 with at most 3 decimals",
                );
            }
        }
        match &it.unit {
            Some(u) => {
                let ok = (3..=8).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphabetic());
                self.pattern(
                    &item_path(i, "Unit"),
                    u,
                    ok,
                    "3-8 letters (a GST UQC such as NOS)",
                );
            }
            None if it.is_servc == "N" => self.push(
                item_path(i, "Unit"),
                "required",
                "Unit is required for goods",
            ),
            None => {}
        }
    }

    /// The ranges of an item's amounts and rates, and that its GST rate is
    /// one the law allows.
    fn check_item_amounts(&mut self, i: usize, it: &Item) {
        let p = |f: &str| item_path(i, f);
        self.amount(&p("UnitPrice"), it.unit_price_paise, MAX_ITEM_PAISE);
        self.amount(&p("TotAmt"), it.tot_amt_paise, MAX_ITEM_PAISE);
        self.opt_amount(&p("Discount"), it.discount_paise, MAX_ITEM_PAISE);
        self.amount(&p("AssAmt"), it.ass_amt_paise, MAX_ITEM_PAISE);
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
            self.opt_amount(&p(name), v, MAX_ITEM_PAISE);
        }
        self.amount(&p("TotItemVal"), it.tot_item_val_paise, MAX_ITEM_PAISE);
        self.rate(&p("GstRt"), Some(it.gst_rt));
        self.rate(&p("CesRt"), it.ces_rt);
        self.rate(&p("StateCesRt"), it.state_ces_rt);
        if GstRate::new(it.gst_rt).is_err() {
            self.push(
                p("GstRt"),
                "enum",
                format!("{}% is not an allowed GST rate", it.gst_rt.normalize()),
            );
        }
    }

    /// An item's business rules: AssAmt = TotAmt - Discount, the IGST or
    /// CGST/SGST split, tax at the rates, and the item total.
    fn check_item_tax(&mut self, i: usize, it: &Item, supply: Supply) {
        self.close(
            &item_path(i, "AssAmt"),
            it.ass_amt_paise,
            it.tot_amt_paise.saturating_sub(or_zero(it.discount_paise)),
            "TotAmt - Discount",
        );
        self.check_item_split(i, it, supply.expects_igst);
        if supply.check_rates {
            self.check_item_rates(i, it, supply);
        }
        let item_sum = sum_paise(
            it.ass_amt_paise,
            &[
                it.igst_amt_paise,
                it.cgst_amt_paise,
                it.sgst_amt_paise,
                it.ces_amt_paise,
                it.ces_non_advl_amt_paise,
                it.state_ces_amt_paise,
                it.state_ces_non_advl_amt_paise,
                it.oth_chrg_paise,
            ],
        );
        self.close(
            &item_path(i, "TotItemVal"),
            it.tot_item_val_paise,
            item_sum,
            "AssAmt + taxes + cess + OthChrg",
        );
    }

    /// IGST for inter-State (and SEZ/export) supplies, CGST + SGST otherwise.
    fn check_item_split(&mut self, i: usize, it: &Item, expects_igst: bool) {
        let cgst = or_zero(it.cgst_amt_paise);
        let sgst = or_zero(it.sgst_amt_paise);
        if expects_igst && (cgst != 0 || sgst != 0) {
            self.push(
                item_path(i, "CgstAmt"),
                "tax_split",
                "this supply is inter-State (or SEZ/export): use IGST, not CGST/SGST",
            );
        }
        if !expects_igst && or_zero(it.igst_amt_paise) != 0 {
            self.push(
                item_path(i, "IgstAmt"),
                "tax_split",
                "place of supply equals the seller's state: use CGST + SGST, not IGST",
            );
        }
    }

    /// Tax and cess amounts agree with AssAmt at the item's rates; zero is
    /// also accepted under a letter of undertaking.
    fn check_item_rates(&mut self, i: usize, it: &Item, supply: Supply) {
        if supply.expects_igst {
            let igst = or_zero(it.igst_amt_paise);
            let lut_zero = supply.lut && igst == 0;
            let what = "AssAmt × GstRt / 100";
            let path = item_path(i, "IgstAmt");
            if let Some(want) = self.tax_at(&path, it.ass_amt_paise, it.gst_rt, what) {
                if !lut_zero {
                    self.close(&path, igst, want, what);
                }
            }
        } else {
            let half = "AssAmt × GstRt / 2 / 100";
            let path = item_path(i, "CgstAmt");
            let rate = it.gst_rt / Decimal::TWO;
            if let Some(want) = self.tax_at(&path, it.ass_amt_paise, rate, half) {
                self.close(&path, or_zero(it.cgst_amt_paise), want, half);
                let path = item_path(i, "SgstAmt");
                self.close(&path, or_zero(it.sgst_amt_paise), want, half);
            }
        }
        if let Some(r) = it.ces_rt {
            let ces = or_zero(it.ces_amt_paise);
            let what = "AssAmt × CesRt / 100";
            let path = item_path(i, "CesAmt");
            if let Some(want) = self.tax_at(&path, it.ass_amt_paise, r, what) {
                if !(supply.lut && ces == 0) {
                    self.close(&path, ces, want, what);
                }
            }
        }
    }

    /// The tax at `percent` on `ass_amt_paise`, or a `range` violation at
    /// `path` when it is too large to be an amount at all: a hand-edited
    /// document can carry any AssAmt and GstRt (their own range checks
    /// report them too), and that must not panic.
    fn tax_at(
        &mut self,
        path: &str,
        ass_amt_paise: i64,
        percent: Decimal,
        what: &str,
    ) -> Option<i64> {
        let tax = tax_on(ass_amt_paise, percent);
        if tax.is_none() {
            self.push(
                path,
                "range",
                format!("{what} is too large to be an amount"),
            );
        }
        tax
    }

    /// `ValDtls`: the ranges of its amounts, then its totals against the
    /// item sums.
    fn check_val_dtls(&mut self, vd: &ValDtls, sums: &ItemSums) {
        self.amount("ValDtls.AssVal", vd.ass_val_paise, MAX_TOTAL_PAISE);
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
            self.opt_amount(&format!("ValDtls.{name}"), val, MAX_TOTAL_PAISE);
        }
        self.amount("ValDtls.TotInvVal", vd.tot_inv_val_paise, MAX_TOTAL_PAISE);
        if let Some(r) = vd.rnd_off_amt_paise {
            if !(-9_999..=9_999).contains(&r) {
                self.push(
                    "ValDtls.RndOffAmt",
                    "range",
                    "must be between -99.99 and 99.99",
                );
            }
        }
        self.check_val_sums(vd, sums);
    }

    /// `ValDtls` totals equal the item sums, and `TotInvVal` adds up.
    fn check_val_sums(&mut self, vd: &ValDtls, sums: &ItemSums) {
        for (path, actual, expected, what) in [
            (
                "ValDtls.AssVal",
                vd.ass_val_paise,
                sums.ass,
                "the sum of ItemList AssAmt",
            ),
            (
                "ValDtls.CgstVal",
                or_zero(vd.cgst_val_paise),
                sums.cgst,
                "the sum of ItemList CgstAmt",
            ),
            (
                "ValDtls.SgstVal",
                or_zero(vd.sgst_val_paise),
                sums.sgst,
                "the sum of ItemList SgstAmt",
            ),
            (
                "ValDtls.IgstVal",
                or_zero(vd.igst_val_paise),
                sums.igst,
                "the sum of ItemList IgstAmt",
            ),
            (
                "ValDtls.CesVal",
                or_zero(vd.ces_val_paise),
                sums.ces,
                "the sum of ItemList cess amounts",
            ),
            (
                "ValDtls.StCesVal",
                or_zero(vd.st_ces_val_paise),
                sums.st_ces,
                "the sum of ItemList state cess amounts",
            ),
        ] {
            self.close(path, actual, expected, what);
        }
        let expected_total = sum_paise(
            vd.ass_val_paise,
            &[
                vd.cgst_val_paise,
                vd.sgst_val_paise,
                vd.igst_val_paise,
                vd.ces_val_paise,
                vd.st_ces_val_paise,
                vd.oth_chrg_paise,
                vd.rnd_off_amt_paise,
            ],
        )
        .saturating_sub(or_zero(vd.discount_paise));
        self.close(
            "ValDtls.TotInvVal",
            vd.tot_inv_val_paise,
            expected_total,
            "AssVal + taxes + cess + OthChrg - Discount + RndOffAmt",
        );
    }

    /// `RefDtls`: remarks and each preceding document's number and date.
    fn check_ref_dtls(&mut self, r: &RefDtls) {
        self.opt_text("RefDtls.InvRm", &r.inv_rm, 3, 100);
        for (i, p) in r.prec_doc_dtls.iter().enumerate() {
            let path = format!("RefDtls.PrecDocDtls[{i}]");
            // ^[1-9a-zA-Z]{1}[0-9a-zA-Z/-]{1,15}$ (at least 2 characters)
            let ok = p.inv_no.len() >= 2 && super::irn::DocNumber::parse(&p.inv_no).is_ok();
            self.pattern(
                &format!("{path}.InvNo"),
                &p.inv_no,
                ok,
                "2-16 characters, starting with a letter or 1-9",
            );
            self.date(&format!("{path}.InvDt"), &p.inv_dt);
            self.opt_text(&format!("{path}.OthRefNo"), &p.oth_ref_no, 1, 20);
        }
    }

    /// `ExpDtls`: shipping bill, port, refund claim, currency and country.
    fn check_exp_dtls(&mut self, e: &ExpDtls) {
        self.opt_text("ExpDtls.ShipBNo", &e.ship_b_no, 1, 20);
        if let Some(dt) = &e.ship_b_dt {
            self.date("ExpDtls.ShipBDt", dt);
        }
        if let Some(port) = &e.port {
            let ok =
                (2..=10).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_alphanumeric());
            self.pattern("ExpDtls.Port", port, ok, "2-10 letters or digits");
        }
        self.opt_yn("ExpDtls.RefClm", &e.ref_clm);
        if let Some(cur) = &e.for_cur {
            let ok = (3..=16).contains(&cur.len()) && cur.bytes().all(|b| b.is_ascii_alphabetic());
            self.pattern("ExpDtls.ForCur", cur, ok, "3-16 letters");
        }
        if let Some(cc) = &e.cnt_code {
            let ok = cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase());
            self.pattern("ExpDtls.CntCode", cc, ok, "2 upper-case letters");
        }
    }

    /// A credit or debit note must name the invoice it amends.
    fn check_note_reference(&mut self, ref_dtls: Option<&RefDtls>, doc_typ: &str) {
        if doc_typ != "INV" && ref_dtls.is_none_or_empty() {
            self.push(
                "RefDtls.PrecDocDtls",
                "required",
                "a credit or debit note must reference the original invoice",
            );
        }
    }
}

trait NoneOrEmpty {
    fn is_none_or_empty(&self) -> bool;
}

impl NoneOrEmpty for Option<&RefDtls> {
    fn is_none_or_empty(&self) -> bool {
        self.is_none_or(|r| r.prec_doc_dtls.is_empty())
    }
}
