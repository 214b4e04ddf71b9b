use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use finvex_gst::einvoice::Invoice;
use finvex_gst::gstr1::{
    build_gstr1_with, to_csv, AmendedMonth, Amendment, Gstr1, Gstr1Input, InvoiceRecord,
    OriginalInvoice, ReturnPeriod, ShippingBill, MAX_AMENDED_MONTHS,
};
use finvex_gst::{Gstin, TaxBreakup};

use super::rules::{self, parse_gstin};
use super::{DocVersion, FiledReturn, GstInvoice};
use crate::clock::Clock;
use crate::store::Store;
use crate::{Error, Scope};

/// How often filing rebuilds a return that changed while it was built.
const FILING_ATTEMPTS: usize = 5;

/// The monthly GSTR-1 return from the merchant's stored documents, and
/// filing it.
pub struct Gstr1Service {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

/// `POST /v1/gst/gstr1/filed`: the month named as the seed names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileGstr1 {
    /// `YYYY-MM`; the month must be over (in India).
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}$"))]
    pub month: String,
    /// The seller GSTIN, when the month's documents name several or none.
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub gstin: Option<String>,
}

/// A month marked filed, with the return exactly as filed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Gstr1Filing {
    pub entity: &'static str,
    /// `YYYY-MM`.
    pub month: String,
    #[schemars(with = "finvex_gst::Gstin")]
    pub gstin: String,
    /// Unix seconds.
    pub filed_at: i64,
    pub gstr1: Gstr1,
}

impl Gstr1Service {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Gstr1Service { store, clock }
    }

    /// GSTR-1 for `month` (`YYYY-MM`): as filed, once the month is filed;
    /// else built from the documents reported in it and the corrections
    /// made in it. The return's GSTIN is the seller GSTIN of those
    /// documents; `gstin` chooses one when there are several (or names it
    /// for an empty month).
    pub async fn gstr1(
        &self,
        scope: &Scope,
        month: &str,
        gstin: Option<&str>,
    ) -> Result<Gstr1, Error> {
        let (period, key) = rules::parse_month(month)?;
        let invoices = self.store.gst_invoices_in_period(scope, &key).await?;
        let gstin = self.seller(scope, &invoices, &key, gstin).await?;
        if let Some(filed) = self
            .store
            .gst_filed_return(scope, gstin.as_str(), &key)
            .await?
        {
            return Ok(filed.gstr1);
        }
        self.build(scope, period, &key, &gstin, &invoices).await
    }

    /// Marks `month` filed, keeping its return as it is now: later changes
    /// to its documents are reported as amendments in the month they are made.
    pub async fn file(&self, scope: &Scope, req: &FileGstr1) -> Result<Gstr1Filing, Error> {
        let (period, key) = rules::parse_month(&req.month)?;
        let now = self.clock.now();
        let this_month = rules::month_of(rules::today_in_india(now.unix_millis())?);
        if key >= this_month {
            return Err(Error::business(
                Some("month"),
                format!("{key} is not over yet (today is in {this_month}); a month is filed after it ends"),
            ));
        }
        for _ in 0..FILING_ATTEMPTS {
            let gstin = match req.gstin.as_deref() {
                Some(g) => parse_gstin("gstin", g)?,
                None => {
                    let month = self.store.gst_invoices_in_period(scope, &key).await?;
                    self.seller(scope, &month, &key, None).await?
                }
            };
            // Counted before anything is read: whatever lands in the month
            // after this changes the count, and the filing is built again.
            let before = self
                .store
                .gstr1_fingerprint(scope, gstin.as_str(), &key)
                .await?;
            let invoices = self.store.gst_invoices_in_period(scope, &key).await?;
            let gstr1 = self.build(scope, period, &key, &gstin, &invoices).await?;
            let filing = FiledReturn {
                seller_gstin: gstin.to_string(),
                period: key.clone(),
                gstr1,
                filed_at: now.unix_secs(),
            };
            match self.store.insert_filed_return(scope, &filing, before).await {
                Ok(()) => {
                    return Ok(Gstr1Filing {
                        entity: "gstr1_filing",
                        month: key,
                        gstin: filing.seller_gstin,
                        filed_at: filing.filed_at,
                        gstr1: filing.gstr1,
                    })
                }
                Err(Error::Conflict { message, .. }) if message.contains("changed while") => {
                    continue
                }
                Err(e) => return Err(e),
            }
        }
        Err(Error::conflict(
            "month",
            format!("documents of {key} kept changing while its GSTR-1 was built; try again"),
        ))
    }

    /// The return's GSTIN: the one asked for, else the one seller of the
    /// month's documents and corrections.
    async fn seller(
        &self,
        scope: &Scope,
        invoices: &[GstInvoice],
        key: &str,
        wanted: Option<&str>,
    ) -> Result<Gstin, Error> {
        if let Some(g) = wanted {
            return parse_gstin("gstin", g);
        }
        let mut sellers: BTreeSet<String> =
            invoices.iter().map(|i| i.seller_gstin.clone()).collect();
        sellers.extend(self.store.gst_amendment_sellers(scope, key).await?);
        only_seller(&sellers, key)
    }

    /// The return of an unfiled month from its documents and corrections.
    async fn build(
        &self,
        scope: &Scope,
        period: ReturnPeriod,
        key: &str,
        gstin: &Gstin,
        invoices: &[GstInvoice],
    ) -> Result<Gstr1, Error> {
        let records = self.records(scope, gstin, invoices).await?;
        let (amendments, amended_months) = self.amendments(scope, gstin, key).await?;
        let input = Gstr1Input {
            records: &records,
            amendments: &amendments,
            amended_months: &amended_months,
        };
        build_gstr1_with(gstin, period, &input).map_err(|e| Error::BusinessRule {
            field: e.field().map(|f| f.to_string().into()),
            message: e.to_string(),
        })
    }

    /// The month's documents of `gstin` as GSTR-1 takes them.
    async fn records(
        &self,
        scope: &Scope,
        gstin: &Gstin,
        month: &[GstInvoice],
    ) -> Result<Vec<InvoiceRecord>, Error> {
        let mut records = Vec::new();
        for inv in month.iter().filter(|i| i.seller_gstin == gstin.as_str()) {
            records.push(self.record(scope, inv, month).await?);
        }
        Ok(records)
    }

    /// A stored document as GSTR-1 takes it, with its original invoice.
    async fn record(
        &self,
        scope: &Scope,
        inv: &GstInvoice,
        month: &[GstInvoice],
    ) -> Result<InvoiceRecord, Error> {
        let mut record = record_of(&inv.document, &inv.breakup)
            .map_err(|e| Error::Internal(format!("stored invoice {}: {e}", inv.id)))?;
        record.original = original_basis(self.store.as_ref(), scope, inv, month).await?;
        // An e-invoice whose IRN is cancelled is a cancelled document:
        // counted in Table 13 only.
        record.cancelled = inv.irp_status == "cancelled";
        Ok(record)
    }

    /// The corrections reported in `key` (the latest of each document), and
    /// the months they correct, as they now stand.
    async fn amendments(
        &self,
        scope: &Scope,
        gstin: &Gstin,
        key: &str,
    ) -> Result<(Vec<Amendment>, Vec<AmendedMonth>), Error> {
        let stored = self
            .store
            .gst_amendments_in_period(scope, gstin.as_str(), key)
            .await?;
        let mut latest = BTreeMap::new();
        for a in stored {
            latest.insert(a.invoice_id.clone(), a);
        }
        let mut amendments = Vec::with_capacity(latest.len());
        let mut months = BTreeSet::new();
        for a in latest.values() {
            let (original_period, month) = rules::parse_month(&a.original_period)?;
            let mut original = version_record(&a.original)?;
            let mut previous = version_record(&a.previous)?;
            let mut revised = version_record(&a.revised)?;
            let basis = match self.store.gst_invoice_by_id(scope, &a.invoice_id).await? {
                Some(note) => original_basis(self.store.as_ref(), scope, &note, &[]).await?,
                None => None,
            };
            original.original = basis;
            previous.original = basis;
            revised.original = basis;
            amendments.push(Amendment {
                original_period,
                original,
                previous,
                revised,
            });
            months.insert((original_period, month));
        }
        if months.len() > MAX_AMENDED_MONTHS {
            return Err(Error::business(
                Some("month"),
                format!(
                    "corrections in {key} reach back over more than {MAX_AMENDED_MONTHS} months"
                ),
            ));
        }
        let mut amended_months = Vec::with_capacity(months.len());
        for (period, month) in months {
            let invoices = self.store.gst_invoices_in_period(scope, &month).await?;
            let records = self.records(scope, gstin, &invoices).await?;
            amended_months.push(AmendedMonth { period, records });
        }
        Ok((amendments, amended_months))
    }
}

