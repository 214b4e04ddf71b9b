use super::string_newtype_serde;
use crate::Error;

/// An email address in the shape mail servers accept (RFC 5321 lengths, a
/// dotted domain). The domain is lower-cased; the local part is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

impl Email {
    pub fn parse(raw: &str) -> Result<Email, Error> {
        let bad = |why: &str| {
            Error::validation(
                "email",
                format!("{raw:?} is not a valid email address: {why}"),
            )
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(bad("it is empty"));
        }
        if trimmed.len() > MAX_LEN {
            return Err(bad("it is longer than 254 characters"));
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(bad("it has no @"));
        };
        if local.is_empty() || local.len() > MAX_LOCAL_LEN {
            return Err(bad("the part before @ must have 1 to 64 characters"));
        }
        let local_ok = local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(bad("the part before @ has a character that is not allowed"));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !domain_ok {
            return Err(bad("the domain must be like example.com"));
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_serde!(Email);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        assert_eq!(
            Email::parse(" Anil@Example.COM ").unwrap().as_str(),
            "Anil@example.com"
        );
        assert!(Email::parse("a.b+tag@mail.example.co.in").is_ok());
    }

    #[test]
    fn rejects_what_mail_servers_reject() {
        for bad in [
            "",
            "anil",
            "@example.com",
            "anil@",
            "anil@localhost",
            "a..b@x.com",
            "anil@-x.com",
            "an il@x.com",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("email"), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn parse_is_idempotent(raw in "[a-z0-9.]{1,10}@[a-z]{1,8}\\.[a-z]{2,4}") {
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
            }
        }
    }
}
