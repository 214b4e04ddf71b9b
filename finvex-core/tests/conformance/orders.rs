//! Orders, payments and refunds: reservations, the reconciler, the order hot-path batch.

use super::*;

conformance!(
    concurrent_refund_reservations_never_exceed_the_capture,
    |store: SqlStore| async move {
        use finvex_core::orders::{OrderStore, RefundStatus};
        use finvex_core::payments::state::PaymentStatus;
        let merchant = new_merchant(&store).await;
        let scope = Scope::new(merchant.id.clone(), Mode::Test);
        let payment = orders_fixture::captured_payment(&store, &scope, 10_000).await;
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (store, scope, refund) = (
                    store.clone(),
                    scope.clone(),
                    orders_fixture::refund(&payment, 1_000),
                );
                tokio::spawn(async move {
                    (
                        store.reserve_refund(&scope, &refund, None).await.unwrap(),
                        refund,
                    )
                })
            })
            .collect();
        let mut reserved = Vec::new();
        for task in tasks {
            let (ok, refund) = task.await.unwrap();
            if ok {
                reserved.push(refund);
            }
        }
        assert_eq!(reserved.len(), 10);
        // One fails at the provider: its reservation is released for another refund.
        let failed = finvex_core::orders::Refund {
            status: RefundStatus::Failed,
            ..reserved.pop().unwrap()
        };
        assert!(store.finish_refund(&scope, &failed, &[]).await.unwrap());
        assert!(
            !store.finish_refund(&scope, &failed, &[]).await.unwrap(),
            "a refund finishes once"
        );
        for refund in &reserved {
            let processed = finvex_core::orders::Refund {
                status: RefundStatus::Processed,
                ..refund.clone()
            };
            assert!(store.finish_refund(&scope, &processed, &[]).await.unwrap());
        }
        let after = store.payment(&scope, &payment.id).await.unwrap().unwrap();
        assert_eq!(
            (after.status, after.amount_refunded.minor()),
            (PaymentStatus::PartiallyRefunded, 9_000)
        );
        let last = orders_fixture::refund(&payment, 1_000);
        assert!(store.reserve_refund(&scope, &last, None).await.unwrap());
        assert!(!store
            .reserve_refund(&scope, &orders_fixture::refund(&payment, 1), None)
            .await
            .unwrap());
        let processed = finvex_core::orders::Refund {
            status: RefundStatus::Processed,
            ..last
        };
        store.finish_refund(&scope, &processed, &[]).await.unwrap();
        assert_eq!(
            store
                .payment(&scope, &payment.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            PaymentStatus::Refunded
        );
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        assert!(store.payment(&other, &payment.id).await.unwrap().is_none());
        assert!(
            !store
                .reserve_refund(&other, &orders_fixture::refund(&payment, 1), None)
                .await
                .unwrap(),
            "tenants cannot refund each other's payments"
        );
    }
);

conformance!(
    the_reconciler_finds_what_is_due_in_every_tenant,
    |store: SqlStore| async move {
        use finvex_core::orders::{CheckTarget, DueWindow, OrderStore};
        let a = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let b = Scope::new(new_merchant(&store).await.id, Mode::Live);
        let old = orders_fixture::unpaid_order(&store, &a, 1_000, 5_000).await;
        let young = orders_fixture::unpaid_order(&store, &b, 1_000, 9_990).await;
        let other = orders_fixture::unpaid_order(&store, &b, 1_000, 6_000).await;
        let paid = orders_fixture::captured_payment(&store, &a, 2_000).await;
        // The database may hold other tests' tenants: look at these two only.
        let ids = |due: &[(Scope, finvex_core::orders::Order)]| {
            due.iter()
                .filter(|(scope, _)| *scope == a || *scope == b)
                .map(|(scope, o)| (scope.clone(), o.id.clone()))
                .collect::<Vec<_>>()
        };
        // Paid orders and orders outside the age window are never due.
        let due = store
            .orders_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 2_000,
                created_before_secs: 9_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(
            ids(&due),
            [(a.clone(), old.id.clone()), (b.clone(), other.id.clone())]
        );
        assert_eq!(
            store
                .orders_due_for_check(&DueWindow {
                    now_secs: 10_000,
                    created_after_secs: 2_000,
                    created_before_secs: 9_000,
                    limit: 1
                })
                .await
                .unwrap()
                .len(),
            1
        );
        store
            .set_next_check(&a, CheckTarget::Order(&old.id), 10_060)
            .await
            .unwrap();
        // Another tenant's scope cannot reschedule it.
        store
            .set_next_check(&b, CheckTarget::Order(&old.id), 0)
            .await
            .unwrap();
        let due = store
            .orders_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 2_000,
                created_before_secs: 9_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(ids(&due), [(b.clone(), other.id.clone())]);
        let later = store
            .orders_due_for_check(&DueWindow {
                now_secs: 10_060,
                created_after_secs: 2_000,
                created_before_secs: 10_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(
            ids(&later),
            [
                (a.clone(), old.id.clone()),
                (b.clone(), other.id.clone()),
                (b.clone(), young.id.clone())
            ]
        );

        let pending = orders_fixture::refund(&paid, 500);
        assert!(store.reserve_refund(&a, &pending, None).await.unwrap());
        let mine = |due: Vec<(Scope, finvex_core::orders::Refund)>| {
            due.into_iter()
                .filter(|(scope, _)| *scope == a || *scope == b)
                .map(|(scope, r)| (scope, r.id))
                .collect::<Vec<_>>()
        };
        let due = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 0,
                created_before_secs: 10_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(mine(due), [(a.clone(), pending.id.clone())]);
        store
            .set_next_check(&a, CheckTarget::Refund(&pending.id), 10_500)
            .await
            .unwrap();
        let not_yet = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 0,
                created_before_secs: 10_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert!(mine(not_yet).is_empty());
        let due = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_500,
                created_after_secs: 0,
                created_before_secs: 10_500,
                limit: 100,
            })
            .await
            .unwrap();
        assert_eq!(mine(due).len(), 1);
        let too_young = store
            .refunds_due_for_check(&DueWindow {
                now_secs: 10_000,
                created_after_secs: 0,
                created_before_secs: 1_000,
                limit: 100,
            })
            .await
            .unwrap();
        assert!(mine(too_young).is_empty(), "too young");
    }
);

