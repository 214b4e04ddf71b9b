//! Pure GST rules of the API: request fields to engine types (with the
//! request's field names in errors), the merchant default rate, document
//! numbering, and dates in India.

use rust_decimal::Decimal;

use finvex_gst::einvoice::{DocNumber, FinancialYear};
use finvex_gst::gstr1::ReturnPeriod;
use finvex_gst::{Date, GstError, GstRate, Gstin, LineItem, State, Supply};

use super::{CalculateRequest, InvoiceType, LineInput, RateSource};
use crate::Error;

/// The merchant's default GST rate when a request names none. Per-merchant
/// configuration is not built yet, so every merchant gets the standard 18%
/// (the usual rate for SaaS and IT services).
pub const MERCHANT_DEFAULT_RATE: GstRate = GstRate::STANDARD;

/// The calendar date in India at `unix_millis`; the engine supports 2000-2099.
pub fn today_in_india(unix_millis: i64) -> Result<Date, Error> {
    let today = crate::calendar::date_in_india(unix_millis.div_euclid(1000));
    let (y, m, d) = (today.year(), today.month(), today.day());
    u16::try_from(y)
        .ok()
        .and_then(|y| Date::new(y, m as u8, d as u8).ok())
        .ok_or_else(|| {
            Error::validation(
                "date",
                format!("today ({y:04}-{m:02}-{d:02}) is outside 2000-2099; pass date"),
            )
        })
}

pub fn parse_state(field: &str, input: &str) -> Result<State, Error> {
    State::parse(input).map_err(|e| e.at(field).into())
}

pub fn parse_gstin(field: &str, input: &str) -> Result<Gstin, Error> {
    Gstin::parse(input).map_err(|e| e.at(field).into())
}

pub fn parse_date(field: &str, input: &str) -> Result<Date, Error> {
    Date::parse_iso(input).map_err(|e| e.at(field).into())
}

/// Rule 96A: an export or SEZ supply without payment of IGST needs a
/// Letter of Undertaking in force for its financial year; the document
/// carries the LUT's ARN. Other supplies carry none.
pub fn lut_reference(
    supply_type: finvex_gst::SupplyType,
    lut: Option<&super::settings::Lut>,
    fy: &FinancialYear,
) -> Result<Option<String>, Error> {
    use finvex_gst::SupplyType::{ExportWithoutPayment, SezWithoutPayment};
    if !matches!(supply_type, ExportWithoutPayment | SezWithoutPayment) {
        return Ok(None);
    }
    match lut {
        Some(lut) if lut.financial_year == fy.to_string() => Ok(Some(lut.arn.clone())),
        _ => Err(Error::business(
            Some("supply_type"),
            format!(
                "a supply without payment of IGST needs a Letter of Undertaking (RFD-11) for {fy}: set `lut` in /v1/gst/settings, or supply with payment"
            ),
        )),
    }
}

/// An optional field parsed with `parse` (which names `field` in its errors).
pub fn opt<T>(
    field: &str,
    value: Option<&str>,
    parse: fn(&str, &str) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    value.map(|v| parse(field, v)).transpose()
}

