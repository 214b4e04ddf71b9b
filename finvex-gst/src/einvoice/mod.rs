//! E-invoice (IRP) support: INV-01 v1.1 JSON, its validator, and the IRN.
//!
//! Flow: fill an [`Invoice`], call [`build_einvoice`] (taxes come from
//! [`crate::calculate`]), check it with [`validate`], send it, and compare the
//! IRP's `Irn` with [`Invoice::irn`].

mod build;
mod irn;
mod schema;
mod validate;

pub use build::{
    build_einvoice, ExportDetails, Invoice, InvoiceLine, Party, PrecedingDocument, EINVOICE_VERSION,
};
pub use irn::{financial_year, irn, DocNumber, DocType, FinancialYear};
pub use schema::{
    BuyerDtls, DocDtls, EInvoice, ExpDtls, Item, PrecDocDtls, RefDtls, SellerDtls, ShipDtls,
    TranDtls, ValDtls,
};
pub use validate::{validate, validate_with, ValidationOptions, Violation};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::SupplyType;
    use crate::date::Date;
    use crate::gstin::Gstin;
    use crate::rate::GstRate;
    use crate::state::State;
    use rust_decimal::Decimal;

    fn party(name: &str, state: Option<&str>) -> Party {
        Party {
            legal_name: name.into(),
            trade_name: None,
            address1: "12 MG Road".into(),
            address2: None,
            location: "Bengaluru".into(),
            pin: Some(560_001),
            state: state.map(|s| State::parse(s).unwrap()),
            phone: Some("9876543210".into()),
            email: Some("billing@example.in".into()),
        }
    }

    fn saas_line(paise: i64) -> InvoiceLine {
        InvoiceLine {
            description: Some("Payment gateway subscription".into()),
            hsn_code: "998316".into(),
            is_service: None,
            quantity: Decimal::ONE,
            unit: None,
            unit_price_paise: paise,
            discount_paise: 0,
            rate: GstRate::STANDARD,
            cess_rate: Decimal::ZERO,
            treatment: Default::default(),
        }
    }

    fn goods_line(paise: i64, qty: i64) -> InvoiceLine {
        InvoiceLine {
            description: Some("Cotton yarn, 85% cotton".into()),
            hsn_code: "5205".into(),
            is_service: None,
            quantity: Decimal::from(qty),
            unit: Some("KGS".into()),
            unit_price_paise: paise,
            discount_paise: 150,
            rate: GstRate::parse("5").unwrap(),
            cess_rate: Decimal::ZERO,
            treatment: Default::default(),
        }
    }

    fn invoice(buyer: Option<&str>, t: SupplyType) -> Invoice {
        Invoice {
            doc_type: DocType::Invoice,
            number: DocNumber::parse("FVX/2026/0001").unwrap(),
            date: Date::new(2026, 4, 3).unwrap(),
            supply_type: t,
            reverse_charge: false,
            ecommerce_gstin: None,
            seller_gstin: Gstin::parse("29AAFCC9980M1ZR").unwrap(),
            seller: party("Finvex Payments Pvt Ltd", None),
            buyer_gstin: buyer.map(|g| Gstin::parse(g).unwrap()),
            buyer: party("Acme Traders", None),
            place_of_supply: None,
            prices_include_tax: false,
            round_to_rupee: true,
            lines: vec![saas_line(100_000), goods_line(33_333, 3)],
            export: None,
            preceding_document: None,
            remarks: None,
            lut_reference: None,
            ship_to: None,
            einvoice_exempt: false,
        }
    }

    fn assert_valid(doc: &EInvoice) {
        let v = validate(doc);
        assert!(v.is_empty(), "violations: {v:#?}");
    }

    #[test]
    fn a_delivery_address_is_sent_as_ship_dtls_and_checked() {
        let mut inv = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
        inv.ship_to = Some(party("Acme Warehouse", Some("MH")));
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        let ship = doc.ship_dtls.as_ref().unwrap();
        assert_eq!(
            (ship.lgl_nm.as_str(), ship.stcd.as_str()),
            ("Acme Warehouse", "27")
        );
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["ShipDtls"]["Pin"], 560_001);
        // Without a PIN the IRP would refuse it: so does the validator.
        inv.ship_to.as_mut().unwrap().pin = None;
        let v = validate(&build_einvoice(&inv).unwrap());
        assert!(v.iter().any(|x| x.path == "ShipDtls.Pin"), "{v:#?}");
    }

    #[test]
    fn inter_state_b2b_builds_and_validates() {
        let inv = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(doc.buyer_dtls.pos, "27");
        // 1000.00 @18% = 180.00 IGST; 999.99-1.50 = 998.49 @5% = 49.92 IGST
        assert_eq!(doc.item_list[0].igst_amt_paise, Some(18_000));
        assert_eq!(doc.item_list[1].ass_amt_paise, 99_849);
        assert_eq!(doc.item_list[1].igst_amt_paise, Some(4_992));
        assert_eq!(
            doc.val_dtls.tot_inv_val_paise,
            100_000 + 18_000 + 99_849 + 4_992 - 41
        );
        assert_eq!(doc.val_dtls.rnd_off_amt_paise, Some(-41));
        let json = serde_json::to_string(&doc).unwrap();
        assert!(
            json.starts_with(
                r#"{"Version":"1.1","TranDtls":{"TaxSch":"GST","SupTyp":"B2B","RegRev":"N""#
            ),
            "{json}"
        );
        assert!(
            json.contains(r#""AssAmt":1000.00,"GstRt":18,"IgstAmt":180.00"#),
            "{json}"
        );
        assert!(json.contains(r#""DocDtls":{"Typ":"INV","No":"FVX/2026/0001","Dt":"03/04/2026"}"#));
        let back: EInvoice = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn intra_state_b2b_uses_cgst_sgst() {
        let inv = invoice(Some("29AAFCC9980M1ZR"), SupplyType::B2b);
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(doc.item_list[0].cgst_amt_paise, Some(9_000));
        assert_eq!(doc.item_list[0].sgst_amt_paise, Some(9_000));
        assert_eq!(doc.item_list[0].igst_amt_paise, Some(0));
        assert_eq!(doc.tran_dtls.igst_on_intra.as_deref(), Some("N"));
    }

    #[test]
    fn sez_and_exports_validate() {
        let mut inv = invoice(Some("29AAFCC9980M1ZR"), SupplyType::SezWithPayment);
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(doc.tran_dtls.sup_typ, "SEZWP");
        assert_eq!(doc.tran_dtls.igst_on_intra.as_deref(), Some("Y"));
        inv.supply_type = SupplyType::SezWithoutPayment;
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(doc.val_dtls.igst_val_paise, Some(0));

        let mut inv = invoice(None, SupplyType::ExportWithoutPayment);
        inv.buyer.pin = None;
        inv.export = Some(ExportDetails {
            shipping_bill_no: None,
            shipping_bill_date: None,
            port_code: None,
            country_code: Some("US".into()),
            currency: Some("USD".into()),
            refund_claim: false,
        });
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(
            (doc.buyer_dtls.gstin.as_str(), doc.buyer_dtls.pos.as_str()),
            ("URP", "96")
        );
        assert_eq!(doc.buyer_dtls.pin, Some(999_999));
        assert_eq!(doc.val_dtls.tot_inv_val_paise, 100_000 + 99_849 - 49);
        inv.supply_type = SupplyType::ExportWithPayment;
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(doc.val_dtls.igst_val_paise, Some(18_000 + 4_992));
    }

    #[test]
    fn credit_note_and_inclusive_pricing_validate() {
        let mut inv = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
        inv.doc_type = DocType::CreditNote;
        inv.number = DocNumber::parse("CN/2026/7").unwrap();
        assert_eq!(
            build_einvoice(&inv).unwrap_err().field(),
            Some("preceding_document")
        );
        inv.preceding_document = Some(PrecedingDocument {
            number: DocNumber::parse("FVX/2026/0001").unwrap(),
            date: Date::new(2026, 4, 3).unwrap(),
        });
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(doc.doc_dtls.typ, "CRN");

        let mut inv = invoice(Some("29AAFCC9980M1ZR"), SupplyType::B2b);
        inv.prices_include_tax = true;
        inv.lines = vec![saas_line(99_900)];
        let doc = build_einvoice(&inv).unwrap();
        assert_valid(&doc);
        assert_eq!(doc.item_list[0].ass_amt_paise, 84_661);
        assert_eq!(doc.val_dtls.rnd_off_amt_paise, Some(1));
        assert_eq!(doc.val_dtls.tot_inv_val_paise, 99_900);
    }

    #[test]
    fn b2c_is_not_an_einvoice() {
        let inv = invoice(None, SupplyType::B2c);
        assert_eq!(
            build_einvoice(&inv).unwrap_err().field(),
            Some("supply_type")
        );
    }

    #[test]
    fn validator_reports_every_violation_with_paths() {
        let inv = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
        let mut doc = build_einvoice(&inv).unwrap();
        doc.version = "1.0".into();
        doc.tran_dtls.sup_typ = "B2C".into();
        doc.doc_dtls.no = "0123".into();
        doc.doc_dtls.dt = "31/09/2026".into();
        doc.seller_dtls.gstin = "29ABCDE1234F1Z5".into();
        doc.seller_dtls.lgl_nm = "A\"B".into();
        doc.seller_dtls.pin = 12;
        doc.buyer_dtls.stcd = "29".into();
        doc.item_list[0].hsn_cd = "99831".into();
        doc.item_list[1].hsn_cd = "12345678".into();
        doc.item_list[1].unit = None;
        doc.item_list[1].sl_no = "1".into();
        doc.item_list[0].cgst_amt_paise = Some(9_000);
        doc.item_list[0].gst_rt = Decimal::new(17, 0);
        doc.val_dtls.ass_val_paise += 500;
        doc.val_dtls.rnd_off_amt_paise = Some(10_000);
        let v = validate(&doc);
        let has = |path: &str, code: &str| v.iter().any(|x| x.path == path && x.code == code);
        for (path, code) in [
            ("Version", "enum"),
            ("TranDtls.SupTyp", "enum"),
            ("DocDtls.No", "pattern"),
            ("DocDtls.Dt", "date"),
            ("SellerDtls.Gstin", "gstin"),
            ("SellerDtls.LglNm", "pattern"),
            ("SellerDtls.Pin", "range"),
            ("BuyerDtls.Stcd", "mismatch"),
            ("ItemList[0].HsnCd", "pattern"),
            ("ItemList[1].HsnCd", "not_in_master"),
            ("ItemList[1].Unit", "required"),
            ("ItemList[1].SlNo", "duplicate"),
            ("ItemList[0].CgstAmt", "tax_split"),
            ("ItemList[0].GstRt", "enum"),
            ("ValDtls.AssVal", "mismatch"),
            ("ValDtls.RndOffAmt", "range"),
            ("ValDtls.TotInvVal", "mismatch"),
        ] {
            assert!(has(path, code), "missing {path}/{code} in {v:#?}");
        }
        // A sandbox-style option set silences only the checksum rule.
        let opts = ValidationOptions {
            check_gstin_checksum: false,
            ..ValidationOptions::default()
        };
        assert!(!validate_with(&doc, &opts).iter().any(|x| x.code == "gstin"));
    }

    #[test]
    fn validator_checks_tax_amounts_against_rate() {
        let inv = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
        let mut doc = build_einvoice(&inv).unwrap();
        doc.item_list[0].igst_amt_paise = Some(18_000 + 101);
        let v = validate(&doc);
        assert!(
            v.iter()
                .any(|x| x.path == "ItemList[0].IgstAmt" && x.code == "mismatch"),
            "{v:#?}"
        );
        assert!(
            v.iter().any(|x| x.path == "ItemList[0].TotItemVal"),
            "{v:#?}"
        );
        // Within the Rs 1 tolerance is accepted.
        let mut doc = build_einvoice(&inv).unwrap();
        doc.item_list[0].igst_amt_paise = Some(18_000 + 100);
        doc.item_list[0].tot_item_val_paise += 100;
        doc.val_dtls.igst_val_paise = doc.val_dtls.igst_val_paise.map(|x| x + 100);
        doc.val_dtls.tot_inv_val_paise += 100;
        assert_valid(&doc);
    }

    /// A hand-edited document with amounts and rates at the limits of
    /// their types is a list of violations, not a panic (AssAmt × GstRt
    /// used to overflow in `tax_on`, and the sums in the checks).
    #[test]
    fn validator_reports_extreme_amounts_and_rates_without_panicking() {
        for buyer in ["27AAPFU0939F1ZV", "29AAFCC9980M1ZR"] {
            let inv = invoice(Some(buyer), SupplyType::B2b);
            let base = build_einvoice(&inv).unwrap();
            for (amount, rate) in [
                (i64::MAX, Decimal::new(999_999, 3)),
                (i64::MAX, Decimal::MAX),
                (i64::MIN, Decimal::MAX),
                (i64::MIN, Decimal::MIN),
            ] {
                let mut doc = base.clone();
                let it = &mut doc.item_list[0];
                it.ass_amt_paise = amount;
                it.tot_amt_paise = -amount.saturating_add(1);
                it.gst_rt = rate;
                it.ces_rt = Some(rate);
                it.igst_amt_paise = Some(amount);
                it.cgst_amt_paise = Some(amount);
                it.sgst_amt_paise = Some(amount);
                it.ces_amt_paise = Some(amount);
                it.tot_item_val_paise = -amount.saturating_add(1);
                doc.val_dtls.ass_val_paise = amount;
                doc.val_dtls.discount_paise = Some(-amount.saturating_add(1));
                let v = validate(&doc);
                let tax_path = if buyer.starts_with("27") {
                    "ItemList[0].IgstAmt"
                } else {
                    "ItemList[0].CgstAmt"
                };
                for path in [tax_path, "ItemList[0].CesAmt"] {
                    assert!(
                        v.iter().any(|x| x.path == path && x.code == "range"),
                        "{path}: {v:#?}"
                    );
                }
                assert!(v.iter().any(|x| x.path == "ItemList[0].GstRt"), "{v:#?}");
            }
        }
    }

    #[test]
    fn invoice_irn_uses_financial_year_of_date() {
        let inv = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
        let fy = financial_year(inv.date);
        assert_eq!(fy.to_string(), "2026-27");
        assert_eq!(
            inv.irn(),
            irn(&inv.seller_gstin, &fy, DocType::Invoice, &inv.number)
        );
        assert_eq!(inv.irn().len(), 64);
    }
}
