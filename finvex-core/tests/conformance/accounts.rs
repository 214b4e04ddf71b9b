//! Merchants' own provider accounts.

use super::*;

conformance!(
    provider_accounts_replace_in_place_within_their_scope,
    |store: SqlStore| async move {
        use finvex_core::providers::accounts::{ProviderAccountStore, StoredAccount};
        use finvex_core::providers::ProviderName;
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let account = |sealed: &str, at: i64| StoredAccount {
            provider: ProviderName::Razorpay,
            public_id: "rzp_test_conformance".into(),
            sealed: sealed.into(),
            created_at: at,
            updated_at: at,
        };
        let first = store
            .put_provider_account(&scope, &account("v1.a", 10))
            .await
            .unwrap();
        assert_eq!(first.created_at, 10);
        let replaced = store
            .put_provider_account(&scope, &account("v1.b", 20))
            .await
            .unwrap();
        assert_eq!(
            (replaced.created_at, replaced.updated_at),
            (10, 20),
            "a replaced account keeps its created_at"
        );
        assert_eq!(
            store.provider_accounts(&scope).await.unwrap(),
            vec![replaced]
        );
        let live = Scope::new(scope.merchant_id.clone(), Mode::Live);
        assert!(store.provider_accounts(&live).await.unwrap().is_empty());
        assert!(!store
            .delete_provider_account(&live, ProviderName::Razorpay)
            .await
            .unwrap());
        assert!(store
            .delete_provider_account(&scope, ProviderName::Razorpay)
            .await
            .unwrap());
        assert!(store.provider_accounts(&scope).await.unwrap().is_empty());
    }
);

conformance!(
    own_database the_settlement_worker_finds_every_scope_with_an_account,
    |store: SqlStore| async move {
        use finvex_core::providers::accounts::{ProviderAccountStore, StoredAccount};
        use finvex_core::providers::ProviderName;
        use finvex_core::settlements::SettlementSystemStore;
        let merchant = new_merchant(&store).await.id;
        let scopes = [Mode::Test, Mode::Live].map(|mode| Scope::new(merchant.clone(), mode));
        for (scope, provider) in scopes.iter().zip([ProviderName::Razorpay, ProviderName::Cashfree]) {
            let account = StoredAccount {
                provider,
                public_id: "conformance".into(),
                sealed: "v1.a".into(),
                created_at: 1,
                updated_at: 1,
            };
            store.put_provider_account(scope, &account).await.unwrap();
        }
        // Two providers in one scope still make one scope.
        let again = StoredAccount {
            provider: ProviderName::Sandbox,
            public_id: "conformance".into(),
            sealed: "v1.b".into(),
            created_at: 1,
            updated_at: 1,
        };
        store.put_provider_account(&scopes[0], &again).await.unwrap();
        // Ordered by merchant, then mode: "live" before "test".
        assert_eq!(
            store.scopes_with_provider_accounts(10).await.unwrap(),
            vec![scopes[1].clone(), scopes[0].clone()]
        );
        assert_eq!(
            store.scopes_with_provider_accounts(1).await.unwrap(),
            vec![scopes[1].clone()]
        );
    }
);
