use std::collections::BTreeSet;
use std::sync::Arc;

use super::irp::{CancelReason, IrpClient, IrpRecord, CANCEL_WINDOW_SECS, MAX_CANCEL_REMARK_CHARS};

use finvex_gst::einvoice::{
    build_einvoice, financial_year, irn, DocType, EInvoice, Invoice, InvoiceLine, Party,
    PrecedingDocument,
};
use finvex_gst::gstr1::{build_gstr1, to_csv, Gstr1, InvoiceRecord};
use finvex_gst::{calculate, hsn, resolve, GstRate, Gstin, Supply};

use super::rules::{self, api_error, parse_date, parse_gstin, parse_state};
use super::{
    CalculateRequest, Calculation, GstInvoice, GstSettings, GstSettingsInput, GstSettingsView,
    HsnItem, HsnPage, InvoiceDraft, InvoiceType, NewInvoice, Numbered, RateSource,
};
use crate::clock::Clock;
use crate::ids::{InvoiceId, OrderId, RefundId};
use crate::pagination::{Collection, ListParams};
use crate::store::Store;
use crate::{Error, Scope};

/// Default and largest HSN search page.
const HSN_DEFAULT_COUNT: u32 = 10;
const HSN_MAX_SKIP: u32 = 100_000;

pub struct GstService {
    pub(super) store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// The IRP per mode; `None` where no GSP is configured.
    irp_test: Option<Arc<dyn IrpClient>>,
    irp_live: Option<Arc<dyn IrpClient>>,
}

/// How a document is issued beyond its request: what it was issued for, and
/// the rounding an order's exact amount needs.
pub(super) struct Issue {
    pub order_id: Option<OrderId>,
    pub refund_id: Option<RefundId>,
    /// `None`: from the lines (request or merchant default).
    pub rate_source: Option<RateSource>,
    pub round_to_rupee: bool,
}

impl Issue {
    fn explicit() -> Self {
        Issue {
            order_id: None,
            refund_id: None,
            rate_source: None,
            round_to_rupee: true,
        }
    }
}

fn empty_party() -> Party {
    Party {
        legal_name: String::new(),
        trade_name: None,
        address1: String::new(),
        address2: None,
        location: String::new(),
        pin: None,
        state: None,
        phone: None,
        email: None,
    }
}