/// A note's original invoice (in `month`'s documents, else the store's),
/// whose value and date decide where an unregistered note goes; `None` for
/// an invoice.
pub(super) async fn original_basis(
    store: &dyn Store,
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
    Ok(store
        .gst_invoice_by_id(scope, id)
        .await?
        .as_ref()
        .map(basis))
}

/// A document at one version as GSTR-1 takes it: its computed lines with
/// their descriptions, units and treatments, its operator and shipping bill.
pub(super) fn record_of(doc: &Invoice, breakup: &TaxBreakup) -> Result<InvoiceRecord, Error> {
    let mut record = InvoiceRecord::from_breakup(
        doc.doc_type,
        doc.number.clone(),
        doc.date,
        doc.buyer_gstin.clone(),
        breakup,
    )
    .map_err(Error::from)?;
    for (line, input) in record.lines.iter_mut().zip(&doc.lines) {
        line.description = input.description.clone();
        line.uqc = input.unit.clone();
        line.treatment = input.treatment;
    }
    record.ecommerce_gstin = doc.ecommerce_gstin.clone();
    record.shipping_bill = doc.export.as_ref().and_then(|e| {
        Some(ShippingBill {
            port_code: e.port_code.clone(),
            number: e.shipping_bill_no.clone()?,
            date: e.shipping_bill_date?,
        })
    });
    Ok(record)
}

fn version_record(version: &DocVersion) -> Result<InvoiceRecord, Error> {
    record_of(&version.document, &version.breakup)
        .map_err(|e| Error::Internal(format!("stored amendment: {e}")))
}

/// The one seller GSTIN of the month's documents and corrections, when
/// `gstin=` names none.
fn only_seller(sellers: &BTreeSet<String>, key: &str) -> Result<Gstin, Error> {
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
                sellers.iter().cloned().collect::<Vec<_>>().join(", ")
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
        let invoices = InvoiceService::new(store.clone(), clock.clone());
        let returns = Gstr1Service::new(store, clock.clone());
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
