use std::sync::Arc;

use super::rules::parse_customer;
use super::{Customer, CustomerFilter, NewCustomer, ValidCustomer};
use crate::clock::Clock;
use crate::ids::CustomerId;
use crate::pagination::{Collection, ListParams};
use crate::store::Store;
use crate::types::{Email, Phone};
use crate::{Error, Scope};

/// A merchant's customers.
pub struct CustomersService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl CustomersService {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        CustomersService { store, clock }
    }

    /// `POST /v1/customers`; an email or phone already taken is 409.
    pub async fn create(&self, scope: &Scope, req: &NewCustomer) -> Result<Customer, Error> {
        let valid = parse_customer(req)?;
        self.store
            .insert_customer(
                scope,
                &CustomerId::generate(),
                &valid,
                self.clock.now().unix_secs(),
            )
            .await
    }

    pub async fn get(&self, scope: &Scope, id: &str) -> Result<Customer, Error> {
        let parsed = CustomerId::parse(id).map_err(|_| Error::not_found("customer", id))?;
        self.store
            .customer_by_id(scope, &parsed)
            .await?
            .ok_or_else(|| Error::not_found("customer", id))
    }

    /// `GET /v1/customers[?email=&phone=]`, newest first.
    pub async fn list(
        &self,
        scope: &Scope,
        email: Option<&str>,
        phone: Option<&str>,
        params: &ListParams,
    ) -> Result<Collection<Customer>, Error> {
        let filter = CustomerFilter {
            email: email.map(Email::parse).transpose()?,
            phone: phone.map(Phone::parse).transpose()?,
        };
        let items = self.store.list_customers(scope, &filter, params).await?;
        Ok(Collection::new(items))
    }

    /// The customer these contact details name, created when there is none
    /// yet: what a subscription or payment link naming only
    /// `customer_email`/`customer_phone` is attached to. Two requests racing
    /// for the same new customer end with one (the loser reads the winner's).
    pub async fn find_or_create(
        &self,
        scope: &Scope,
        req: &NewCustomer,
    ) -> Result<Customer, Error> {
        let valid = parse_customer(req)?;
        if let Some(found) = self.found(scope, &valid).await? {
            return Ok(found);
        }
        let inserted = self
            .store
            .insert_customer(
                scope,
                &CustomerId::generate(),
                &valid,
                self.clock.now().unix_secs(),
            )
            .await;
        match inserted {
            Err(Error::Conflict { .. }) => self
                .found(scope, &valid)
                .await?
                .ok_or_else(|| Error::Internal("a conflicting customer vanished".into())),
            other => other,
        }
    }

    async fn found(&self, scope: &Scope, valid: &ValidCustomer) -> Result<Option<Customer>, Error> {
        self.store
            .customer_by_contact(scope, valid.email.as_ref(), valid.phone.as_ref())
            .await
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::gst::testing;

    #[tokio::test]
    async fn one_customer_per_email_and_phone() {
        let (store, clock, scope) = testing::fixture().await;
        let customers = CustomersService::new(store, clock);
        let asha = customers
            .create(
                &scope,
                &NewCustomer {
                    email: Some("asha@example.in".into()),
                    ..NewCustomer::default()
                },
            )
            .await
            .unwrap();
        let again = customers
            .create(
                &scope,
                &NewCustomer {
                    email: Some("ASHA@Example.in".into()),
                    ..NewCustomer::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(again.field(), Some("email"), "{again}");
        let found = customers
            .find_or_create(
                &scope,
                &NewCustomer {
                    email: Some("Asha@example.IN".into()),
                    ..NewCustomer::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(found.id, asha.id);
        let by_phone = customers
            .find_or_create(
                &scope,
                &NewCustomer {
                    phone: Some("98765 43210".into()),
                    ..NewCustomer::default()
                },
            )
            .await
            .unwrap();
        assert_ne!(by_phone.id, asha.id);
        assert_eq!(by_phone.phone.as_deref(), Some("+919876543210"));
        let listed = customers
            .list(&scope, None, Some("+919876543210"), &ListParams::default())
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 1);
        assert_eq!(
            customers.get(&scope, by_phone.id.as_str()).await.unwrap(),
            by_phone
        );
        assert!(customers.get(&scope, "finvex_cust_nope").await.is_err());
    }
}
