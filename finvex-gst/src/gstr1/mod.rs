//! GSTR-1 (outward supplies return) JSON and CSV.
//!
//! Input is the month's issued documents as plain [`InvoiceRecord`]s (usually
//! made with [`InvoiceRecord::from_breakup`]); output is the portal JSON
//! [`Gstr1`] with b2b, b2cl, b2cs, cdnr, cdnur, exp, nil, supeco, hsn and
//! doc_issue; with [`Gstr1Input`]'s amendments, also b2ba, b2cla, b2csa,
//! cdnra, cdnura, expa and supecoa.

mod amend;
mod build;
mod csv;
mod model;

pub use amend::{check_correction, AmendedMonth, Amendment, Gstr1Input, MAX_AMENDED_MONTHS};
pub use build::{
    b2cl_threshold_paise, build_gstr1, build_gstr1_with, InvoiceRecord, OriginalInvoice,
    RecordLine, ReturnPeriod, Section, ShippingBill, MAX_RECORDS,
};
pub use csv::{to_csv, CsvSection};
pub use model::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::{calculate, LineItem, Supply, SupplyType};
    use crate::date::Date;
    use crate::einvoice::{DocNumber, DocType};
    use crate::gstin::Gstin;
    use crate::rate::GstRate;
    use crate::state::State;
    use rust_decimal::Decimal;

    const SELLER: &str = "29AAFCC9980M1ZR";

    fn saas(paise: i64) -> LineItem {
        LineItem {
            hsn_code: Some("998316".into()),
            ..LineItem::new(paise)
        }
    }

    fn record(doc_type: DocType, number: &str, day: u8, supply: Supply) -> InvoiceRecord {
        let tax = calculate(&supply).unwrap();
        InvoiceRecord::from_breakup(
            doc_type,
            DocNumber::parse(number).unwrap(),
            Date::new(2026, 4, day).unwrap(),
            supply.buyer_gstin.clone(),
            &tax,
        )
        .unwrap()
    }

    fn b2b(buyer: &str, lines: Vec<LineItem>) -> Supply {
        Supply {
            seller_gstin: Some(Gstin::parse(SELLER).unwrap()),
            seller_state: None,
            buyer_gstin: Some(Gstin::parse(buyer).unwrap()),
            buyer_state: None,
            ..Supply::between(
                State::parse("KA").unwrap(),
                State::parse("KA").unwrap(),
                lines,
            )
        }
    }

    fn b2c(buyer_state: &str, lines: Vec<LineItem>, inclusive: bool) -> Supply {
        Supply {
            prices_include_tax: inclusive,
            round_to_rupee: false,
            ..Supply::between(
                State::parse("KA").unwrap(),
                State::parse(buyer_state).unwrap(),
                lines,
            )
        }
    }

    fn month() -> Vec<InvoiceRecord> {
        let yarn = LineItem {
            hsn_code: Some("5205".into()),
            quantity: Decimal::TWO,
            rate: GstRate::parse("5").unwrap(),
            ..LineItem::new(20_000)
        };
        let mut with_kgs = record(
            DocType::Invoice,
            "FVX/0001",
            1,
            b2b("27AAPFU0939F1ZV", vec![saas(100_000), yarn]),
        );
        with_kgs.lines[1].uqc = Some("KGS".into());
        let mut export = b2c("KA", vec![saas(500_000)], false);
        export.buyer_state = None;
        export.supply_type = Some(SupplyType::ExportWithoutPayment);
        let mut cancelled = record(
            DocType::Invoice,
            "FVX/0007",
            9,
            b2b("27AAPFU0939F1ZV", vec![saas(70_000_000)]),
        );
        cancelled.cancelled = true;
        vec![
            with_kgs,
            record(
                DocType::Invoice,
                "FVX/0002",
                2,
                b2b("24AANFA2641L1ZF", vec![saas(50_000)]),
            ),
            record(
                DocType::Invoice,
                "FVX/0003",
                3,
                b2c("KA", vec![saas(100_000)], false),
            ),
            // Exactly Rs 1,00,000.00 inter-State: stays in b2cs.
            record(
                DocType::Invoice,
                "FVX/0004",
                4,
                b2c("MH", vec![saas(10_000_000)], true),
            ),
            // One paisa more: b2cl.
            record(
                DocType::Invoice,
                "FVX/0005",
                5,
                b2c("MH", vec![saas(10_000_001)], true),
            ),
            record(
                DocType::CreditNote,
                "CN/0001",
                6,
                b2b("27AAPFU0939F1ZV", vec![saas(10_000)]),
            ),
            record(
                DocType::CreditNote,
                "CN/0002",
                7,
                b2c("KA", vec![saas(20_000)], false),
            ),
            record(DocType::Invoice, "FVX/0006", 8, export),
            cancelled,
        ]
    }

    fn build() -> Gstr1 {
        build_gstr1(
            &Gstin::parse(SELLER).unwrap(),
            ReturnPeriod::parse("042026").unwrap(),
            &month(),
        )
        .unwrap()
    }

    #[test]
    fn b2b_groups_by_buyer_and_rate() {
        let g = build();
        assert_eq!((g.gstin.as_str(), g.fp.as_str()), (SELLER, "042026"));
        let ctins: Vec<&str> = g.b2b.iter().map(|e| e.ctin.as_str()).collect();
        assert_eq!(ctins, ["24AANFA2641L1ZF", "27AAPFU0939F1ZV"]);
        let inv = &g.b2b[1].inv[0];
        assert_eq!(
            (inv.inum.as_str(), inv.idt.as_str(), inv.pos.as_str()),
            ("FVX/0001", "01-04-2026", "27")
        );
        assert_eq!(
            (inv.val_paise, inv.rchrg.as_str(), inv.inv_typ.as_str()),
            (160_000, "N", "R")
        );
        let items: Vec<(u32, i64, i64)> = inv
            .itms
            .iter()
            .map(|i| (i.num, i.itm_det.txval_paise, i.itm_det.iamt_paise))
            .collect();
        assert_eq!(items, [(501, 40_000, 2_000), (1801, 100_000, 18_000)]);
        // The cancelled invoice is not reported.
        assert_eq!(g.b2b[1].inv.len(), 1);
    }

    #[test]
    fn b2cl_threshold_is_strictly_greater_than_one_lakh() {
        let g = build();
        assert_eq!(g.b2cl.len(), 1);
        assert_eq!(g.b2cl[0].pos, "27");
        let inv = &g.b2cl[0].inv[0];
        assert_eq!((inv.inum.as_str(), inv.val_paise), ("FVX/0005", 10_000_001));
        assert_eq!(inv.itms[0].itm_det.camt_paise, None);
        assert!(g
            .b2cs
            .iter()
            .any(|r| r.pos == "27" && r.txval_paise == 8_474_576));
        assert_eq!(
            b2cl_threshold_paise(Date::new(2024, 7, 31).unwrap()),
            25_000_000
        );
        assert_eq!(
            b2cl_threshold_paise(Date::new(2024, 8, 1).unwrap()),
            10_000_000
        );
    }

    /// A note to an unregistered buyer is reported by the larger of itself
    /// and its original invoice, against the threshold of the invoice's date.
    #[test]
    fn an_unregistered_note_is_placed_by_its_original_invoice() {
        let gstin = Gstin::parse(SELLER).unwrap();
        let note = |original: Option<OriginalInvoice>| {
            let mut r = record(
                DocType::CreditNote,
                "CN2627-000001",
                20,
                b2c("MH", vec![saas(5_000_000)], false),
            );
            r.original = original;
            let g = build_gstr1(&gstin, ReturnPeriod::parse("042026").unwrap(), &[r]).unwrap();
            (g.cdnur.len(), g.b2cs.len())
        };
        let on = |value_paise, y, m| {
            Some(OriginalInvoice {
                value_paise,
                date: Date::new(y, m, 10).unwrap(),
            })
        };
        // Rs 59,000 on its own is below every threshold: b2cs.
        assert_eq!(note(None), (0, 1));
        // Against an invoice of Rs 1,50,000 dated after 01-08-2024 (limit Rs 1,00,000): cdnur.
        assert_eq!(note(on(15_000_000, 2026, 4)), (1, 0));
        // The same invoice dated July 2024 was under that date's Rs 2,50,000: b2cs.
        assert_eq!(note(on(15_000_000, 2024, 7)), (0, 1));
    }

    #[test]
    fn b2cs_nets_credit_notes_and_splits_intra_inter() {
        let g = build();
        let rows: Vec<(&str, &str, i64, i64, i64, i64)> = g
            .b2cs
            .iter()
            .map(|r| {
                (
                    r.sply_ty.as_str(),
                    r.pos.as_str(),
                    r.txval_paise,
                    r.iamt_paise,
                    r.camt_paise,
                    r.samt_paise,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "INTRA",
                    "29",
                    100_000 - 20_000,
                    0,
                    9_000 - 1_800,
                    9_000 - 1_800
                ),
                ("INTER", "27", 8_474_576, 1_525_424, 0, 0),
            ]
        );
    }

    #[test]
    fn credit_notes_exports_hsn_and_doc_issue() {
        let g = build();
        assert_eq!(g.cdnr.len(), 1);
        let n = &g.cdnr[0].nt[0];
        assert_eq!(
            (n.ntty.as_str(), n.nt_num.as_str(), n.val_paise),
            ("C", "CN/0001", 11_800)
        );
        assert!(g.cdnur.is_empty());
        assert_eq!(g.exp.len(), 1);
        assert_eq!(g.exp[0].exp_typ, "WOPAY");
        assert_eq!(
            (
                g.exp[0].inv[0].val_paise,
                g.exp[0].inv[0].itms[0].iamt_paise
            ),
            (500_000, 0)
        );

        assert!(g.hsn.data.is_none());
        let b2b = g.hsn.hsn_b2b.as_ref().unwrap();
        let rows: Vec<(&str, &str, i64, i64)> = b2b
            .iter()
            .map(|h| {
                (
                    h.hsn_sc.as_str(),
                    h.uqc.as_str(),
                    h.txval_paise,
                    h.iamt_paise,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("5205", "KGS", 40_000, 2_000),
                (
                    "998316",
                    "NA",
                    100_000 + 50_000 - 10_000,
                    18_000 + 9_000 - 1_800
                )
            ]
        );
        assert_eq!(b2b[0].qty, Decimal::TWO);
        assert_eq!(b2b[1].qty, Decimal::ZERO);
        assert_eq!(b2b[0].desc.chars().count(), 30);
        let b2c = g.hsn.hsn_b2c.as_ref().unwrap();
        assert_eq!(b2c.len(), 1);
        assert_eq!(
            b2c[0].txval_paise,
            100_000 - 20_000 + 8_474_576 + 8_474_577 + 500_000
        );
        assert_eq!(
            (b2c[0].iamt_paise, b2c[0].camt_paise),
            (2 * 1_525_424, 7_200)
        );

        let det: Vec<(u8, &str, &str, u32, u32, u32)> = g
            .doc_issue
            .doc_det
            .iter()
            .flat_map(|d| {
                d.docs.iter().map(move |r| {
                    (
                        d.doc_num,
                        r.from.as_str(),
                        r.to.as_str(),
                        r.totnum,
                        r.cancel,
                        r.net_issue,
                    )
                })
            })
            .collect();
        assert_eq!(
            det,
            [
                (1, "FVX/0001", "FVX/0007", 7, 1, 6),
                (5, "CN/0001", "CN/0002", 2, 0, 2)
            ]
        );
    }

    #[test]
    fn json_uses_portal_names_and_two_decimal_numbers() {
        let json = serde_json::to_string(&build()).unwrap();
        assert!(json.starts_with(r#"{"gstin":"29AAFCC9980M1ZR","fp":"042026","b2b":[{"ctin":"24AANFA2641L1ZF","inv":[{"inum":"FVX/0002","idt":"02-04-2026","val":590.00,"pos":"24","rchrg":"N","inv_typ":"R","itms":[{"num":1801,"itm_det":{"txval":500.00,"rt":18,"iamt":90.00,"camt":0.00,"samt":0.00,"csamt":0.00}}]}]}"#), "{json}");
        assert!(json.contains(r#"{"sply_ty":"INTRA","pos":"29","typ":"OE","rt":18,"txval":800.00,"iamt":0.00,"camt":72.00,"samt":72.00,"csamt":0.00}"#), "{json}");
        let back: Gstr1 = serde_json::from_str(&json).unwrap();
        assert_eq!(back, build());
    }

    #[test]
    fn csv_has_one_file_per_non_empty_table() {
        let files = to_csv(&build());
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["b2b", "b2cl", "b2cs", "cdnr", "exp", "hsn", "doc_issue"]
        );
        let b2b = &files[0].content;
        assert!(b2b
            .starts_with("ctin,inum,idt,val,pos,rchrg,inv_typ,rt,txval,iamt,camt,samt,csamt\r\n"));
        assert!(b2b.contains("27AAPFU0939F1ZV,FVX/0001,01-04-2026,1600.00,27,N,R,5,400.00,20.00,0.00,0.00,0.00\r\n"), "{b2b}");
        assert!(
            files[5]
                .content
                .contains("b2b,1,5205,COTTON YARN (OTHER THAN SEWING,KGS,2,5,400.00"),
            "{}",
            files[5].content
        );
    }

    #[test]
    fn rejects_records_outside_the_period_and_inconsistent_ones() {
        let gstin = Gstin::parse(SELLER).unwrap();
        let mut recs = month();
        recs[3].date = Date::new(2026, 5, 1).unwrap();
        let e = build_gstr1(&gstin, ReturnPeriod::parse("042026").unwrap(), &recs).unwrap_err();
        assert_eq!(e.field(), Some("records[3].date"));
        let mut recs = month();
        recs[0].buyer_gstin = None;
        let e = build_gstr1(&gstin, ReturnPeriod::parse("042026").unwrap(), &recs).unwrap_err();
        assert_eq!(e.field(), Some("records[0].buyer_gstin"));
        assert!(ReturnPeriod::parse("132026").is_err());
        assert!(ReturnPeriod::parse("4-2026").is_err());
    }

    #[test]
    fn before_may_2025_hsn_is_a_single_list() {
        let gstin = Gstin::parse(SELLER).unwrap();
        let mut recs = month();
        for r in &mut recs {
            r.date = Date::new(2025, 4, r.date.day()).unwrap();
        }
        let g = build_gstr1(&gstin, ReturnPeriod::parse("042025").unwrap(), &recs).unwrap();
        let data = g.hsn.data.unwrap();
        assert!(g.hsn.hsn_b2b.is_none());
        let saas = data.iter().find(|h| h.hsn_sc == "998316").unwrap();
        assert_eq!(
            saas.txval_paise,
            140_000 + 100_000 - 20_000 + 8_474_576 + 8_474_577 + 500_000
        );
    }
}
