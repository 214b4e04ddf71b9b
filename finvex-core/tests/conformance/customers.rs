//! Customers: unique contacts per tenant, lookups, and find-or-create races.

use super::*;
use finvex_core::customers::{CustomerStore, CustomersService, NewCustomer};

fn service(store: &SqlStore) -> Arc<CustomersService> {
    Arc::new(CustomersService::new(
        Arc::new(store.clone()),
        Arc::new(ManualClock::new(Timestamp::from_unix_secs(1_775_802_600))),
    ))
}

fn by_email(email: &str) -> NewCustomer {
    NewCustomer {
        email: Some(email.into()),
        ..Default::default()
    }
}

conformance!(
    customers_are_unique_per_contact_within_their_scope,
    |store: SqlStore| async move {
        let customers = service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let asha = customers
            .create(
                &scope,
                &NewCustomer {
                    name: Some("Asha".into()),
                    phone: Some("+919876543210".into()),
                    ..by_email("asha@example.in")
                },
            )
            .await
            .unwrap();
        let stored = store.customer_by_id(&scope, &asha.id).await.unwrap();
        assert_eq!(
            stored.as_ref(),
            Some(&asha),
            "everything written reads back"
        );
        let err = customers
            .create(&scope, &by_email("ASHA@example.in"))
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("email"), "{err}");
        let err = customers
            .create(
                &scope,
                &NewCustomer {
                    phone: Some("9876543210".into()),
                    ..by_email("other@example.in")
                },
            )
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("phone"), "{err}");
        // The same contact in live mode and at another merchant is another customer.
        let live = Scope::new(scope.merchant_id.clone(), Mode::Live);
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        for elsewhere in [&live, &other] {
            assert!(store
                .customer_by_id(elsewhere, &asha.id)
                .await
                .unwrap()
                .is_none());
            let twin = customers
                .create(elsewhere, &by_email("asha@example.in"))
                .await
                .unwrap();
            assert_ne!(twin.id, asha.id);
        }
        let page = customers
            .list(
                &scope,
                Some("Asha@Example.in"),
                None,
                &ListParams::default(),
            )
            .await
            .unwrap();
        assert_eq!(page.items, vec![asha]);
    }
);

conformance!(
    customers_found_or_created_concurrently_are_one,
    |store: SqlStore| async move {
        let customers = service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (customers, scope) = (customers.clone(), scope.clone());
                tokio::spawn(async move {
                    customers
                        .find_or_create(&scope, &by_email("race@example.in"))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(task.await.unwrap().id);
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "one customer: {ids:?}");
    }
);
