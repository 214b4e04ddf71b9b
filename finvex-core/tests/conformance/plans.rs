//! Plans: stored as made, listed by status, archived once, scoped.

use super::*;
use finvex_core::plans::{NewPlan, PlanStatus, PlanStore, PlansService};

fn seed_plan() -> NewPlan {
    serde_json::from_value(serde_json::json!({
        "name": "Pro", "amount": 99900, "interval": "monthly",
        "gst": {"rate": 18, "hsn_code": "998314", "tax_inclusive": false},
        "notes": {"tier": "2"}
    }))
    .unwrap()
}

conformance!(
    plans_round_trip_archive_once_and_stay_in_their_scope,
    |store: SqlStore| async move {
        let clock = Arc::new(ManualClock::new(Timestamp::from_unix_secs(1_775_802_600)));
        let plans = PlansService::new(Arc::new(store.clone()), clock.clone());
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let pro = plans.create(&scope, &seed_plan()).await.unwrap();
        let stored = store.plan_by_id(&scope, &pro.id).await.unwrap();
        assert_eq!(stored.as_ref(), Some(&pro), "everything written reads back");
        assert_eq!(pro.gst.rate.map(|r| r.basis_points()), Some(1800));
        clock.advance_secs(60);
        let archived = plans.archive(&scope, pro.id.as_str()).await.unwrap();
        assert_eq!(archived.status, PlanStatus::Archived);
        let archived_at = archived.archived_at.unwrap();
        clock.advance_secs(60);
        let again = plans.archive(&scope, pro.id.as_str()).await.unwrap();
        assert_eq!(
            again.archived_at,
            Some(archived_at),
            "the first archive is kept"
        );
        let err = plans
            .subscribable(&scope, pro.id.as_str())
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("plan_id"), "{err}");

        let basic = plans.create(&scope, &seed_plan()).await.unwrap();
        let active = plans
            .list(&scope, Some("active"), &ListParams::default())
            .await
            .unwrap();
        assert_eq!(active.items, vec![basic.clone()]);
        let all = plans
            .list(&scope, None, &ListParams::default())
            .await
            .unwrap();
        assert_eq!(all.items.len(), 2);

        let live = Scope::new(scope.merchant_id.clone(), Mode::Live);
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        for elsewhere in [&live, &other] {
            assert!(store
                .plan_by_id(elsewhere, &basic.id)
                .await
                .unwrap()
                .is_none());
            assert!(store
                .archive_plan(elsewhere, &basic.id, 1)
                .await
                .unwrap()
                .is_none());
            let err = plans
                .subscribable(elsewhere, basic.id.as_str())
                .await
                .unwrap_err();
            assert_eq!(err.field(), Some("plan_id"));
        }
        assert_eq!(
            plans
                .subscribable(&scope, basic.id.as_str())
                .await
                .unwrap()
                .id,
            basic.id
        );
    }
);
