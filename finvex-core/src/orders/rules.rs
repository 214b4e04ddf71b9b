//! Order input rules (pure): what `POST /v1/orders` accepts, parsed once
//! into provider-neutral values.

use std::collections::BTreeMap;

use super::CreateOrder;
use crate::money::{Amount, Currency, Money};
use crate::providers::CustomerDetails;
use crate::types::{Email, Phone};
use crate::Error;

const MAX_RECEIPT_CHARS: usize = 40;
const MAX_DESCRIPTION_CHARS: usize = 2_048;
/// As Razorpay and Cashfree bound a customer's name.
const MAX_CUSTOMER_NAME_CHARS: usize = 100;
const MAX_NOTES: usize = 15;
const MAX_NOTE_CHARS: usize = 256;
/// ₹1 lakh crore in paise: far above any single order; a typo guard.
const MAX_AMOUNT_MINOR: i64 = 10_000_000_000_000;

/// An order request after parsing.
pub struct ValidOrder {
    pub amount: Money,
    pub customer: CustomerDetails,
    pub notes: BTreeMap<String, String>,
}

/// Notes on orders and refunds: as many keys and as long as both providers take.
pub fn validate_notes(
    notes: Option<BTreeMap<String, String>>,
) -> Result<BTreeMap<String, String>, Error> {
    let notes = notes.unwrap_or_default();
    if notes.len() > MAX_NOTES
        || notes
            .iter()
            .any(|(k, v)| k.chars().count() > MAX_NOTE_CHARS || v.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(Error::validation("notes", format!("notes take at most {MAX_NOTES} keys, each key and value at most {MAX_NOTE_CHARS} characters")));
    }
    Ok(notes)
}

pub fn validate_order(request: &CreateOrder) -> Result<ValidOrder, Error> {
    let currency = match &request.currency {
        Some(code) => Currency::parse(code)?,
        None => Currency::INR,
    };
    let minimum = 10_i64.pow(u32::from(currency.minor_units()));
    if request.amount < minimum || request.amount > MAX_AMOUNT_MINOR {
        return Err(Error::validation("amount", format!("amount must be at least {minimum} (1 {currency}) in the currency's minor unit, e.g. 50000 paise = Rs 500")));
    }
    if request
        .receipt
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_RECEIPT_CHARS)
    {
        return Err(Error::validation(
            "receipt",
            format!("receipt must be at most {MAX_RECEIPT_CHARS} characters"),
        ));
    }
    if request
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(Error::validation(
            "description",
            format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    let customer = parse_customer(request.customer.clone().unwrap_or_default())?;
    Ok(ValidOrder {
        amount: Money::new(Amount::from_minor(request.amount), currency),
        customer,
        notes: validate_notes(request.notes.clone())?,
    })
}

/// The customer's details, trimmed and parsed (an email and a phone number
/// when given, a name of at most the providers' length).
fn parse_customer(customer: CustomerDetails) -> Result<CustomerDetails, Error> {
    if customer
        .name
        .as_ref()
        .is_some_and(|n| n.trim().chars().count() > MAX_CUSTOMER_NAME_CHARS)
    {
        return Err(Error::validation(
            "customer.name",
            format!("customer.name must be at most {MAX_CUSTOMER_NAME_CHARS} characters"),
        ));
    }
    Ok(CustomerDetails {
        name: customer
            .name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        email: customer
            .email
            .map(|e| {
                Email::parse(&e).map(|e| e.to_string()).map_err(|_| {
                    Error::validation(
                        "customer.email",
                        format!("{e:?} is not a valid email address"),
                    )
                })
            })
            .transpose()?,
        phone: customer
            .phone
            .map(|p| {
                Phone::parse(&p).map(|p| p.to_string()).map_err(|_| {
                    Error::validation(
                        "customer.phone",
                        format!("{p:?} is not a valid phone number"),
                    )
                })
            })
            .transpose()?,
    })
}
