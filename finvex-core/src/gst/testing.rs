//! What the unit tests of the GST services share: an in-memory store with one
//! merchant, a clock on a fixed day, and B2B invoice requests.

use std::sync::Arc;

use super::{LineInput, NewInvoice};
use crate::clock::{Clock, ManualClock, Timestamp};
use crate::ids::MerchantId;
use crate::merchants::{Merchant, MerchantRecord, MerchantSystemStore, Role};
use crate::store::{SqlStore, Store};
use crate::types::Email;
use crate::{Mode, Scope};

pub const SELLER: &str = "29AAFCC9980M1ZR";
pub const BUYER_MH: &str = "27AAPFU0939F1ZV";

/// A fresh store with one merchant, its test-mode scope, and a clock at
/// 2026-04-10 12:00 IST.
pub async fn fixture() -> (Arc<dyn Store>, Arc<dyn Clock>, Scope) {
    let (store, clock, scope) = fixture_with_clock().await;
    (store, clock, scope)
}

/// [`fixture`] with a clock the test can move.
pub async fn fixture_with_clock() -> (Arc<dyn Store>, Arc<ManualClock>, Scope) {
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let id = MerchantId::generate();
    store
        .insert_merchant(&MerchantRecord {
            merchant: Merchant::new(
                id.clone(),
                "T".into(),
                Email::parse("t@example.com").unwrap(),
                Role::Merchant,
                1,
            ),
            password_hash: "x".into(),
        })
        .await
        .unwrap();
    let clock = ManualClock::new(Timestamp::from_unix_secs(1_775_802_600));
    (Arc::new(store), Arc::new(clock), Scope::new(id, Mode::Test))
}

/// One SAC 998316 line of `paise`.
pub fn line(paise: i64) -> LineInput {
    LineInput {
        hsn_code: Some("998316".into()),
        unit_price: paise,
        ..LineInput::default()
    }
}

/// A Karnataka seller's invoice of one line to a Maharashtra business.
pub fn b2b(paise: i64) -> NewInvoice {
    NewInvoice {
        seller_gstin: Some(SELLER.into()),
        buyer_gstin: Some(BUYER_MH.into()),
        lines: vec![line(paise)],
        ..NewInvoice::default()
    }
}
