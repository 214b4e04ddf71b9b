//! Settlements synced from providers, within their scope.

use super::*;

conformance!(
    settlements_upsert_by_provider_id_within_their_scope,
    |store: SqlStore| async move {
        use finvex_core::ids::SettlementId;
        use finvex_core::money::{Amount, Currency};
        use finvex_core::providers::ProviderName;
        use finvex_core::settlements::{reconcile, Settlement, SettlementStore};
        let a = Scope::new(new_merchant(&store).await.id, Mode::Live);
        let b = Scope::new(new_merchant(&store).await.id, Mode::Live);
        let settlement = |amount: i64, at: i64| Settlement {
            id: SettlementId::generate(),
            entity: "settlement".into(),
            mode: Mode::Live,
            provider: ProviderName::Razorpay,
            provider_settlement_id: "setl_conformance".into(),
            amount: Amount::from_minor(amount),
            currency: Currency::INR,
            fees: Amount::from_minor(200),
            tax: Amount::from_minor(36),
            utr: Some("UTR1".into()),
            status: "created".into(),
            settled_at: 1_000,
            reconciliation: reconcile(Amount::from_minor(amount), &[]).unwrap(),
            entries: vec![],
            created_at: at,
            updated_at: at,
        };
        let first = store
            .upsert_settlement(&a, &settlement(9_764, 10))
            .await
            .unwrap();
        let mut refreshed = settlement(9_765, 20);
        refreshed.status = "processed".into();
        let again = store.upsert_settlement(&a, &refreshed).await.unwrap();
        assert_eq!(
            (again.id.clone(), again.created_at),
            (first.id.clone(), 10),
            "the same settlement keeps its id"
        );
        assert_eq!(
            (
                again.amount.minor(),
                again.status.as_str(),
                again.updated_at
            ),
            (9_765, "processed", 20)
        );
        // The same provider settlement id in another tenant is another record.
        let theirs = store
            .upsert_settlement(&b, &settlement(1, 30))
            .await
            .unwrap();
        assert_ne!(theirs.id, first.id);
        assert_eq!(
            store.settlement(&a, &first.id).await.unwrap(),
            Some(again.clone())
        );
        assert_eq!(store.settlement(&b, &first.id).await.unwrap(), None);
        let listed = store
            .list_settlements(&a, &ListParams::default())
            .await
            .unwrap();
        assert_eq!(listed, vec![again]);
    }
);
