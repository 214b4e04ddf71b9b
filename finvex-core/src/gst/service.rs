use std::sync::Arc;

use finvex_gst::{calculate, hsn, GstRate};

use super::rules::{self, api_error};
use super::settings::current_settings;
use super::{
    CalculateRequest, Calculation, GstSettings, GstSettingsInput, GstSettingsView, HsnItem, HsnPage,
};
use crate::clock::Clock;
use crate::store::Store;
use crate::{Error, Scope};

/// Default and largest HSN search page.
const HSN_DEFAULT_COUNT: u32 = 10;
const HSN_MAX_SKIP: u32 = 100_000;

/// Tax calculation, HSN/SAC lookup and the merchant's GST settings.
pub struct GstService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl GstService {
    /// Also loads the HSN/SAC master so the first lookup is fast.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        hsn::warm_up();
        GstService { store, clock }
    }

    /// `GET /v1/gst/settings`.
    pub async fn settings(&self, scope: &Scope) -> Result<GstSettingsView, Error> {
        let stored = self.store.gst_settings(scope).await?;
        let updated_at = stored.as_ref().map(|(_, at)| *at);
        Ok(GstSettingsView {
            entity: "gst_settings",
            mode: scope.mode,
            settings: stored.map(|(s, _)| s).unwrap_or_default(),
            updated_at,
        })
    }

    /// `PUT /v1/gst/settings`: replaces the settings after checking each field.
    pub async fn set_settings(
        &self,
        scope: &Scope,
        input: &GstSettingsInput,
    ) -> Result<GstSettingsView, Error> {
        let settings = GstSettings::parse(input)?;
        let now = self.clock.now().unix_secs();
        self.store.set_gst_settings(scope, &settings, now).await?;
        Ok(GstSettingsView {
            entity: "gst_settings",
            mode: scope.mode,
            settings,
            updated_at: Some(now),
        })
    }

    /// The merchant's default GST rate (18% until the merchant sets another).
    pub async fn default_rate(&self, scope: &Scope) -> Result<GstRate, Error> {
        Ok(current_settings(self.store.as_ref(), scope)
            .await?
            .default_rate)
    }

    pub async fn calculate(
        &self,
        scope: &Scope,
        req: &CalculateRequest,
    ) -> Result<Calculation, Error> {
        let (supply, rate_source, single) =
            rules::calculation_supply(req, self.default_rate(scope).await?)?;
        let breakup = calculate(&supply).map_err(|e| api_error(e, single))?;
        Ok(Calculation {
            entity: "gst_calculation",
            rate_source,
            breakup,
        })
    }

    pub fn hsn_lookup(
        &self,
        query: &str,
        count: Option<u32>,
        skip: Option<u32>,
    ) -> Result<HsnPage, Error> {
        let count = count.unwrap_or(HSN_DEFAULT_COUNT);
        if !(1..=hsn::MAX_PAGE_SIZE as u32).contains(&count) {
            return Err(Error::validation(
                "count",
                format!("count must be between 1 and {}", hsn::MAX_PAGE_SIZE),
            ));
        }
        let skip = skip.unwrap_or(0);
        if skip > HSN_MAX_SKIP {
            return Err(Error::validation(
                "skip",
                format!("skip must be at most {HSN_MAX_SKIP}"),
            ));
        }
        let page = hsn::search(query, skip as usize, count as usize)?;
        let items: Vec<HsnItem> = page
            .results
            .into_iter()
            .map(|m| HsnItem {
                code: m.code,
                description: m.description,
                kind: m.kind,
            })
            .collect();
        Ok(HsnPage {
            entity: "collection".into(),
            count: items.len(),
            total: page.total,
            items,
        })
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::gst::testing;

    #[tokio::test]
    async fn calculation_serialises_flat_with_exact_rates() {
        let (store, clock, scope) = testing::fixture().await;
        let gst = GstService::new(store, clock);
        let calc = gst
            .calculate(
                &scope,
                &CalculateRequest {
                    amount: Some(100_000),
                    seller_state: Some("KA".into()),
                    buyer_state: Some("KA".into()),
                    ..CalculateRequest::default()
                },
            )
            .await
            .unwrap();
        let json = serde_json::to_string(&calc).unwrap();
        assert!(
            json.contains("\"rate_source\":\"merchant_default\""),
            "{json}"
        );
        assert!(json.contains("\"cgst_rate\":9,"), "{json}");
        assert!(json.contains("\"cgst_paise\":9000,"), "{json}");
    }
}