impl GstService {
    /// Also loads the HSN/SAC master so the first lookup is fast.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        hsn::warm_up();
        GstService {
            store,
            clock,
            irp_test: None,
            irp_live: None,
        }
    }

    /// Sets the IRP clients: test mode usually gets the contract fake; live
    /// mode a real GSP client or none (then submission answers 422).
    pub fn with_irp(
        mut self,
        test: Option<Arc<dyn IrpClient>>,
        live: Option<Arc<dyn IrpClient>>,
    ) -> Self {
        self.irp_test = test;
        self.irp_live = live;
        self
    }

    fn irp_for(&self, scope: &Scope) -> Result<&Arc<dyn IrpClient>, Error> {
        let client = match scope.mode {
            crate::Mode::Test => self.irp_test.as_ref(),
            crate::Mode::Live => self.irp_live.as_ref(),
        };
        client.ok_or_else(|| {
            Error::business(
                None,
                format!("no IRP (GSP) connection is configured for {} mode; e-invoices can be built (?format=einvoice) but not registered", scope.mode),
            )
        })
    }

    /// Registers a B2B/SEZ/export invoice on the IRP and stores the
    /// acknowledgement. Idempotent: an invoice already registered is returned as is.
    pub async fn submit_einvoice(&self, scope: &Scope, id: &str) -> Result<GstInvoice, Error> {
        let invoice = self.get_invoice(scope, id).await?;
        if let Some(record) = &invoice.irp {
            if record.cancelled_at.is_some() {
                return Err(Error::business(None, "this e-invoice was cancelled; a cancelled document number cannot be registered again"));
            }
            return Ok(invoice);
        }
        let expected_irn = invoice.irn.clone().ok_or_else(|| {
            Error::business(
                Some("supply_type"),
                "B2C documents are not reported to the IRP",
            )
        })?;
        let client = self.irp_for(scope)?.clone();
        let einvoice = self.einvoice(scope, id).await?;
        let ack = client.generate_irn(&einvoice).await?;
        if ack.irn != expected_irn {
            return Err(Error::Internal(format!(
                "the IRP returned IRN {} but the document hashes to {expected_irn}",
                ack.irn
            )));
        }
        let record = IrpRecord {
            ack,
            generated_at: self.clock.now().unix_secs(),
            cancelled_at: None,
            cancel_reason: None,
        };
        // Losing the race means another submission stored the same IRN first.
        self.store
            .set_gst_invoice_irp(scope, &invoice.id, None, &record)
            .await?;
        self.get_invoice(scope, id).await
    }

    /// Cancels a registered e-invoice within the IRP's 24-hour window.
    pub async fn cancel_einvoice(
        &self,
        scope: &Scope,
        id: &str,
        reason: CancelReason,
        remark: &str,
    ) -> Result<GstInvoice, Error> {
        let remark = remark.trim();
        if remark.is_empty() || remark.chars().count() > MAX_CANCEL_REMARK_CHARS {
            return Err(Error::validation(
                "remark",
                format!("remark must have 1 to {MAX_CANCEL_REMARK_CHARS} characters"),
            ));
        }
        let invoice = self.get_invoice(scope, id).await?;
        let record = invoice
            .irp
            .clone()
            .ok_or_else(|| Error::business(None, "this invoice has no IRN on the IRP to cancel"))?;
        if record.cancelled_at.is_some() {
            return Ok(invoice);
        }
        let now = self.clock.now().unix_secs();
        if now - record.generated_at > CANCEL_WINDOW_SECS {
            return Err(Error::business(None, "the IRP allows cancellation only within 24 hours of generation; issue a credit note instead"));
        }
        self.irp_for(scope)?
            .cancel_irn(&record.ack.irn, reason, remark)
            .await?;
        let cancelled = IrpRecord {
            cancelled_at: Some(now),
            cancel_reason: Some(reason),
            ..record.clone()
        };
        self.store
            .set_gst_invoice_irp(scope, &invoice.id, Some(&record), &cancelled)
            .await?;
        self.get_invoice(scope, id).await
    }

    /// The merchant's GST settings in this mode (the defaults until set).
    async fn current_settings(&self, scope: &Scope) -> Result<GstSettings, Error> {
        Ok(self
            .store
            .gst_settings(scope)
            .await?
            .map(|(settings, _)| settings)
            .unwrap_or_default())
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
        Ok(self.current_settings(scope).await?.default_rate)
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

    /// `POST /v1/gst/invoices`: from explicit lines, for a paid order, or
    /// for a processed refund (a credit note against the order's invoice).
    pub async fn create_invoice(
        &self,
        scope: &Scope,
        req: &NewInvoice,
    ) -> Result<GstInvoice, Error> {
        let settings = self.current_settings(scope).await?;
        if req.order_id.is_some() || req.payment_id.is_some() {
            let (explicit, issue) = self.order_invoice_request(scope, req, &settings).await?;
            return self.issue(scope, &explicit, &settings, issue).await;
        }
        if req.refund_id.is_some() {
            let (explicit, issue) = self.refund_credit_note_request(scope, req).await?;
            return self.issue(scope, &explicit, &settings, issue).await;
        }
        for (field, given) in [
            ("hsn_code", req.hsn_code.is_some()),
            ("description", req.description.is_some()),
            ("rate", req.rate.is_some()),
        ] {
            if given {
                return Err(Error::validation(
                    field,
                    format!("{field} belongs inside each of lines[] (top level only with order_id or payment_id)"),
                ));
            }
        }
        if req.lines.is_empty() {
            return Err(Error::validation(
                "lines",
                "at least one line is required (or order_id, payment_id or refund_id)",
            ));
        }
        self.issue(scope, req, &settings, Issue::explicit()).await
    }

    async fn issue(
        &self,
        scope: &Scope,
        req: &NewInvoice,
        settings: &GstSettings,
        issue: Issue,
    ) -> Result<GstInvoice, Error> {
        let now = self.clock.now();
        let date = match &req.date {
            Some(d) => parse_date("date", d)?,
            None => rules::today_in_india(now.unix_millis())?,
        };
        let (items, lines_source) = rules::line_items(&req.lines, settings.default_rate, "lines")?;
        let rate_source = issue.rate_source.unwrap_or(lines_source);
        let mut lines = Vec::with_capacity(items.len());
        for (i, (item, input)) in items.into_iter().zip(&req.lines).enumerate() {
            let field = format!("lines[{i}].hsn_code");
            let code = input.hsn_code.clone().ok_or_else(|| {
                Error::validation(
                    field.clone(),
                    "an HSN/SAC code is required on every invoice line",
                )
            })?;
            if !hsn::is_known(&code) {
                return Err(Error::Validation {
                    message: format!("{field}: HSN/SAC code '{code}' is not in the GST master"),
                    field: Some(field.into()),
                });
            }
            lines.push(InvoiceLine {
                description: item.description,
                hsn_code: code,
                is_service: None,
                quantity: item.quantity,
                unit: input.unit.clone(),
                unit_price_paise: item.unit_price_paise,
                discount_paise: item.discount_paise,
                rate: item.rate,
                cess_rate: item.cess_rate,
            });
        }

        let original = match req.kind {
            InvoiceType::Invoice => {
                if req.original_invoice_id.is_some() {
                    return Err(Error::validation(
                        "original_invoice_id",
                        "only a credit note refers to an original invoice",
                    ));
                }
                None
            }
            InvoiceType::CreditNote => Some(self.original_for_credit(scope, req, &date).await?),
        };

        let fy = financial_year(date);
        let mut document = match &original {
            Some(orig) => Invoice {
                doc_type: DocType::CreditNote,
                date,
                lines,
                remarks: req.remarks.clone(),
                preceding_document: Some(PrecedingDocument {
                    number: orig.document.number.clone(),
                    date: orig.document.date,
                }),
                ..orig.document.clone()
            },
            None => {
                let seller_gstin = parse_gstin(
                    "seller_gstin",
                    req.seller_gstin
                        .as_deref()
                        .or(settings.seller_gstin.as_deref())
                        .ok_or_else(|| {
                            Error::validation(
                                "seller_gstin",
                                "seller_gstin is required: pass it, or set it with PUT /v1/gst/settings",
                            )
                        })?,
                )?;
                let buyer_gstin = req
                    .buyer_gstin
                    .as_deref()
                    .map(|g| parse_gstin("buyer_gstin", g))
                    .transpose()?;
                let buyer_state = req
                    .buyer_state
                    .as_deref()
                    .map(|s| parse_state("buyer_state", s))
                    .transpose()?;
                let place_of_supply = req
                    .place_of_supply
                    .as_deref()
                    .map(|s| parse_state("place_of_supply", s))
                    .transpose()?;
                // Resolve the split first so errors name this request's fields.
                let question = Supply {
                    seller_gstin: Some(seller_gstin.clone()),
                    seller_state: None,
                    buyer_gstin: buyer_gstin.clone(),
                    buyer_state,
                    place_of_supply,
                    supply_type: req.supply_type,
                    reverse_charge: req.reverse_charge,
                    prices_include_tax: req.tax_inclusive.unwrap_or(false),
                    round_to_rupee: issue.round_to_rupee,
                    date: Some(date),
                    lines: Vec::new(),
                };
                let resolution = resolve(&question)?;
                let mut buyer = req.buyer.clone().unwrap_or_else(empty_party);
                if buyer.state.is_none() {
                    buyer.state = buyer_state;
                }
                Invoice {
                    doc_type: DocType::Invoice,
                    number: rules::doc_number(InvoiceType::Invoice, &fy, 1)?,
                    date,
                    supply_type: resolution.supply_type,
                    reverse_charge: req.reverse_charge,
                    ecommerce_gstin: None,
                    seller_gstin,
                    seller: req
                        .seller
                        .clone()
                        .or_else(|| settings.seller.clone())
                        .unwrap_or_else(empty_party),
                    buyer_gstin,
                    buyer,
                    place_of_supply,
                    prices_include_tax: req.tax_inclusive.unwrap_or(false),
                    round_to_rupee: issue.round_to_rupee,
                    lines,
                    export: None,
                    preceding_document: None,
                    remarks: req.remarks.clone(),
                }
            }
        };
        document.doc_type = match req.kind {
            InvoiceType::Invoice => DocType::Invoice,
            InvoiceType::CreditNote => DocType::CreditNote,
        };
        let breakup = calculate(&document.to_supply()).map_err(|e| api_error(e, false))?;

        let draft = InvoiceDraft {
            id: InvoiceId::generate(),
            kind: req.kind,
            financial_year: fy.to_string(),
            date: rules::iso_date(date),
            seller_gstin: document.seller_gstin.to_string(),
            buyer_gstin: document.buyer_gstin.as_ref().map(Gstin::to_string),
            supply_type: document.supply_type,
            original_invoice_id: original.as_ref().map(|o| o.id.clone()),
            order_id: issue.order_id,
            refund_id: issue.refund_id,
            rate_source,
            breakup,
            created_at: now.unix_secs(),
        };
        if let Some(orig) = &original {
            let taxable = orig.credited_taxable_paise + draft.breakup.taxable_paise;
            let total = orig.credited_total_paise + draft.breakup.total_paise;
            if (draft.bounds_taxable() && taxable > orig.taxable_paise) || total > orig.total_paise
            {
                return Err(Error::business(
                    Some("lines"),
                    format!(
                        "credit notes against {} would total {} paise (taxable {}), more than the invoice's {} paise (taxable {})",
                        orig.number, total, taxable, orig.total_paise, orig.taxable_paise
                    ),
                ));
            }
        }
        let kind = req.kind;
        let numbering = move |sequence: i64| -> Result<Numbered, Error> {
            let number = rules::doc_number(kind, &fy, sequence)?;
            let mut document = document.clone();
            document.number = number.clone();
            let irn = document
                .supply_type
                .einvoice_code()
                .map(|_| irn(&document.seller_gstin, &fy, document.doc_type, &number));
            Ok(Numbered {
                number: number.to_string(),
                irn,
                document,
            })
        };
        let source = draft
            .refund_id
            .as_ref()
            .map(|id| ("refund_id", id.to_string()))
            .or_else(|| {
                draft
                    .order_id
                    .as_ref()
                    .map(|id| ("order_id", id.to_string()))
            });
        match self
            .store
            .insert_gst_invoice(scope, &draft, &numbering)
            .await
        {
            // A concurrent request issued this order's invoice or this refund's note first.
            Err(Error::Conflict { .. }) if source.is_some() => {
                let (field, id) = source.expect("checked");
                Err(Error::conflict(
                    field,
                    format!("{id} already has a GST document; list them with GET /v1/gst/invoices"),
                ))
            }
            other => other,
        }
    }

    async fn original_for_credit(
        &self,
        scope: &Scope,
        req: &NewInvoice,
        date: &finvex_gst::Date,
    ) -> Result<GstInvoice, Error> {
        let raw = req.original_invoice_id.as_deref().ok_or_else(|| {
            Error::validation(
                "original_invoice_id",
                "a credit note needs the id of the invoice it credits",
            )
        })?;
        let id = InvoiceId::parse(raw)
            .map_err(|e| Error::validation("original_invoice_id", e.to_string()))?;
        let orig = self
            .store
            .gst_invoice_by_id(scope, &id)
            .await?
            .ok_or_else(|| Error::not_found("invoice", raw))?;
        if orig.kind != InvoiceType::Invoice {
            return Err(Error::business(
                Some("original_invoice_id"),
                format!("{raw} is a credit note; credit the invoice itself"),
            ));
        }
        for (field, given) in [
            ("buyer_state", req.buyer_state.is_some()),
            ("place_of_supply", req.place_of_supply.is_some()),
            ("supply_type", req.supply_type.is_some()),
            ("seller", req.seller.is_some()),
            ("buyer", req.buyer.is_some()),
            ("tax_inclusive", req.tax_inclusive.is_some()),
            ("reverse_charge", req.reverse_charge),
        ] {
            if given {
                return Err(Error::validation(
                    field,
                    format!("{field} is taken from the original invoice on a credit note"),
                ));
            }
        }
        for (field, given, stored) in [
            ("seller_gstin", &req.seller_gstin, Some(&orig.seller_gstin)),
            ("buyer_gstin", &req.buyer_gstin, orig.buyer_gstin.as_ref()),
        ] {
            if let Some(given) = given {
                if Some(&given.trim().to_ascii_uppercase()) != stored {
                    return Err(Error::business(
                        Some(field),
                        format!("{field} must match the original invoice's"),
                    ));
                }
            }
        }
        if *date < orig.document.date {
            return Err(Error::business(
                Some("date"),
                format!(
                    "a credit note cannot be dated before its invoice ({})",
                    orig.date
                ),
            ));
        }
        Ok(orig)
    }

    pub async fn get_invoice(&self, scope: &Scope, id: &str) -> Result<GstInvoice, Error> {
        let parsed = InvoiceId::parse(id).map_err(|_| Error::not_found("invoice", id))?;
        self.store
            .gst_invoice_by_id(scope, &parsed)
            .await?
            .ok_or_else(|| Error::not_found("invoice", id))
    }

    pub async fn list_invoices(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Collection<GstInvoice>, Error> {
        Ok(Collection::new(
            self.store.list_gst_invoices(scope, params).await?,
        ))
    }

    /// The INV-01 payload, checked against the schema and IRP rules (422
    /// listing every violation when it would be refused; B2C is never sent).
    pub async fn einvoice(&self, scope: &Scope, id: &str) -> Result<EInvoice, Error> {
        let invoice = self.get_invoice(scope, id).await?;
        if invoice.document.supply_type.einvoice_code().is_none() {
            return Err(Error::business(
                Some("supply_type"),
                "B2C documents are not reported to the IRP; e-invoices cover B2B, SEZ and exports",
            ));
        }
        let doc = build_einvoice(&invoice.document).map_err(|e| Error::BusinessRule {
            field: e.field().map(|f| f.to_string().into()),
            message: e.to_string(),
        })?;
        let violations = finvex_gst::einvoice::validate(&doc);
        if let Some(first) = violations.first() {
            let all: Vec<String> = violations
                .iter()
                .map(|v| format!("{}: {}", v.path, v.message))
                .collect();
            return Err(Error::BusinessRule {
                field: Some(first.path.clone().into()),
                message: format!(
                    "the e-invoice would be refused by the IRP: {}",
                    all.join("; ")
                ),
            });
        }
        Ok(doc)
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
            None => {
                let sellers: BTreeSet<&str> =
                    invoices.iter().map(|i| i.seller_gstin.as_str()).collect();
                match sellers.len() {
                    0 => {
                        return Err(Error::validation(
                            "gstin",
                            format!("there are no GST documents in {key}; pass gstin= to build an empty return"),
                        ))
                    }
                    1 => parse_gstin("gstin", sellers.first().expect("one"))?,
                    _ => {
                        return Err(Error::validation(
                            "gstin",
                            format!(
                                "documents in {key} come from several GSTINs ({}); choose one with gstin=",
                                sellers.into_iter().collect::<Vec<_>>().join(", ")
                            ),
                        ))
                    }
                }
            }
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
            records.push(record);
        }
        build_gstr1(&gstin, period, &records).map_err(|e| Error::BusinessRule {
            field: e.field().map(|f| f.to_string().into()),
            message: e.to_string(),
        })
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
    use crate::clock::{ManualClock, Timestamp};
    use crate::gst::LineInput;
    use crate::ids::MerchantId;
    use crate::merchants::{Merchant, MerchantRecord, MerchantSystemStore, Role};
    use crate::store::SqlStore;
    use crate::types::Email;
    use crate::Mode;
    use rust_decimal::Decimal;

    const SELLER: &str = "29AAFCC9980M1ZR";
    const BUYER_MH: &str = "27AAPFU0939F1ZV";

    async fn service() -> (GstService, Scope) {
        let store = SqlStore::open("sqlite::memory:").await.unwrap();
        let id = MerchantId::generate();
        store
            .insert_merchant(&MerchantRecord {
                merchant: Merchant::new(
                    id.clone(),
                    "T".into(),
                    Email::parse("t@example.com").unwrap(),
                    Role::Merchant,
                    1,
                ),
                password_hash: "x".into(),
            })
            .await
            .unwrap();
        // 2026-04-10 12:00 IST
        let clock = ManualClock::new(Timestamp::from_unix_secs(1_775_802_600));
        (
            GstService::new(Arc::new(store), Arc::new(clock)),
            Scope::new(id, Mode::Test),
        )
    }

    fn line(paise: i64) -> LineInput {
        LineInput {
            hsn_code: Some("998316".into()),
            unit_price: paise,
            ..LineInput::default()
        }
    }

    fn b2b(paise: i64) -> NewInvoice {
        NewInvoice {
            seller_gstin: Some(SELLER.into()),
            buyer_gstin: Some(BUYER_MH.into()),
            lines: vec![line(paise)],
            ..NewInvoice::default()
        }
    }

    #[tokio::test]
    async fn invoices_are_numbered_dated_today_and_carry_an_irn() {
        let (gst, scope) = service().await;
        let first = gst.create_invoice(&scope, &b2b(100_000)).await.unwrap();
        let second = gst.create_invoice(&scope, &b2b(50_000)).await.unwrap();
        assert_eq!(first.number, "FX2627-000001");
        assert_eq!(second.number, "FX2627-000002");
        assert_eq!(first.date, "2026-04-10");
        assert_eq!(first.breakup.igst_paise, 18_000);
        assert_eq!(first.irp_status, "not_submitted");
        assert_eq!(first.irn.as_deref().map(str::len), Some(64));
        let b2c = NewInvoice {
            buyer_gstin: None,
            buyer_state: Some("KA".into()),
            ..b2b(10_000)
        };
        let b2c = gst.create_invoice(&scope, &b2c).await.unwrap();
        assert_eq!(
            (b2c.irn.as_deref(), b2c.irp_status),
            (None, "not_applicable")
        );
        assert_eq!(b2c.breakup.cgst_paise, 900);
    }

    #[tokio::test]
    async fn credit_notes_cannot_exceed_the_invoice() {
        let (gst, scope) = service().await;
        let inv = gst.create_invoice(&scope, &b2b(100_000)).await.unwrap();
        let credit = |paise| NewInvoice {
            kind: InvoiceType::CreditNote,
            original_invoice_id: Some(inv.id.to_string()),
            lines: vec![line(paise)],
            ..NewInvoice::default()
        };
        let note = gst.create_invoice(&scope, &credit(60_000)).await.unwrap();
        assert_eq!(note.number, "CN2627-000001");
        assert_eq!(note.buyer_gstin.as_deref(), Some(BUYER_MH));
        let err = gst
            .create_invoice(&scope, &credit(40_001))
            .await
            .unwrap_err();
        assert_eq!(
            (err.code(), err.field()),
            ("business_rule_violation", Some("lines"))
        );
        // The refused note did not use up a number.
        let rest = gst.create_invoice(&scope, &credit(40_000)).await.unwrap();
        assert_eq!(rest.number, "CN2627-000002");
        let inv = gst.get_invoice(&scope, inv.id.as_str()).await.unwrap();
        assert_eq!(inv.credited_total_paise, inv.total_paise);
    }

    #[tokio::test]
    async fn invoice_input_errors_name_fields() {
        let (gst, scope) = service().await;
        let mut no_hsn = b2b(100);
        no_hsn.lines[0].hsn_code = None;
        let unknown_hsn = NewInvoice {
            lines: vec![LineInput {
                hsn_code: Some("123456".into()),
                ..line(100)
            }],
            ..b2b(100)
        };
        let bad_rate = NewInvoice {
            lines: vec![LineInput {
                rate: Some(Decimal::from(7)),
                ..line(100)
            }],
            ..b2b(100)
        };
        let bad_gstin = NewInvoice {
            buyer_gstin: Some("27AAPFU0939F1ZX".into()),
            ..b2b(100)
        };
        for (req, field) in [
            (no_hsn, "lines[0].hsn_code"),
            (unknown_hsn, "lines[0].hsn_code"),
            (bad_rate, "lines[0].rate"),
            (bad_gstin, "buyer_gstin"),
            (
                NewInvoice {
                    seller_gstin: None,
                    ..b2b(100)
                },
                "seller_gstin",
            ),
        ] {
            let err = gst.create_invoice(&scope, &req).await.unwrap_err();
            assert_eq!((err.code(), err.field()), ("invalid_request", Some(field)));
        }
    }

    #[tokio::test]
    async fn gstr1_totals_the_month() {
        let (gst, scope) = service().await;
        gst.create_invoice(&scope, &b2b(100_000)).await.unwrap();
        gst.create_invoice(&scope, &b2b(50_000)).await.unwrap();
        let g = gst.gstr1(&scope, "2026-04", None).await.unwrap();
        let json = serde_json::to_string(&g).unwrap();
        assert!(json.contains("\"txval\":1500.00"), "{json}");
        assert!(json.contains("\"iamt\":270.00"), "{json}");
        let csv = gstr1_csv(&g);
        assert!(csv.starts_with("# b2b\r\n"), "{csv}");
        let err = gst.gstr1(&scope, "2026-05", None).await.unwrap_err();
        assert_eq!(err.field(), Some("gstin"));
    }

    #[tokio::test]
    async fn calculation_serialises_flat_with_exact_rates() {
        let (gst, scope) = service().await;
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
