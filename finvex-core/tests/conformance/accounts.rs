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