/// A validation error naming the first of `fields` the request gives (the
/// flag is whether it does), with the message `why` writes for it.
pub fn refuse_given(
    fields: &[(&'static str, bool)],
    why: impl Fn(&str) -> String,
) -> Result<(), Error> {
    match fields.iter().find(|(_, given)| *given) {
        Some((field, _)) => Err(Error::validation(*field, why(field))),
        None => Ok(()),
    }
}

/// The engine names amounts `*_paise`; the API names them as the request does.
pub fn api_error(e: GstError, single_line: bool) -> Error {
    let Some(field) = e.field().map(str::to_string) else {
        return e.into();
    };
    let mut renamed = field
        .replace(".unit_price_paise", ".unit_price")
        .replace(".discount_paise", ".discount");
    if single_line {
        if let Some(rest) = renamed.strip_prefix("lines[0].") {
            renamed = if rest == "unit_price" {
                "amount".to_string()
            } else {
                rest.to_string()
            };
        }
    }
    if renamed == field {
        e.into()
    } else {
        let message = e.to_string();
        let message = message
            .strip_prefix(&format!("{field}: "))
            .map_or(message.clone(), |rest| format!("{renamed}: {rest}"));
        Error::Validation {
            field: Some(renamed.into()),
            message,
        }
    }
}

/// Converts API lines to engine lines; also says where the rates came from.
pub fn line_items(
    lines: &[LineInput],
    default_rate: GstRate,
    prefix: &str,
) -> Result<(Vec<LineItem>, RateSource), Error> {
    let mut given = 0;
    let mut items = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let f = |name: &str| format!("{prefix}[{i}].{name}");
        let treatment = line.treatment.unwrap_or_default();
        let rate = match line.rate {
            Some(percent) => {
                given += 1;
                GstRate::new(percent).map_err(|e| Error::from(e.at(f("rate"))))?
            }
            // A line that carries no tax needs no rate.
            None if !treatment.is_taxable() => {
                given += 1;
                GstRate::ZERO
            }
            None => default_rate,
        };
        treatment.check_rate(&f("rate"), rate)?;
        items.push(LineItem {
            description: line.description.clone(),
            hsn_code: line.hsn_code.clone(),
            unit_price_paise: line.unit_price,
            quantity: line.quantity.unwrap_or(Decimal::ONE),
            discount_paise: line.discount.unwrap_or(0),
            rate,
            cess_rate: line.cess_rate.unwrap_or(Decimal::ZERO),
        });
    }
    let source = if given == lines.len() {
        RateSource::Request
    } else if given == 0 {
        RateSource::MerchantDefault
    } else {
        RateSource::Mixed
    };
    Ok((items, source))
}

/// The engine's question for a calculation request, and whether it used the
/// single-line form (for error field names).
pub fn calculation_supply(
    req: &CalculateRequest,
    default_rate: GstRate,
) -> Result<(Supply, RateSource, bool), Error> {
    let single = req.lines.is_none();
    let (lines, source) = match &req.lines {
        Some(lines) => {
            refuse_given(
                &[
                    ("amount", req.amount.is_some()),
                    ("hsn_code", req.hsn_code.is_some()),
                    ("description", req.description.is_some()),
                    ("quantity", req.quantity.is_some()),
                    ("discount", req.discount.is_some()),
                    ("rate", req.rate.is_some()),
                    ("cess_rate", req.cess_rate.is_some()),
                ],
                |field| format!("{field} belongs inside each of lines[] when lines is given"),
            )?;
            if lines.is_empty() {
                return Err(Error::validation("lines", "at least one line is required"));
            }
            line_items(lines, default_rate, "lines")?
        }
        None => {
            let amount = req.amount.ok_or_else(|| {
                Error::validation("amount", "amount (in paise) or lines is required")
            })?;
            let line = LineInput {
                description: req.description.clone(),
                hsn_code: req.hsn_code.clone(),
                unit_price: amount,
                quantity: req.quantity,
                unit: None,
                discount: req.discount,
                rate: req.rate,
                cess_rate: req.cess_rate,
                treatment: None,
            };
            let (items, source) = line_items(std::slice::from_ref(&line), default_rate, "lines")
                .map_err(|e| match e {
                    Error::Validation { message, .. } => Error::Validation {
                        field: Some("rate".into()),
                        message: message.replacen("lines[0].rate", "rate", 1),
                    },
                    other => other,
                })?;
            (items, source)
        }
    };
    let supply = Supply {
        seller_gstin: opt("seller_gstin", req.seller_gstin.as_deref(), parse_gstin)?,
        seller_state: opt("seller_state", req.seller_state.as_deref(), parse_state)?,
        buyer_gstin: opt("buyer_gstin", req.buyer_gstin.as_deref(), parse_gstin)?,
        buyer_state: opt("buyer_state", req.buyer_state.as_deref(), parse_state)?,
        place_of_supply: opt(
            "place_of_supply",
            req.place_of_supply.as_deref(),
            parse_state,
        )?,
        supply_type: req.supply_type,
        reverse_charge: req.reverse_charge,
        prices_include_tax: req.tax_inclusive,
        round_to_rupee: req.round_to_rupee.unwrap_or(true),
        date: opt("date", req.date.as_deref(), parse_date)?,
        lines,
    };
    Ok((supply, source, single))
}

/// Document numbers: `FX2627-000001` for invoices and `CN2627-000001` for
/// credit notes (series prefix, financial year, sequence), at most 16
/// characters as the IRP requires; the sequence widens past 999999.
pub fn doc_number(
    kind: InvoiceType,
    fy: &FinancialYear,
    sequence: i64,
) -> Result<DocNumber, Error> {
    let prefix = match kind {
        InvoiceType::Invoice => "FX",
        InvoiceType::CreditNote => "CN",
    };
    let start = fy.start_year();
    let text = format!(
        "{prefix}{:02}{:02}-{sequence:06}",
        start % 100,
        (start + 1) % 100
    );
    DocNumber::parse(&text).map_err(|_| {
        Error::business(
            None,
            format!("the {fy} document series is exhausted at number {sequence}"),
        )
    })
}

/// `YYYY-MM` → the return period and the stored period key.
pub fn parse_month(input: &str) -> Result<(ReturnPeriod, String), Error> {
    let bad = || Error::validation("month", format!("{input:?} is not a month like 2026-04"));
    let b = input.as_bytes();
    if b.len() != 7
        || b[4] != b'-'
        || !input[..4]
            .bytes()
            .chain(input[5..].bytes())
            .all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let year: u16 = input[..4].parse().map_err(|_| bad())?;
    let month: u8 = input[5..].parse().map_err(|_| bad())?;
    let period = ReturnPeriod::new(month, year).map_err(|_| bad())?;
    Ok((period, input.to_string()))
}

/// The stored period key of a date (`YYYY-MM`).
pub fn period_of(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// `YYYY-MM-DD`.
/// The `YYYY-MM` month of a date.
pub fn month_of(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

pub fn iso_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use finvex_gst::einvoice::financial_year;
    use finvex_gst::{calculate, TaxRule};

    fn seed() -> CalculateRequest {
        CalculateRequest {
            amount: Some(100_000),
            hsn_code: Some("998316".into()),
            seller_state: Some("KA".into()),
            buyer_state: Some("MH".into()),
            ..CalculateRequest::default()
        }
    }

    #[test]
    fn the_seed_body_uses_the_merchant_default_and_is_inter_state() {
        let (supply, source, single) = calculation_supply(&seed(), MERCHANT_DEFAULT_RATE).unwrap();
        assert!(single);
        assert_eq!(source, RateSource::MerchantDefault);
        let tax = calculate(&supply).unwrap();
        assert_eq!(tax.rule, TaxRule::InterState);
        assert_eq!((tax.igst_paise, tax.total_paise), (18_000, 118_000));
    }

    #[test]
    fn a_request_rate_wins_and_is_reported() {
        let req = CalculateRequest {
            rate: Some(Decimal::from(5)),
            buyer_state: Some("KA".into()),
            ..seed()
        };
        let (supply, source, _) = calculation_supply(&req, MERCHANT_DEFAULT_RATE).unwrap();
        assert_eq!(source, RateSource::Request);
        let tax = calculate(&supply).unwrap();
        assert_eq!((tax.cgst_paise, tax.sgst_paise), (2_500, 2_500));
    }

    #[test]
    fn errors_name_the_request_fields() {
        let bad_state = CalculateRequest {
            buyer_state: Some("Atlantis".into()),
            ..seed()
        };
        let err = calculation_supply(&bad_state, MERCHANT_DEFAULT_RATE).unwrap_err();
        assert_eq!(err.field(), Some("buyer_state"));
        assert!(
            err.to_string().starts_with("buyer_state: unknown state"),
            "{err}"
        );

        let bad_rate = CalculateRequest {
            rate: Some(Decimal::from(17)),
            ..seed()
        };
        let err = calculation_supply(&bad_rate, MERCHANT_DEFAULT_RATE).unwrap_err();
        assert_eq!(err.field(), Some("rate"));
        assert!(err.to_string().starts_with("rate: 17%"), "{err}");

        let negative = CalculateRequest {
            amount: Some(-1),
            ..seed()
        };
        let (supply, _, single) = calculation_supply(&negative, MERCHANT_DEFAULT_RATE).unwrap();
        let err = api_error(calculate(&supply).unwrap_err(), single);
        assert_eq!(err.field(), Some("amount"));
        assert!(err.to_string().starts_with("amount: "), "{err}");

        let mixed = CalculateRequest {
            lines: Some(vec![LineInput {
                unit_price: 1,
                ..LineInput::default()
            }]),
            ..seed()
        };
        let err = calculation_supply(&mixed, MERCHANT_DEFAULT_RATE).unwrap_err();
        assert_eq!(err.field(), Some("amount"));
    }

    #[test]
    fn lines_report_mixed_rate_sources() {
        let lines = vec![
            LineInput {
                unit_price: 100,
                rate: Some(Decimal::from(5)),
                ..LineInput::default()
            },
            LineInput {
                unit_price: 100,
                ..LineInput::default()
            },
        ];
        let (items, source) = line_items(&lines, MERCHANT_DEFAULT_RATE, "lines").unwrap();
        assert_eq!(source, RateSource::Mixed);
        assert_eq!(items[1].rate, GstRate::STANDARD);
    }

    #[test]
    fn document_numbers_fit_the_irp_pattern() {
        let fy = financial_year(Date::new(2026, 4, 1).unwrap());
        assert_eq!(
            doc_number(InvoiceType::Invoice, &fy, 1).unwrap().as_str(),
            "FX2627-000001"
        );
        let fy_march = financial_year(Date::new(2027, 3, 31).unwrap());
        assert_eq!(
            doc_number(InvoiceType::CreditNote, &fy_march, 1_234_567)
                .unwrap()
                .as_str(),
            "CN2627-1234567"
        );
        assert!(doc_number(InvoiceType::Invoice, &fy, 999_999_999).is_ok());
        assert!(doc_number(InvoiceType::Invoice, &fy, 1_000_000_000).is_err());
        // GSTR-1 and the IRP compare numbers case-insensitively (the IRP
        // upper-cases them since June 2025): ours are upper case already, and
        // the series' prefixes differ, so no two documents of a financial
        // year can collide however they are compared.
        let numbers = [1, 42, 999_999].map(|n| {
            [InvoiceType::Invoice, InvoiceType::CreditNote]
                .map(|kind| doc_number(kind, &fy, n).unwrap().to_string())
        });
        let flat: Vec<String> = numbers.into_iter().flatten().collect();
        for n in &flat {
            assert_eq!(n, &n.to_ascii_uppercase());
            assert!(n.len() <= 16);
        }
        let folded: std::collections::BTreeSet<String> =
            flat.iter().map(|n| n.to_ascii_lowercase()).collect();
        assert_eq!(folded.len(), flat.len());
    }

    #[test]
    fn today_is_the_indian_calendar_date() {
        // 2026-03-31 18:29:59 UTC is 23:59:59 IST; one second later it is 1 April.
        let before = 1_774_981_799_000;
        assert_eq!(iso_date(today_in_india(before).unwrap()), "2026-03-31");
        assert_eq!(
            iso_date(today_in_india(before + 1_000).unwrap()),
            "2026-04-01"
        );
        assert_eq!(
            today_in_india(0).unwrap_err().to_string(),
            "today (1970-01-01) is outside 2000-2099; pass date"
        );
    }

    #[test]
    fn months_parse_strictly() {
        let (period, key) = parse_month("2026-04").unwrap();
        assert_eq!(
            (period.to_string(), key.as_str()),
            ("042026".into(), "2026-04")
        );
        for bad in ["2026-4", "2026-13", "04-2026", "2026/04", ""] {
            assert_eq!(
                parse_month(bad).unwrap_err().field(),
                Some("month"),
                "{bad}"
            );
        }
    }
}
