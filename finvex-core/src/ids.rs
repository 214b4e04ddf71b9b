//! Typed, prefixed identifiers: `finvex_ord_01jd…`, `merchant_01jd…`.
//!
//! The body is a ULID in lowercase Crockford base32: 128 random-and-time bits,
//! URL-safe, and sortable by creation time (so lists can page by id).

use crate::Error;

/// The number of characters in a ULID body.
const ULID_LEN: usize = 26;

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $entity:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// A new random, time-sortable id.
            pub fn generate() -> Self {
                $name(format!("{}{}", $prefix, next_ulid().to_string().to_ascii_lowercase()))
            }

            /// Parses an id, rejecting a wrong prefix or a malformed body.
            pub fn parse(raw: &str) -> Result<Self, Error> {
                parse_body(raw, $prefix, $entity).map(|()| $name(raw.to_ascii_lowercase()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": concat!("^", $prefix, "[0-9a-z]{26}$"),
                    "description": concat!("A ", $entity, " id: ", $prefix, " and a ULID.")
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// ULIDs from one process are strictly increasing, even within a
/// millisecond, so ids created in sequence (an event and the next) sort in
/// the order they were made.
fn next_ulid() -> ulid::Ulid {
    static GENERATOR: std::sync::Mutex<ulid::Generator> =
        std::sync::Mutex::new(ulid::Generator::new());
    let mut generator = GENERATOR
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // Overflow needs 2^80 ids in one millisecond; fall back to a fresh random one.
    generator
        .generate()
        .unwrap_or_else(|_| ulid::Ulid::generate())
}

fn parse_body(raw: &str, prefix: &str, entity: &'static str) -> Result<(), Error> {
    let Some(body) = raw.strip_prefix(prefix) else {
        return Err(Error::validation(
            "id",
            format!("{raw:?} is not a {entity} id: it must start with {prefix:?}"),
        ));
    };
    if body.len() != ULID_LEN || ulid::Ulid::from_string(&body.to_ascii_uppercase()).is_err() {
        return Err(Error::validation(
            "id",
            format!("{raw:?} is not a valid {entity} id"),
        ));
    }
    Ok(())
}

define_id!(
    /// A merchant (the tenant).
    MerchantId, "merchant_", "merchant");
define_id!(
    /// An API key's public id (the part before the colon, after the mode prefix).
    ApiKeyId, "key_", "api key");
define_id!(
    /// One of the installation's admins (an operator, not a tenant).
    AdminId, "admin_", "admin");
define_id!(OrderId, "finvex_ord_", "order");
define_id!(PaymentId, "finvex_pay_", "payment");
define_id!(RefundId, "finvex_rfnd_", "refund");
define_id!(SettlementId, "finvex_setl_", "settlement");
define_id!(PlanId, "finvex_plan_", "plan");
define_id!(SubscriptionId, "finvex_sub_", "subscription");
define_id!(PaymentLinkId, "finvex_plink_", "payment link");
define_id!(WebhookEndpointId, "finvex_wh_", "webhook endpoint");
define_id!(EventId, "evt_", "event");
define_id!(WebhookDeliveryId, "finvex_whd_", "webhook delivery");
define_id!(WebhookAttemptId, "finvex_wha_", "webhook attempt");
define_id!(InvoiceId, "finvex_inv_", "invoice");
define_id!(ProductId, "prod_", "product");
define_id!(JobId, "finvex_job_", "job");
define_id!(AmendmentId, "finvex_gstam_", "GST amendment");
define_id!(CustomerId, "finvex_cust_", "customer");

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_ids_carry_their_prefix_and_parse_back() {
        let id = OrderId::generate();
        assert!(id.as_str().starts_with("finvex_ord_"));
        assert_eq!(OrderId::parse(id.as_str()).unwrap(), id);
    }

    #[test]
    fn wrong_prefix_is_rejected_with_the_expected_one() {
        let pay = PaymentId::generate();
        let err = OrderId::parse(pay.as_str()).unwrap_err();
        assert!(err.to_string().contains("finvex_ord_"), "{err}");
    }

    #[test]
    fn malformed_bodies_are_rejected() {
        assert!(MerchantId::parse("merchant_").is_err());
        assert!(MerchantId::parse("merchant_01jd!!!!!!!!!!!!!!!!!!!!!!").is_err());
        assert!(MerchantId::parse("merchant_01jdzzzzzzzzzzzzzzzzzzzzzzz").is_err());
    }

    #[test]
    fn ids_made_in_sequence_sort_in_sequence() {
        let ids: Vec<EventId> = (0..1_000).map(|_| EventId::generate()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ids_sort_by_creation_time() {
        let first = OrderId::generate();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = OrderId::generate();
        assert!(first < second);
    }

    proptest! {
        #[test]
        fn parse_never_panics(raw in ".{0,64}") {
            let _ = OrderId::parse(&raw);
        }
    }
}
