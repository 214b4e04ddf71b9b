//! Events: the record of every state change, written in the same transaction
//! as the change (transactional outbox) and fanned out to webhook endpoints.

mod catalogue;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) mod sql;

pub use catalogue::{catalogue, EventType, EventTypeInfo};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::ids::EventId;
use crate::pagination::ListParams;
use crate::{Error, Mode, Scope};

/// An event about to be written with the change that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_type: String,
    pub data: serde_json::Value,
}

impl NewEvent {
    pub fn new(event_type: EventType, data: impl Serialize) -> Result<NewEvent, Error> {
        Ok(NewEvent {
            event_type: event_type.as_str().to_string(),
            data: serde_json::to_value(data)
                .map_err(|e| Error::Internal(format!("event data: {e}")))?,
        })
    }
}

/// The payload merchants receive, field for field: `event.event`, `event.data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Event {
    pub id: EventId,
    pub event: String,
    /// Unix seconds; inside the signed body so receivers can reject replays.
    pub created_at: i64,
    pub mode: Mode,
    pub data: serde_json::Value,
}

impl Event {
    pub fn from_new(new: &NewEvent, mode: Mode, created_at: i64) -> Event {
        Event {
            id: EventId::generate(),
            event: new.event_type.clone(),
            created_at,
            mode,
            data: new.data.clone(),
        }
    }

    /// The exact bytes that are stored, signed and sent.
    pub fn payload(&self) -> Result<String, Error> {
        serde_json::to_string(self).map_err(|e| Error::Internal(format!("event payload: {e}")))
    }
}

/// Matches an endpoint's subscription (`["*"]` or a list of event names).
pub fn subscribed(subscriptions: &[String], event_type: &str) -> bool {
    subscriptions.iter().any(|s| s == "*" || s == event_type)
}

#[async_trait]
pub trait EventStore: Send + Sync {
    async fn list_events(&self, scope: &Scope, params: &ListParams) -> Result<Vec<Event>, Error>;
    async fn event_by_id(&self, scope: &Scope, id: &EventId) -> Result<Option<Event>, Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_has_the_documented_shape() {
        let event = Event::from_new(
            &NewEvent::new(
                EventType::PaymentCaptured,
                serde_json::json!({"amount": 50000}),
            )
            .unwrap(),
            Mode::Test,
            1_700_000_000,
        );
        let json: serde_json::Value = serde_json::from_str(&event.payload().unwrap()).unwrap();
        assert_eq!(json["event"], "payment.captured");
        assert_eq!(json["mode"], "test");
        assert_eq!(json["created_at"], 1_700_000_000);
        assert_eq!(json["data"]["amount"], 50000);
        assert!(json["id"].as_str().unwrap().starts_with("evt_"));
    }

    #[test]
    fn subscriptions_match_exactly_or_by_star() {
        let subs = vec!["payment.captured".to_string()];
        assert!(subscribed(&subs, "payment.captured"));
        assert!(!subscribed(&subs, "payment.failed"));
        assert!(subscribed(&["*".to_string()], "anything"));
    }
}
