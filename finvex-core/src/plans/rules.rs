//! What a new plan must be.

use finvex_gst::{hsn, GstRate};

use super::{NewPlan, PlanGst, PlanGstInput, ValidPlan};
use crate::money::Currency;
use crate::orders::rules::validate_notes;
use crate::subscriptions::BillingCycle;
use crate::Error;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 2_048;
/// ₹1 crore per cycle: far above a subscription price; a typo guard. (A
/// debit above the mandate's maximum needs the customer anyway.)
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000;

/// Trims and parses a new plan's fields, each error naming its field.
pub fn parse_plan(req: &NewPlan) -> Result<ValidPlan, Error> {
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::validation(
            "name",
            format!("name must have 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    let description = req
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(Error::validation(
            "description",
            format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    let currency = match &req.currency {
        Some(code) => Currency::parse(code)?,
        None => Currency::INR,
    };
    let minimum = 10_i64.pow(u32::from(currency.minor_units()));
    if req.amount < minimum || req.amount > MAX_AMOUNT_MINOR {
        return Err(Error::validation(
            "amount",
            format!("amount must be {minimum} to {MAX_AMOUNT_MINOR} in the currency's minor unit, e.g. 99900 paise = Rs 999"),
        ));
    }
    let cycle = BillingCycle::new(req.interval, req.interval_count.unwrap_or(1))?;
    Ok(ValidPlan {
        name: name.to_string(),
        description,
        amount_minor: req.amount,
        currency,
        cycle,
        gst: parse_gst(req.gst.clone().unwrap_or_default())?,
        notes: validate_notes(req.notes.clone())?,
    })
}

fn parse_gst(gst: PlanGstInput) -> Result<PlanGst, Error> {
    let rate = gst
        .rate
        .map(|percent| GstRate::new(percent).map_err(|e| Error::from(e.at("gst.rate"))))
        .transpose()?;
    let hsn_code = gst.hsn_code.as_deref().map(str::trim).map(str::to_string);
    if let Some(code) = &hsn_code {
        if !hsn::is_known(code) {
            return Err(Error::validation(
                "gst.hsn_code",
                format!("HSN/SAC code '{code}' is not in the GST master"),
            ));
        }
    }
    Ok(PlanGst {
        rate,
        hsn_code,
        tax_inclusive: gst.tax_inclusive.unwrap_or(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subscriptions::Interval;
    use rust_decimal::Decimal;

    fn seed() -> NewPlan {
        serde_json::from_value(
            serde_json::json!({"name":"Pro","amount":99900,"interval":"monthly"}),
        )
        .unwrap()
    }

    #[test]
    fn the_seed_plan_parses_with_its_defaults() {
        let plan = parse_plan(&seed()).unwrap();
        assert_eq!(plan.amount_minor, 99_900);
        assert_eq!(plan.currency, Currency::INR);
        assert_eq!(
            (plan.cycle.interval(), plan.cycle.count()),
            (Interval::Monthly, 1)
        );
        assert!(plan.gst.tax_inclusive);
        assert_eq!(plan.gst.rate, None);
    }

    /// A change to the seed plan, and the field it breaks.
    type Case = (Box<dyn Fn(&mut NewPlan)>, &'static str);

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<Case> = vec![
            (Box::new(|p| p.amount = 0), "amount"),
            (Box::new(|p| p.amount = -5), "amount"),
            (Box::new(|p| p.name = "  ".into()), "name"),
            (Box::new(|p| p.interval_count = Some(0)), "interval_count"),
            (Box::new(|p| p.interval_count = Some(13)), "interval_count"),
            (
                Box::new(|p| {
                    p.gst = Some(PlanGstInput {
                        rate: Some(Decimal::from(7)),
                        ..PlanGstInput::default()
                    })
                }),
                "gst.rate",
            ),
            (
                Box::new(|p| {
                    p.gst = Some(PlanGstInput {
                        hsn_code: Some("123456".into()),
                        ..PlanGstInput::default()
                    })
                }),
                "gst.hsn_code",
            ),
            (Box::new(|p| p.currency = Some("XYZ".into())), "currency"),
        ];
        for (change, field) in cases {
            let mut plan = seed();
            change(&mut plan);
            let err = parse_plan(&plan).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
        let typo = serde_json::from_value::<NewPlan>(
            serde_json::json!({"name":"Pro","amount":99900,"interval":"monthy"}),
        );
        assert!(typo.is_err(), "an interval typo is refused");
    }
}
