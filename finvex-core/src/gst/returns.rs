use std::collections::BTreeSet;
use std::sync::Arc;

use finvex_gst::gstr1::{build_gstr1, to_csv, Gstr1, InvoiceRecord, OriginalInvoice};
use finvex_gst::Gstin;

use super::rules::{self, parse_gstin};
use super::GstInvoice;
use crate::store::Store;
use crate::{Error, Scope};

/// The monthly GSTR-1 return from the merchant's stored documents.
pub struct Gstr1Service {
    store: Arc<dyn Store>,
}

impl Gstr1Service {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Gstr1Service { store }
    }

    /// GSTR-1 for `month` (`YYYY-MM`) from this merchant's stored documents.
    /// The return's GSTIN is the seller GSTIN of those documents; `gstin`
    /// chooses one when there are several (or names it for an empty month).
    pub async fn gstr1(
        &self,
        scope: &Scope,
        month: &str,
        gstin: Option<&str>,
    ) -> Result<Gstr1, Error> {
        let (period, key) = rules::parse_month(month)?;
        let wanted = gstin.map(|g| parse_gstin("gstin", g)).transpose()?;
        let invoices = self.store.gst_invoices_in_period(scope, &key).await?;
        let gstin = match wanted {
            Some(g) => g,
            None => only_seller(&invoices, &key)?,
        };
        let mut records = Vec::new();
        for inv in invoices.iter().filter(|i| i.seller_gstin == gstin.as_str()) {
            let doc = &inv.document;
            let mut record = InvoiceRecord::from_breakup(
                doc.doc_type,
                doc.number.clone(),
                doc.date,
                doc.buyer_gstin.clone(),
                &inv.breakup,
            )
            .map_err(|e| Error::Internal(format!("stored invoice {}: {e}", inv.id)))?;
            for (line, input) in record.lines.iter_mut().zip(&doc.lines) {
                line.description = input.description.clone();
                line.uqc = input.unit.clone();
            }
            record.original = self.original_of(scope, inv, &invoices).await?;
            records.push(record);
        }
        build_gstr1(&gstin, period, &records).map_err(|e| Error::BusinessRule {
            field: e.field().map(|f| f.to_string().into()),
            message: e.to_string(),
        })
    }

    /// A note's original invoice (in this month's documents, else the
    /// store's), whose value and date decide where an unregistered note goes.
    async fn original_of(
        &self,
        scope: &Scope,
        note: &GstInvoice,
        month: &[GstInvoice],
    ) -> Result<Option<OriginalInvoice>, Error> {
        let Some(id) = &note.original_invoice_id else {
            return Ok(None);
        };
        let basis = |o: &GstInvoice| OriginalInvoice {
            value_paise: o.total_paise,
            date: o.document.date,
        };
        if let Some(found) = month.iter().find(|i| i.id == *id) {
            return Ok(Some(basis(found)));
        }
        Ok(self
            .store
            .gst_invoice_by_id(scope, id)
            .await?
            .as_ref()
            .map(basis))
    }
}

/// The one seller GSTIN of the month's documents, when `gstin=` names none.
fn only_seller(invoices: &[GstInvoice], key: &str) -> Result<Gstin, Error> {
    let sellers: BTreeSet<&str> = invoices.iter().map(|i| i.seller_gstin.as_str()).collect();
    match sellers.len() {
        0 => Err(Error::validation(
            "gstin",
            format!("there are no GST documents in {key}; pass gstin= to build an empty return"),
        )),
        1 => parse_gstin("gstin", sellers.first().expect("one")),
        _ => Err(Error::validation(
            "gstin",
            format!(
                "documents in {key} come from several GSTINs ({}); choose one with gstin=",
                sellers.into_iter().collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Every non-empty GSTR-1 table as CSV, each under a `# <table>` header line.
pub fn gstr1_csv(g: &Gstr1) -> String {
    let mut out = String::new();
    for section in to_csv(g) {
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        out.push_str("# ");
        out.push_str(&section.name);
        out.push_str("\r\n");
        out.push_str(&section.content);
    }
    out
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::gst::testing::{self, b2b};
    use crate::gst::InvoiceService;

    #[tokio::test]
    async fn gstr1_totals_the_month() {
        let (store, clock, scope) = testing::fixture().await;
        let invoices = InvoiceService::new(store.clone(), clock);
        let returns = Gstr1Service::new(store);
        invoices
            .create_invoice(&scope, &b2b(100_000))
            .await
            .unwrap();
        invoices.create_invoice(&scope, &b2b(50_000)).await.unwrap();
        let g = returns.gstr1(&scope, "2026-04", None).await.unwrap();
        let json = serde_json::to_string(&g).unwrap();
        assert!(json.contains("\"txval\":1500.00"), "{json}");
        assert!(json.contains("\"iamt\":270.00"), "{json}");
        let csv = gstr1_csv(&g);
        assert!(csv.starts_with("# b2b\r\n"), "{csv}");
        let err = returns.gstr1(&scope, "2026-05", None).await.unwrap_err();
        assert_eq!(err.field(), Some("gstin"));
    }
}
