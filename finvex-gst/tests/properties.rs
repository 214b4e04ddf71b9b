//! Property tests for invariants that must hold for every input.

use finvex_gst::{calculate, gstin_check_char, GstRate, Gstin, LineItem, State, Supply};
use proptest::prelude::*;
use rust_decimal::Decimal;

const RATES: &[&str] = &[
    "0", "0.1", "0.25", "1", "1.5", "3", "5", "6", "7.5", "12", "18", "28", "40",
];
const CHARSET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn rate() -> impl Strategy<Value = GstRate> {
    prop::sample::select(RATES).prop_map(|r| GstRate::parse(r).unwrap())
}

fn line() -> impl Strategy<Value = LineItem> {
    (
        1i64..=1_000_000_000,
        1u32..=50,
        rate(),
        prop::sample::select(&[0i64, 1, 12, 15][..]),
    )
        .prop_map(|(price, qty, rate, cess)| LineItem {
            quantity: Decimal::from(qty),
            rate,
            cess_rate: Decimal::from(cess),
            ..LineItem::new(price)
        })
}

fn state() -> impl Strategy<Value = State> {
    prop::sample::select(&[4u8, 7, 26, 27, 29, 33, 38][..])
        .prop_map(|c| State::from_code(c).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tax_parts_sum_to_totals_and_halves_are_equal(
        lines in prop::collection::vec(line(), 1..20),
        seller in state(),
        buyer in state(),
        inclusive in any::<bool>(),
    ) {
        let mut s = Supply::between(seller, buyer, lines);
        s.prices_include_tax = inclusive;
        let b = calculate(&s).unwrap();
        for l in &b.lines {
            prop_assert_eq!(l.tax_paise, l.cgst_paise + l.sgst_paise + l.utgst_paise + l.igst_paise + l.cess_paise);
            prop_assert_eq!(l.total_paise, l.taxable_paise + l.tax_paise);
            // CGST always equals the SGST/UTGST half.
            prop_assert_eq!(l.cgst_paise, l.sgst_paise + l.utgst_paise);
            prop_assert!(l.sgst_paise == 0 || l.utgst_paise == 0);
            prop_assert!(l.igst_paise == 0 || l.cgst_paise == 0);
        }
        prop_assert_eq!(b.cgst_paise, b.sgst_paise + b.utgst_paise);
        prop_assert_eq!(b.tax_paise, b.cgst_paise + b.sgst_paise + b.utgst_paise + b.igst_paise + b.cess_paise);
        prop_assert_eq!(b.taxable_paise, b.lines.iter().map(|l| l.taxable_paise).sum::<i64>());
        prop_assert_eq!(b.total_before_round_off_paise, b.taxable_paise + b.tax_paise);
        prop_assert_eq!(b.total_paise, b.total_before_round_off_paise + b.round_off_paise);
        prop_assert_eq!(b.total_paise % 100, 0);
        prop_assert!(b.round_off_paise.abs() <= 9_999);
    }

    #[test]
    fn exclusive_then_inclusive_round_trips_within_a_paisa_per_line(
        prices in prop::collection::vec((1i64..=1_000_000_000, rate()), 1..20),
        seller in state(),
        buyer in state(),
    ) {
        let lines: Vec<LineItem> = prices
            .iter()
            .map(|&(p, rate)| LineItem { rate, ..LineItem::new(p) })
            .collect();
        let mut s = Supply::between(seller, buyer, lines);
        s.round_to_rupee = false;
        let excl = calculate(&s).unwrap();
        // Feed each line's tax-inclusive total back in as a sticker price.
        s.lines = excl
            .lines
            .iter()
            .zip(&prices)
            .map(|(l, &(_, rate))| LineItem { rate, ..LineItem::new(l.total_paise) })
            .collect();
        s.prices_include_tax = true;
        let incl = calculate(&s).unwrap();
        for (a, b) in excl.lines.iter().zip(&incl.lines) {
            prop_assert!((a.taxable_paise - b.taxable_paise).abs() <= 1, "{} vs {}", a.taxable_paise, b.taxable_paise);
            prop_assert!((a.tax_paise - b.tax_paise).abs() <= 1);
        }
        // The customer pays exactly the sticker total.
        prop_assert_eq!(incl.total_paise, excl.total_before_round_off_paise);
    }

    #[test]
    fn generated_gstins_parse_and_any_single_change_fails(
        state_code in prop::sample::select(&[1u8, 4, 7, 9, 19, 24, 27, 29, 33, 36, 37, 38, 97][..]),
        letters in "[A-Z]{5}",
        digits in "[0-9]{4}",
        last in "[A-Z]",
        entity in "[1-9A-Z]",
        position in 0usize..15,
        replacement in 0usize..36,
    ) {
        let first14 = format!("{state_code:02}{letters}{digits}{last}{entity}Z");
        let gstin = format!("{first14}{}", gstin_check_char(&first14).unwrap());
        let parsed = Gstin::parse(&gstin).unwrap();
        prop_assert_eq!(parsed.state().code(), state_code);
        let pan = parsed.pan().unwrap();
        prop_assert_eq!(pan.as_str(), &gstin[2..12]);

        let mut bytes = gstin.clone().into_bytes();
        let new = CHARSET[replacement];
        prop_assume!(bytes[position] != new);
        bytes[position] = new;
        let mutated = String::from_utf8(bytes).unwrap();
        prop_assert!(Gstin::parse(&mutated).is_err(), "{} accepted after changing position {}", mutated, position + 1);
    }
}
