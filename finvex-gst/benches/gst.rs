//! Throughput of the hot paths: tax calculation, HSN search and GSTR-1.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use finvex_gst::einvoice::{DocNumber, DocType};
use finvex_gst::gstr1::{build_gstr1, InvoiceRecord, ReturnPeriod};
use finvex_gst::{calculate, hsn, Date, GstRate, Gstin, LineItem, State, Supply};
use rust_decimal::Decimal;

fn ten_line_invoice() -> Supply {
    let rates = ["18", "5", "12", "28", "0.25", "3", "40", "18", "5", "18"];
    let lines = rates
        .iter()
        .enumerate()
        .map(|(i, r)| LineItem {
            hsn_code: Some("998316".into()),
            quantity: Decimal::from(i as i64 + 1),
            discount_paise: 100,
            rate: GstRate::parse(r).unwrap(),
            ..LineItem::new(12_345 * (i as i64 + 1))
        })
        .collect();
    Supply::between(
        State::parse("KA").unwrap(),
        State::parse("KA").unwrap(),
        lines,
    )
}

fn month_of_records(n: usize) -> Vec<InvoiceRecord> {
    let buyers = ["27AAPFU0939F1ZV", "24AANFA2641L1ZF", "29AAFCC9980M1ZR"];
    let states = ["KA", "MH", "TN", "DL", "GJ"];
    (0..n)
        .map(|i| {
            let mut line = LineItem::new(10_000 + (i as i64 % 5_000) * 97);
            line.hsn_code = Some(if i % 3 == 0 { "5205" } else { "998316" }.into());
            let mut s = Supply::between(
                State::parse("KA").unwrap(),
                State::parse(states[i % states.len()]).unwrap(),
                vec![line],
            );
            let buyer = (i % 2 == 0).then(|| Gstin::parse(buyers[i % 3]).unwrap());
            if buyer.is_some() {
                s.buyer_state = None;
                s.buyer_gstin = buyer.clone();
            }
            let tax = calculate(&s).unwrap();
            let doc_type = if i % 50 == 0 {
                DocType::CreditNote
            } else {
                DocType::Invoice
            };
            let prefix = if doc_type == DocType::CreditNote {
                "CN"
            } else {
                "INV"
            };
            InvoiceRecord::from_breakup(
                doc_type,
                DocNumber::parse(&format!("{prefix}/{i:07}")).unwrap(),
                Date::new(2026, 4, (i % 30) as u8 + 1).unwrap(),
                buyer,
                &tax,
            )
            .unwrap()
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let supply = ten_line_invoice();
    c.bench_function("calculate_10_line_invoice", |b| {
        b.iter(|| calculate(black_box(&supply)).unwrap())
    });

    hsn::warm_up();
    for q in ["software", "9983", "cotton yarn"] {
        c.bench_function(&format!("hsn_search_{}", q.replace(' ', "_")), |b| {
            b.iter(|| hsn::search(black_box(q), 0, 20).unwrap())
        });
    }
    c.bench_function("hsn_lookup_998316", |b| {
        b.iter(|| hsn::lookup(black_box("998316")))
    });

    let records = month_of_records(100_000);
    let gstin = Gstin::parse("29AAFCC9980M1ZR").unwrap();
    let period = ReturnPeriod::parse("042026").unwrap();
    let mut group = c.benchmark_group("gstr1");
    group.sample_size(10);
    group.bench_function("build_gstr1_100k_invoices", |b| {
        b.iter(|| build_gstr1(&gstin, period, black_box(&records)).unwrap())
    });
    group.finish();
}

criterion_group!(gst, benches);
criterion_main!(gst);
