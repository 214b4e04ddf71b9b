//! Golden files: a scripted May 2026 that fills every GSTR-1 table, new and
//! amended, compared byte for byte with the JSON and CSV kept in
//! `tests/golden/`. After a deliberate format change, regenerate them with
//! `FINVEX_BLESS=1 cargo test -p finvex-gst --test gstr1_golden` and review
//! the diff against the GSTN offline tool's shapes before committing.

use std::path::PathBuf;

use finvex_gst::einvoice::{DocNumber, DocType};
use finvex_gst::gstr1::{
    build_gstr1_with, to_csv, AmendedMonth, Amendment, Gstr1, Gstr1Input, InvoiceRecord,
    OriginalInvoice, ReturnPeriod, ShippingBill,
};
use finvex_gst::{
    calculate, gstin_check_char, Date, GstRate, Gstin, LineItem, State, Supply, SupplyType,
    Treatment,
};

const SELLER: &str = "29AAFCC9980M1ZR";
const MH_BUYER: &str = "27AAPFU0939F1ZV";
const GJ_BUYER: &str = "24AANFA2641L1ZF";

/// A TCS-registered operator: 14th character `C`, valid check character.
fn operator() -> Gstin {
    let first14 = "29AAACF1234K1C";
    let gstin = format!("{first14}{}", gstin_check_char(first14).unwrap());
    Gstin::parse(&gstin).unwrap()
}

fn line(hsn: &str, paise: i64, rate: &str) -> LineItem {
    LineItem {
        hsn_code: Some(hsn.into()),
        rate: GstRate::parse(rate).unwrap(),
        ..LineItem::new(paise)
    }
}

fn supply(buyer: Buyer, lines: Vec<LineItem>) -> Supply {
    let ka = State::parse("KA").unwrap();
    let mut s = Supply::between(ka, ka, lines);
    s.seller_gstin = Some(Gstin::parse(SELLER).unwrap());
    s.seller_state = None;
    s.round_to_rupee = false;
    match buyer {
        Buyer::Registered(g) => {
            s.buyer_state = None;
            s.buyer_gstin = Some(Gstin::parse(g).unwrap());
        }
        Buyer::Consumer(state) => s.buyer_state = Some(State::parse(state).unwrap()),
        Buyer::Abroad(t) => {
            s.buyer_state = None;
            s.supply_type = Some(t);
        }
        Buyer::Sez(g, t) => {
            s.buyer_state = None;
            s.buyer_gstin = Some(Gstin::parse(g).unwrap());
            s.supply_type = Some(t);
        }
    }
    s
}

