use super::string_newtype_serde;
use crate::Error;

/// A UPI virtual payment address (`name@bank`), lower-cased as UPI treats it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Vpa(String);

impl Vpa {
    pub fn parse(raw: &str) -> Result<Vpa, Error> {
        let bad =
            |why: &str| Error::validation("vpa", format!("{raw:?} is not a valid UPI id: {why}"));
        let lowered = raw.trim().to_ascii_lowercase();
        let Some((handle, psp)) = lowered.split_once('@') else {
            return Err(bad("it must look like name@bank"));
        };
        if !(2..=256).contains(&handle.len())
            || !handle
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
        {
            return Err(bad(
                "the part before @ must be 2 to 256 letters, digits, '.', '-' or '_'",
            ));
        }
        if !(2..=64).contains(&psp.len()) || !psp.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad(
                "the bank handle after @ must be 2 to 64 letters or digits",
            ));
        }
        Ok(Vpa(lowered))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_serde!(Vpa);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_looking_vpas() {
        assert_eq!(
            Vpa::parse("Anil.Kumar@OKHDFCBANK").unwrap().as_str(),
            "anil.kumar@okhdfcbank"
        );
        assert!(Vpa::parse("9876543210@ybl").is_ok());
    }

    #[test]
    fn rejects_malformed_vpas() {
        for raw in [
            "anil",
            "a@b",
            "@ybl",
            "anil@",
            "an il@ybl",
            "anil@ok.hdfc",
            "x@ybl@ybl",
        ] {
            assert_eq!(Vpa::parse(raw).unwrap_err().field(), Some("vpa"), "{raw}");
        }
    }
}
