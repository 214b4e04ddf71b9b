//! Rupee amounts as Indians write them: digits grouped in lakhs and crores
//! (`1,18,000.00`) and in words ("Rupees One Lakh Eighteen Thousand Only").
//!
//! Everything works on integer paise; no floats.

const ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];

const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

/// Paise as rupees with two decimals in Indian grouping: the last three
/// digits, then pairs (`12345678` paise → `1,23,456.78`).
pub fn group_indian(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    let abs = paise.unsigned_abs();
    let rupees = (abs / 100).to_string();
    let (head, last3) = rupees.split_at(rupees.len().saturating_sub(3));
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        let (left, pair) = rest.split_at(rest.len() - 2);
        groups.push(pair);
        rest = left;
    }
    if !rest.is_empty() {
        groups.push(rest);
    }
    groups.reverse();
    groups.push(last3);
    format!("{sign}{}.{:02}", groups.join(","), abs % 100)
}

/// The amount in words, Indian style: "Rupees One Lakh Eighteen Thousand
/// Only", with "and Fifty Paise" when the paise are not zero. Crores above
/// 99 are themselves read in lakhs and thousands ("One Thousand Crore").
pub fn amount_in_words(paise: i64) -> String {
    let abs = paise.unsigned_abs();
    let (rupees, paise_part) = (abs / 100, abs % 100);
    let sign = if paise < 0 { "Minus " } else { "" };
    let mut words = format!("{sign}Rupees {}", number_in_words(rupees));
    if paise_part != 0 {
        words.push_str(&format!(" and {} Paise", below_hundred(paise_part)));
    }
    words.push_str(" Only");
    words
}

/// A whole number in Indian words: crore (10^7), lakh (10^5), thousand,
/// hundred; zero is "Zero".
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let crores = n / 10_000_000;
    if crores > 0 {
        parts.push(format!("{} Crore", number_in_words(crores)));
    }
    let rest = n % 10_000_000;
    for (unit, name) in [(100_000, "Lakh"), (1_000, "Thousand"), (100, "Hundred")] {
        let count = rest / unit % if unit == 100 { 10 } else { 100 };
        if count > 0 {
            parts.push(format!("{} {name}", below_hundred(count)));
        }
    }
    if rest % 100 > 0 {
        parts.push(below_hundred(rest % 100));
    }
    parts.join(" ")
}

/// 1..=99 in words; "Zero" for 0 (only used as a whole number).
fn below_hundred(n: u64) -> String {
    let n = n as usize % 100;
    match n {
        0..=19 => ONES[n].to_string(),
        _ if n % 10 == 0 => TENS[n / 10].to_string(),
        _ => format!("{} {}", TENS[n / 10], ONES[n % 10]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::MAX_AMOUNT_PAISE;

    #[test]
    fn groups_digits_in_lakhs_and_crores() {
        for (paise, text) in [
            (0, "0.00"),
            (5, "0.05"),
            (99_900, "999.00"),
            (100_000, "1,000.00"),
            (11_800_000, "1,18,000.00"),
            (10_000_000, "1,00,000.00"),
            (1_000_000_000, "1,00,00,000.00"),
            (12_345_678_950, "12,34,56,789.50"),
            (MAX_AMOUNT_PAISE, "9,99,99,99,99,999.99"),
            (-123_456, "-1,234.56"),
        ] {
            assert_eq!(group_indian(paise), text, "{paise}");
        }
    }

    #[test]
    // The literals are grouped in lakhs and crores, as the words read them.
    #[allow(clippy::inconsistent_digit_grouping)]
    fn whole_numbers_read_in_indian_units() {
        for (n, words) in [
            (0, "Zero"),
            (1, "One"),
            (19, "Nineteen"),
            (20, "Twenty"),
            (99, "Ninety Nine"),
            (100, "One Hundred"),
            (101, "One Hundred One"),
            (1_180, "One Thousand One Hundred Eighty"),
            (1_00_000, "One Lakh"),
            (1_18_000, "One Lakh Eighteen Thousand"),
            (10_00_000, "Ten Lakh"),
            (1_00_00_000, "One Crore"),
            (
                1_23_45_678,
                "One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight",
            ),
            (1_000_00_00_000, "One Thousand Crore"),
            (1_00_00_00_00_000, "Ten Thousand Crore"),
            (1_00_000_00_00_000, "One Lakh Crore"),
        ] {
            assert_eq!(number_in_words(n), words, "{n}");
        }
    }

    #[test]
    fn amounts_read_in_rupees_and_paise() {
        assert_eq!(amount_in_words(0), "Rupees Zero Only");
        assert_eq!(amount_in_words(100), "Rupees One Only");
        assert_eq!(amount_in_words(9_900), "Rupees Ninety Nine Only");
        assert_eq!(
            amount_in_words(11_800_000),
            "Rupees One Lakh Eighteen Thousand Only"
        );
        assert_eq!(amount_in_words(10_000_000), "Rupees One Lakh Only");
        assert_eq!(amount_in_words(1_000_000_000), "Rupees One Crore Only");
        assert_eq!(
            amount_in_words(118_050),
            "Rupees One Thousand One Hundred Eighty and Fifty Paise Only"
        );
        assert_eq!(amount_in_words(1), "Rupees Zero and One Paise Only");
        assert_eq!(
            amount_in_words(MAX_AMOUNT_PAISE),
            "Rupees Ninety Nine Thousand Nine Hundred Ninety Nine Crore Ninety Nine Lakh \
             Ninety Nine Thousand Nine Hundred Ninety Nine and Ninety Nine Paise Only"
        );
        assert_eq!(
            amount_in_words(-35_400),
            "Minus Rupees Three Hundred Fifty Four Only"
        );
    }
}
