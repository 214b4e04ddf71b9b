//! The event catalogue: every event type Finvex emits, in one enum. Events
//! are written only through it, endpoints may subscribe only to what it
//! lists, and `GET /v1/events/types` shows it. A new area adds its variants
//! here (name, description) and nowhere else.

use serde::Serialize;

use crate::Error;

macro_rules! catalogue {
    ($($variant:ident => $name:literal, $description:literal;)+) => {
        /// One kind of event, as `event.event` names it in a delivery.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum EventType {
            $($variant,)+
        }

        impl EventType {
            /// Every event type, in catalogue order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)+];

            /// The wire name, e.g. `payment.captured`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $name,)+
                }
            }

            /// What happened, for the catalogue endpoint and the docs.
            pub fn description(self) -> &'static str {
                match self {
                    $(EventType::$variant => $description,)+
                }
            }
        }
    };
}

catalogue! {
    OrderCreated => "order.created", "An order was created at a payment provider.";
    OrderPaid => "order.paid", "An order was paid in full; data: {order, payment}.";
    PaymentAuthorized => "payment.authorized", "A payment was authorised and awaits capture.";
    PaymentCaptured => "payment.captured", "A payment was captured: the money is the merchant's.";
    PaymentFailed => "payment.failed", "A payment attempt failed.";
    RefundProcessed => "refund.processed", "A refund reached the customer's account.";
    RefundFailed => "refund.failed", "A refund failed; the amount can be refunded again.";
    ApiKeyCreated => "api_key.created", "An API key was created (its secret is never in the event).";
    ApiKeyRevoked => "api_key.revoked", "An API key was revoked.";
    WebhookTest => "webhook.test", "A test event sent from POST /v1/webhooks/:id/test.";
    WebhookEndpointDisabled => "webhook_endpoint.disabled", "An endpoint failed for 3 days and was disabled; data: {endpoint_id, url, failing_since_ms}.";
}

impl EventType {
    pub fn parse(raw: &str) -> Result<EventType, Error> {
        EventType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == raw)
            .ok_or_else(|| {
                Error::validation(
                    "events",
                    format!("{raw:?} is not an event type; GET /v1/events/types lists them"),
                )
            })
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of `GET /v1/events/types`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EventTypeInfo {
    pub entity: &'static str,
    #[serde(rename = "type")]
    pub event_type: &'static str,
    pub description: &'static str,
}

/// The whole catalogue, in order.
pub fn catalogue() -> Vec<EventTypeInfo> {
    EventType::ALL
        .iter()
        .map(|t| EventTypeInfo {
            entity: "event_type",
            event_type: t.as_str(),
            description: t.description(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_well_formed_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for t in EventType::ALL {
            assert!(seen.insert(t.as_str()), "{t} twice");
            assert_eq!(EventType::parse(t.as_str()).unwrap(), *t);
            let (area, what) = t.as_str().split_once('.').unwrap();
            assert!(!area.is_empty() && !what.is_empty());
            assert!(t
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'));
            assert!(!t.description().is_empty());
        }
        // The seed's Integration Guide handles these two.
        assert!(seen.contains("payment.captured") && seen.contains("refund.processed"));
        assert_eq!(
            EventType::parse("payment.shipped").unwrap_err().field(),
            Some("events")
        );
    }
}