enum Buyer {
    Registered(&'static str),
    Consumer(&'static str),
    Abroad(SupplyType),
    Sez(&'static str, SupplyType),
}

fn doc(kind: DocType, number: &str, date: Date, s: Supply) -> InvoiceRecord {
    let tax = calculate(&s).unwrap();
    InvoiceRecord::from_breakup(
        kind,
        DocNumber::parse(number).unwrap(),
        date,
        s.buyer_gstin.clone(),
        &tax,
    )
    .unwrap()
}

fn may(day: u8) -> Date {
    Date::new(2026, 5, day).unwrap()
}

fn april(day: u8) -> Date {
    Date::new(2026, 4, day).unwrap()
}

/// A note against `invoice`, sized and dated by it.
fn against(mut note: InvoiceRecord, invoice: &InvoiceRecord) -> InvoiceRecord {
    note.original = Some(OriginalInvoice {
        value_paise: invoice.value_paise,
        date: invoice.date,
    });
    note
}

fn exempt(mut r: InvoiceRecord, treatments: &[Treatment]) -> InvoiceRecord {
    for (l, t) in r.lines.iter_mut().zip(treatments) {
        l.treatment = *t;
    }
    r
}

/// May's own documents: every new table.
fn may_records() -> Vec<InvoiceRecord> {
    use DocType::{CreditNote, Invoice};
    let large = doc(
        Invoice,
        "FX2627-000105",
        may(5),
        supply(
            Buyer::Consumer("MH"),
            vec![line("998316", 15_000_000, "18")],
        ),
    );
    let mut through_operator = doc(
        Invoice,
        "FX2627-000107",
        may(7),
        supply(Buyer::Consumer("KA"), vec![line("998316", 200_000, "18")]),
    );
    through_operator.ecommerce_gstin = Some(operator());
    let mut operator_pays = doc(
        Invoice,
        "FX2627-000108",
        may(8),
        supply(Buyer::Consumer("KA"), vec![line("996331", 50_000, "5")]),
    );
    operator_pays.reverse_charge = true;
    operator_pays.ecommerce_gstin = Some(operator());
    let mut goods_export = doc(
        Invoice,
        "FX2627-000110",
        may(10),
        supply(
            Buyer::Abroad(SupplyType::ExportWithoutPayment),
            vec![line("5205", 900_000, "5")],
        ),
    );
    goods_export.shipping_bill = Some(ShippingBill {
        port_code: Some("INBLR4".into()),
        number: "1234567".into(),
        date: may(12),
    });
    let mut cancelled = doc(
        Invoice,
        "FX2627-000113",
        may(13),
        supply(
            Buyer::Registered(MH_BUYER),
            vec![line("998316", 10_000, "18")],
        ),
    );
    cancelled.cancelled = true;
    vec![
        // Missed in April, reported in May with its own date.
        doc(
            Invoice,
            "FX2627-000099",
            april(30),
            supply(
                Buyer::Registered(GJ_BUYER),
                vec![line("998316", 40_000, "18")],
            ),
        ),
        doc(
            Invoice,
            "FX2627-000101",
            may(1),
            supply(
                Buyer::Registered(MH_BUYER),
                vec![line("998316", 100_000, "18"), line("5205", 40_000, "5")],
            ),
        ),
        doc(
            Invoice,
            "FX2627-000102",
            may(2),
            supply(
                Buyer::Sez(GJ_BUYER, SupplyType::SezWithoutPayment),
                vec![line("998316", 300_000, "18")],
            ),
        ),
        doc(
            Invoice,
            "FX2627-000103",
            may(3),
            supply(Buyer::Consumer("KA"), vec![line("998316", 30_000, "18")]),
        ),
        doc(
            Invoice,
            "FX2627-000104",
            may(4),
            supply(Buyer::Consumer("TN"), vec![line("998316", 60_000, "12")]),
        ),
        large.clone(),
        // A mixed invoice: one taxable line, one exempt, one nil-rated.
        exempt(
            doc(
                Invoice,
                "FX2627-000106",
                may(6),
                supply(
                    Buyer::Consumer("KA"),
                    vec![
                        line("998316", 20_000, "18"),
                        line("999293", 70_000, "0"),
                        line("0713", 5_000, "0"),
                    ],
                ),
            ),
            &[Treatment::Taxable, Treatment::Exempt, Treatment::NilRated],
        ),
        through_operator,
        operator_pays,
        // Wholly non-GST, to a registered buyer in another State: Table 8 only.
        exempt(
            doc(
                Invoice,
                "FX2627-000109",
                may(9),
                supply(Buyer::Registered(MH_BUYER), vec![line("2710", 80_000, "0")]),
            ),
            &[Treatment::NonGst],
        ),
        goods_export,
        doc(
            Invoice,
            "FX2627-000111",
            may(11),
            supply(
                Buyer::Abroad(SupplyType::ExportWithPayment),
                vec![line("998314", 250_000, "18")],
            ),
        ),
        cancelled,
        doc(
            CreditNote,
            "CN2627-000021",
            may(14),
            supply(
                Buyer::Registered(MH_BUYER),
                vec![line("998316", 10_000, "18")],
            ),
        ),
        against(
            doc(
                CreditNote,
                "CN2627-000022",
                may(15),
                supply(Buyer::Consumer("MH"), vec![line("998316", 1_000_000, "18")]),
            ),
            &large,
        ),
        doc(
            CreditNote,
            "CN2627-000023",
            may(16),
            supply(Buyer::Consumer("KA"), vec![line("998316", 5_000, "18")]),
        ),
    ]
}

/// April (filed) as first reported, and each document corrected in May.
fn april_and_corrections() -> (Vec<InvoiceRecord>, Vec<(usize, InvoiceRecord)>) {
    use DocType::{CreditNote, Invoice};
    let large = doc(
        Invoice,
        "FX2627-000002",
        april(2),
        supply(
            Buyer::Consumer("MH"),
            vec![line("998316", 12_000_000, "18")],
        ),
    );
    let mut through_operator = doc(
        Invoice,
        "FX2627-000007",
        april(7),
        supply(Buyer::Consumer("KA"), vec![line("998316", 90_000, "18")]),
    );
    through_operator.ecommerce_gstin = Some(operator());
    let filed = vec![
        doc(
            Invoice,
            "FX2627-000001",
            april(1),
            supply(
                Buyer::Registered(MH_BUYER),
                vec![line("998316", 100_000, "18")],
            ),
        ),
        large.clone(),
        doc(
            Invoice,
            "FX2627-000003",
            april(3),
            supply(Buyer::Consumer("KA"), vec![line("998316", 50_000, "18")]),
        ),
        doc(
            Invoice,
            "FX2627-000004",
            april(4),
            supply(Buyer::Consumer("KA"), vec![line("998316", 20_000, "5")]),
        ),
        doc(
            Invoice,
            "FX2627-000005",
            april(5),
            supply(
                Buyer::Abroad(SupplyType::ExportWithoutPayment),
                vec![line("998314", 400_000, "18")],
            ),
        ),
        doc(
            CreditNote,
            "CN2627-000001",
            april(6),
            supply(
                Buyer::Registered(MH_BUYER),
                vec![line("998316", 20_000, "18")],
            ),
        ),
        through_operator,
        against(
            doc(
                CreditNote,
                "CN2627-000002",
                april(8),
                supply(Buyer::Consumer("MH"), vec![line("998316", 500_000, "18")]),
            ),
            &large,
        ),
    ];
    let revise = |i: usize, lines: Vec<LineItem>, buyer: Buyer, day: u8| {
        let o: &InvoiceRecord = &filed[i];
        let mut r = doc(
            o.doc_type,
            o.number.as_str(),
            april(day),
            supply(buyer, lines),
        );
        r.ecommerce_gstin = o.ecommerce_gstin.clone();
        r.original = o.original;
        (i, r)
    };
    let corrections = vec![
        // Wrong buyer GSTIN and value.
        revise(
            0,
            vec![line("998316", 110_000, "18")],
            Buyer::Registered(GJ_BUYER),
            1,
        ),
        revise(
            1,
            vec![line("998316", 12_500_000, "18")],
            Buyer::Consumer("MH"),
            2,
        ),
        // Wrong rate on a small B2C invoice: the KA block is restated.
        revise(
            3,
            vec![line("998316", 20_000, "18")],
            Buyer::Consumer("KA"),
            4,
        ),
        revise(
            4,
            vec![line("998314", 450_000, "18")],
            Buyer::Abroad(SupplyType::ExportWithoutPayment),
            5,
        ),
        revise(
            5,
            vec![line("998316", 25_000, "18")],
            Buyer::Registered(MH_BUYER),
            6,
        ),
        revise(
            6,
            vec![line("998316", 95_000, "18")],
            Buyer::Consumer("KA"),
            7,
        ),
        revise(
            7,
            vec![line("998316", 400_000, "18")],
            Buyer::Consumer("MH"),
            9,
        ),
    ];
    (filed, corrections)
}

fn may_return() -> Gstr1 {
    let (april, corrections) = april_and_corrections();
    let amendments: Vec<Amendment> = corrections
        .iter()
        .map(|(i, revised)| Amendment {
            original_period: ReturnPeriod::parse("042026").unwrap(),
            original: april[*i].clone(),
            previous: april[*i].clone(),
            revised: revised.clone(),
        })
        .collect();
    let mut april_now = april.clone();
    for (i, revised) in corrections {
        april_now[i] = revised;
    }
    let records = may_records();
    build_gstr1_with(
        &Gstin::parse(SELLER).unwrap(),
        ReturnPeriod::parse("052026").unwrap(),
        &Gstr1Input {
            records: &records,
            amendments: &amendments,
            amended_months: &[AmendedMonth {
                period: ReturnPeriod::parse("042026").unwrap(),
                records: april_now,
            }],
        },
    )
    .unwrap()
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn compare(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("FINVEX_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (FINVEX_BLESS=1 writes it)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn a_month_with_every_table_matches_its_golden_json_and_csv() {
    let g = may_return();
    let json = serde_json::to_string_pretty(&g).unwrap() + "\n";
    for table in [
        "\"b2b\"",
        "\"b2cl\"",
        "\"b2cs\"",
        "\"cdnr\"",
        "\"cdnur\"",
        "\"exp\"",
        "\"nil\"",
        "\"supeco\"",
        "\"b2ba\"",
        "\"b2cla\"",
        "\"b2csa\"",
        "\"cdnra\"",
        "\"cdnura\"",
        "\"expa\"",
        "\"supecoa\"",
        "\"hsn_b2b\"",
        "\"hsn_b2c\"",
        "\"doc_issue\"",
    ] {
        assert!(json.contains(table), "the scripted month fills {table}");
    }
    compare("gstr1-052026.json", &json);
    let csv: String = to_csv(&g)
        .into_iter()
        .map(|s| format!("# {}\r\n{}", s.name, s.content))
        .collect();
    compare("gstr1-052026.csv", &csv);
    // The JSON reads back into the same return (a filed month is kept so).
    let back: Gstr1 = serde_json::from_str(&json).unwrap();
    assert_eq!(back, g);
}

#[test]
fn table_8_splits_by_registration_and_state_and_nets_nothing_taxable() {
    let g = may_return();
    let nil = g.nil.expect("nil section");
    let row = |t: &str| nil.inv.iter().find(|r| r.sply_ty == t).cloned();
    let intra_b2c = row("INTRAB2C").unwrap();
    assert_eq!(intra_b2c.expt_amt_paise, 70_000);
    assert_eq!(intra_b2c.nil_amt_paise, 5_000);
    let inter_b2b = row("INTRB2B").unwrap();
    assert_eq!(inter_b2b.ngsup_amt_paise, 80_000);
    // The wholly non-GST invoice is in no taxable table.
    assert!(g
        .b2b
        .iter()
        .flat_map(|e| &e.inv)
        .all(|i| i.inum != "FX2627-000109"));
}

#[test]
fn an_amendment_cannot_move_a_document_to_another_table() {
    let (april, _) = april_and_corrections();
    // The b2b invoice's GSTIN removed: it would become B2C.
    let mut revised = april[0].clone();
    revised.buyer_gstin = None;
    revised.supply_type = SupplyType::B2c;
    let err = build_gstr1_with(
        &Gstin::parse(SELLER).unwrap(),
        ReturnPeriod::parse("052026").unwrap(),
        &Gstr1Input {
            records: &[],
            amendments: &[Amendment {
                original_period: ReturnPeriod::parse("042026").unwrap(),
                original: april[0].clone(),
                previous: april[0].clone(),
                revised,
            }],
            amended_months: &[],
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("from b2b to b2cs"), "{err}");
}

#[test]
fn a_document_dated_after_the_period_is_refused() {
    let mut late = may_records();
    late[0].date = Date::new(2026, 6, 1).unwrap();
    let err = finvex_gst::gstr1::build_gstr1(
        &Gstin::parse(SELLER).unwrap(),
        ReturnPeriod::parse("052026").unwrap(),
        &late,
    )
    .unwrap_err();
    assert!(err.to_string().contains("after the return period"), "{err}");
}

/// A document amended in May and again in June: June's Tables 12 reports
/// only the second change, its b2ba still names the first-reported invoice,
/// and a b2cs rate the May amendment introduced is restated at zero.
#[test]
fn a_second_amendment_reports_only_its_own_difference() {
    let seller = Gstin::parse(SELLER).unwrap();
    let (april_p, june) = (
        ReturnPeriod::parse("042026").unwrap(),
        ReturnPeriod::parse("062026").unwrap(),
    );
    let b2b_at = |paise| {
        doc(
            DocType::Invoice,
            "FX2627-000001",
            april(1),
            supply(
                Buyer::Registered(MH_BUYER),
                vec![line("998316", paise, "18")],
            ),
        )
    };
    let b2c_at = |rate| {
        doc(
            DocType::Invoice,
            "FX2627-000002",
            april(2),
            supply(Buyer::Consumer("KA"), vec![line("998316", 50_000, rate)]),
        )
    };
    let amendments = [
        Amendment {
            original_period: april_p,
            original: b2b_at(100_000),
            previous: b2b_at(110_000),
            revised: b2b_at(120_000),
        },
        Amendment {
            original_period: april_p,
            original: b2c_at("18"),
            previous: b2c_at("12"),
            revised: b2c_at("18"),
        },
    ];
    let g = build_gstr1_with(
        &seller,
        june,
        &Gstr1Input {
            records: &[],
            amendments: &amendments,
            amended_months: &[AmendedMonth {
                period: april_p,
                records: vec![b2b_at(120_000), b2c_at("18")],
            }],
        },
    )
    .unwrap();
    assert_eq!(g.b2ba[0].inv[0].oinum, "FX2627-000001");
    assert_eq!(g.b2ba[0].inv[0].itms[0].itm_det.txval_paise, 120_000);
    let hsn = g.hsn.hsn_b2b.as_ref().unwrap();
    let row = hsn.iter().find(|r| r.hsn_sc == "998316").unwrap();
    assert_eq!(
        row.txval_paise, 10_000,
        "June reports 1,200 − 1,100, not 1,200 − 1,000"
    );
    let rates: Vec<(String, i64)> = g.b2csa[0]
        .itms
        .iter()
        .map(|i| (i.rt.to_string(), i.txval_paise))
        .collect();
    assert_eq!(
        rates,
        [("12".to_string(), 0), ("18".to_string(), 50_000)],
        "the 12% row May added is restated at zero"
    );
}

#[test]
fn a_b2c_correction_keeps_its_place_of_supply() {
    let original = doc(
        DocType::Invoice,
        "FX2627-000003",
        april(3),
        supply(Buyer::Consumer("KA"), vec![line("998316", 50_000, "18")]),
    );
    let moved = doc(
        DocType::Invoice,
        "FX2627-000003",
        april(3),
        supply(Buyer::Consumer("TN"), vec![line("998316", 50_000, "18")]),
    );
    let err = finvex_gst::gstr1::check_correction(&original, &moved, State::parse("KA").unwrap())
        .unwrap_err();
    assert_eq!(err.field(), Some("place_of_supply"), "{err}");
}