conformance!(
    an_order_and_its_events_fan_out_in_one_batch,
    |store: SqlStore| async move {
        use finvex_core::ids::WebhookEndpointId;
        use finvex_core::webhooks::{EndpointRecord, WebhookEndpoint, WebhookStore};
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let endpoint = |events: &[&str]| EndpointRecord {
            endpoint: WebhookEndpoint {
                id: WebhookEndpointId::generate(),
                entity: "webhook_endpoint".into(),
                url: "https://example.com/hook".into(),
                description: String::new(),
                events: events.iter().map(|e| e.to_string()).collect(),
                status: "enabled".into(),
                mode: Mode::Test,
                created_at: 1,
            },
            secret_sealed: "v1.x".into(),
            previous_secret_sealed: None,
            previous_secret_expires_at: None,
        };
        let all = endpoint(&["*"]);
        let other = endpoint(&["refund.processed"]);
        let gone = endpoint(&["*"]);
        for e in [&all, &other, &gone] {
            assert!(store.insert_endpoint(&scope, e, 16).await.unwrap());
        }
        assert!(store
            .delete_endpoint(&scope, &gone.endpoint.id, 2)
            .await
            .unwrap());
        let deliveries = |id: WebhookEndpointId| {
            let (store, scope) = (store.clone(), scope.clone());
            async move {
                store
                    .list_deliveries(&scope, &id, &ListParams::default())
                    .await
                    .unwrap()
            }
        };
        // An order as the service builds it, with its order.created event.
        let with_event = finvex_core::orders::Order {
            id: finvex_core::ids::OrderId::generate(),
            ..orders_fixture::unpaid_order(&store, &scope, 6_000, 11).await
        };
        use finvex_core::orders::OrderStore;
        let created = [finvex_core::events::NewEvent::new(
            finvex_core::events::EventType::OrderCreated,
            &with_event,
        )
        .unwrap()];
        store
            .insert_order(&scope, &with_event, &created)
            .await
            .unwrap();
        assert_eq!(deliveries(all.endpoint.id.clone()).await.len(), 1);
        assert!(deliveries(other.endpoint.id.clone()).await.is_empty());
        assert!(deliveries(gone.endpoint.id.clone()).await.is_empty());
        // All or nothing: a duplicate order id writes neither it nor its events.
        let err = store
            .insert_order(&scope, &with_event, &created)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
        assert_eq!(deliveries(all.endpoint.id.clone()).await.len(), 1);
    }
);

conformance!(
    a_refund_is_found_by_its_provider_id_only_in_its_own_tenant_and_in_any_from_the_system_store,
    |store: SqlStore| async move {
        use finvex_core::orders::OrderStore;
        let a = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let b = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let paid = orders_fixture::captured_payment(&store, &a, 1_000).await;
        let refund = orders_fixture::refund(&paid, 400);
        assert!(store.reserve_refund(&a, &refund, None).await.unwrap());
        let provider_refund_id = format!("rfnd_{}", refund.id);
        store
            .set_refund_provider_id(&a, &refund.id, &provider_refund_id)
            .await
            .unwrap();

        let mine = store
            .refund_by_provider_id(&a, &provider_refund_id)
            .await
            .unwrap()
            .expect("the tenant's own refund");
        assert_eq!(mine.id, refund.id);
        assert_eq!(
            mine.provider_refund_id.as_deref(),
            Some(provider_refund_id.as_str())
        );
        assert!(store
            .refund_by_provider_id(&b, &provider_refund_id)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .refund_by_provider_id(
                &Scope::new(a.merchant_id.clone(), Mode::Live),
                &provider_refund_id
            )
            .await
            .unwrap()
            .is_none());
        let (owner, found) = store
            .refund_by_provider_refund(&provider_refund_id)
            .await
            .unwrap()
            .expect("the system store finds the tenant");
        assert_eq!((owner, found.id), (a, refund.id));
    }
);

conformance!(
    orders_are_found_by_provider_order_and_routing_round_trips,
    |store: SqlStore| async move {
        use finvex_core::orders::OrderStore;
        use finvex_core::providers::ProviderName;
        use finvex_core::routing::RoutingConfig;
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let order = orders_fixture::unpaid_order(&store, &scope, 5_000, 1_000).await;
        assert_eq!(
            store
                .order_by_provider_order(ProviderName::Sandbox, &order.provider_order_id)
                .await
                .unwrap(),
            Some((scope.clone(), order.id.clone()))
        );
        assert_eq!(
            store
                .order_by_provider_order(ProviderName::Razorpay, &order.provider_order_id)
                .await
                .unwrap(),
            None
        );
        assert_eq!(store.routing_config(&scope).await.unwrap(), None);
        let config = RoutingConfig { rules: vec![] };
        store.set_routing_config(&scope, &config, 7).await.unwrap();
        assert_eq!(store.routing_config(&scope).await.unwrap(), Some(config));
    }
);
