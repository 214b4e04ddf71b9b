//! Customers: one record per person a merchant bills, per mode, found by
//! email or phone, so orders, subscriptions, the portal and dunning share
//! one customer instead of each keeping its own copy of the details.
//!
//! - `rules`: the pure checks of a new customer.
//! - `service`: [`CustomersService`]: create, read, list, and find-or-create
//!   from the contact details a request names.
//! - `sql`: [`CustomerStore`] on the SQL store.

pub mod rules;
mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use service::CustomersService;

use crate::ids::CustomerId;
use crate::pagination::ListParams;
use crate::types::{Email, Phone};
use crate::{Error, Mode, Scope};

/// `POST /v1/customers`: at least an email or a phone number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// At most 100 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// Unique among the merchant's customers in this mode (compared case-insensitively).
    #[serde(default)]
    pub email: Option<String>,
    /// An Indian mobile number (`+919876543210`, `9876543210`); unique in this mode.
    #[serde(default)]
    pub phone: Option<String>,
    /// Up to 15 keys, each key and value at most 256 characters.
    #[serde(default)]
    pub notes: Option<BTreeMap<String, String>>,
}

/// A customer as checked, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCustomer {
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub notes: BTreeMap<String, String>,
}

/// A stored customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Customer {
    pub id: CustomerId,
    pub entity: &'static str,
    pub mode: Mode,
    pub name: Option<String>,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub notes: BTreeMap<String, String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// `GET /v1/customers` filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// Inserts the customer; an email or phone number another customer of
    /// this merchant and mode already has is a Conflict naming the field.
    async fn insert_customer(
        &self,
        scope: &Scope,
        id: &CustomerId,
        customer: &ValidCustomer,
        now_secs: i64,
    ) -> Result<Customer, Error>;
    async fn customer_by_id(
        &self,
        scope: &Scope,
        id: &CustomerId,
    ) -> Result<Option<Customer>, Error>;
    /// The customer with this email (case-insensitively), else this phone.
    async fn customer_by_contact(
        &self,
        scope: &Scope,
        email: Option<&Email>,
        phone: Option<&Phone>,
    ) -> Result<Option<Customer>, Error>;
    async fn list_customers(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        params: &ListParams,
    ) -> Result<Vec<Customer>, Error>;
}
