//! What a new customer must be: reachable (an email or a phone number),
//! with a name and notes within the limits the providers take.

use super::{NewCustomer, ValidCustomer};
use crate::orders::rules::validate_notes;
use crate::types::{Email, Phone};
use crate::Error;

/// The providers' customer-name limit (Razorpay takes 50; 100 is Cashfree's).
pub const MAX_NAME_CHARS: usize = 100;

/// Trims and parses a new customer's fields.
pub fn parse_customer(req: &NewCustomer) -> Result<ValidCustomer, Error> {
    let name = req
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    if name
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NAME_CHARS)
    {
        return Err(Error::validation(
            "name",
            format!("name must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    let email = req.email.as_deref().map(Email::parse).transpose()?;
    let phone = req.phone.as_deref().map(Phone::parse).transpose()?;
    if email.is_none() && phone.is_none() {
        return Err(Error::validation(
            "email",
            "a customer needs an email or a phone number",
        ));
    }
    Ok(ValidCustomer {
        name,
        email,
        phone,
        notes: validate_notes(req.notes.clone())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(email: Option<&str>, phone: Option<&str>) -> NewCustomer {
        NewCustomer {
            email: email.map(Into::into),
            phone: phone.map(Into::into),
            ..NewCustomer::default()
        }
    }

    #[test]
    fn a_customer_is_reachable_and_checked_field_by_field() {
        let c = parse_customer(&NewCustomer {
            name: Some("  Asha Rao ".into()),
            ..new(Some("Asha@Example.IN"), Some("9876543210"))
        })
        .unwrap();
        assert_eq!(c.name.as_deref(), Some("Asha Rao"));
        assert_eq!(c.email.unwrap().as_str(), "Asha@example.in");
        assert_eq!(c.phone.unwrap().as_str(), "+919876543210");
        for (req, field) in [
            (new(None, None), "email"),
            (new(Some("not-an-email"), None), "email"),
            (new(None, Some("12")), "phone"),
            (
                NewCustomer {
                    name: Some("x".repeat(MAX_NAME_CHARS + 1)),
                    ..new(Some("a@b.in"), None)
                },
                "name",
            ),
        ] {
            let err = parse_customer(&req).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
    }
}
