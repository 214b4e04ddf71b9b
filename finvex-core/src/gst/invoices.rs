use std::sync::Arc;

use finvex_gst::einvoice::{
    build_einvoice, financial_year, irn, DocType, EInvoice, FinancialYear, Invoice, InvoiceLine,
    Party, PrecedingDocument,
};
use finvex_gst::{calculate, hsn, resolve, Date, GstRate, Gstin, Supply};

use super::rules::{self, api_error, parse_date, parse_gstin, parse_state};
use super::settings::current_settings;
use super::{
    GstInvoice, GstSettings, InvoiceDraft, InvoiceType, LineInput, NewInvoice, Numbered, RateSource,
};
use crate::clock::Clock;
use crate::ids::{InvoiceId, OrderId, RefundId};
use crate::pagination::{Collection, ListParams};
use crate::store::Store;
use crate::{Error, Scope};

/// GST invoices and credit notes: issuing them (from explicit lines, for a
/// paid order, for a processed refund), reading them, and their INV-01 payload.
pub struct InvoiceService {
    pub(super) store: Arc<dyn Store>,
    pub(super) clock: Arc<dyn Clock>,
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

impl InvoiceService {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        InvoiceService { store, clock }
    }

    /// `POST /v1/gst/invoices`: from explicit lines, for a paid order, or
    /// for a processed refund (a credit note against the order's invoice).
    pub async fn create_invoice(
        &self,
        scope: &Scope,
        req: &NewInvoice,
    ) -> Result<GstInvoice, Error> {
        let settings = current_settings(self.store.as_ref(), scope).await?;
        if req.order_id.is_some() || req.payment_id.is_some() {
            let (explicit, issue) = self.order_invoice_request(scope, req, &settings).await?;
            return self.issue(scope, &explicit, &settings, issue).await;
        }
        if req.refund_id.is_some() {
            let (explicit, issue) = self.refund_credit_note_request(scope, req).await?;
            return self.issue(scope, &explicit, &settings, issue).await;
        }
        rules::refuse_given(
            &[
                ("hsn_code", req.hsn_code.is_some()),
                ("description", req.description.is_some()),
                ("rate", req.rate.is_some()),
            ],
            |field| {
                format!("{field} belongs inside each of lines[] (top level only with order_id or payment_id)")
            },
        )?;
        if req.lines.is_empty() {
            return Err(Error::validation(
                "lines",
                "at least one line is required (or order_id, payment_id or refund_id)",
            ));
        }
        self.issue(scope, req, &settings, Issue::explicit()).await
    }

    /// Builds the document, checks a credit note against what is left to
    /// credit, and stores it under the next number of its series.
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
        let (lines, lines_source) = invoice_lines(&req.lines, settings.default_rate)?;
        let original = self.original(scope, req, &date).await?;
        let fy = financial_year(date);
        let document = match &original {
            Some(orig) => credit_note_document(orig, req, date, lines),
            None => invoice_document(req, settings, issue.round_to_rupee, date, &fy, lines)?,
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
            rate_source: issue.rate_source.unwrap_or(lines_source),
            breakup,
            created_at: now.unix_secs(),
            late_period: rules::month_of(rules::today_in_india(now.unix_millis())?),
        };
        if let Some(orig) = &original {
            check_credit_left(orig, &draft)?;
        }
        let numbering = numbering(req.kind, fy, document);
        let inserted = self
            .store
            .insert_gst_invoice(scope, &draft, &numbering)
            .await;
        source_conflict(&draft, inserted)
    }

    /// The invoice a credit note credits; `None` for an invoice, which may
    /// not name one.
    async fn original(
        &self,
        scope: &Scope,
        req: &NewInvoice,
        date: &Date,
    ) -> Result<Option<GstInvoice>, Error> {
        match req.kind {
            InvoiceType::Invoice if req.original_invoice_id.is_some() => Err(Error::validation(
                "original_invoice_id",
                "only a credit note refers to an original invoice",
            )),
            InvoiceType::Invoice => Ok(None),
            InvoiceType::CreditNote => self.original_for_credit(scope, req, date).await.map(Some),
        }
    }

    /// The invoice named by a credit note's `original_invoice_id`, checked
    /// against the credit note's request.
    async fn original_for_credit(
        &self,
        scope: &Scope,
        req: &NewInvoice,
        date: &Date,
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
        check_against_original(req, &orig, date)?;
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
}

/// The request's lines as document lines (at the merchant's default rate
/// where a line names none), and where their rates came from. Every line
/// needs an HSN/SAC code from the GST master.
pub(super) fn invoice_lines(
    inputs: &[LineInput],
    default_rate: GstRate,
) -> Result<(Vec<InvoiceLine>, RateSource), Error> {
    let (items, source) = rules::line_items(inputs, default_rate, "lines")?;
    let mut lines = Vec::with_capacity(items.len());
    for (i, (item, input)) in items.into_iter().zip(inputs).enumerate() {
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
            treatment: input.treatment.unwrap_or_default(),
        });
    }
    Ok((lines, source))
}

/// A fresh invoice from the request, with the merchant's settings for the
/// seller it does not name. Its number is a placeholder until [`numbering`].
fn invoice_document(
    req: &NewInvoice,
    settings: &GstSettings,
    round_to_rupee: bool,
    date: Date,
    fy: &FinancialYear,
    lines: Vec<InvoiceLine>,
) -> Result<Invoice, Error> {
    let seller_gstin = seller_gstin(req, settings)?;
    let buyer_gstin = rules::opt("buyer_gstin", req.buyer_gstin.as_deref(), parse_gstin)?;
    let buyer_state = rules::opt("buyer_state", req.buyer_state.as_deref(), parse_state)?;
    let place_of_supply = rules::opt(
        "place_of_supply",
        req.place_of_supply.as_deref(),
        parse_state,
    )?;
    let prices_include_tax = req.tax_inclusive.unwrap_or(false);
    // Resolve the split first so errors name this request's fields.
    let resolution = resolve(&Supply {
        seller_gstin: Some(seller_gstin.clone()),
        seller_state: None,
        buyer_gstin: buyer_gstin.clone(),
        buyer_state,
        place_of_supply,
        supply_type: req.supply_type,
        reverse_charge: req.reverse_charge,
        prices_include_tax,
        round_to_rupee,
        date: Some(date),
        lines: Vec::new(),
    })?;
    let mut buyer = req.buyer.clone().unwrap_or_else(empty_party);
    if buyer.state.is_none() {
        buyer.state = buyer_state;
    }
    let ecommerce_gstin = rules::opt(
        "ecommerce_gstin",
        req.ecommerce_gstin.as_deref(),
        parse_gstin,
    )?;
    if ecommerce_gstin.as_ref() == Some(&seller_gstin) {
        return Err(Error::validation(
            "ecommerce_gstin",
            "the e-commerce operator is not the seller itself",
        ));
    }
    let lut_reference = rules::lut_reference(resolution.supply_type, settings.lut.as_ref(), fy)?;
    Ok(Invoice {
        doc_type: DocType::Invoice,
        number: rules::doc_number(InvoiceType::Invoice, fy, 1)?,
        date,
        supply_type: resolution.supply_type,
        reverse_charge: req.reverse_charge,
        ecommerce_gstin,
        seller_gstin,
        seller: req
            .seller
            .clone()
            .or_else(|| settings.seller.clone())
            .unwrap_or_else(empty_party),
        buyer_gstin,
        buyer,
        place_of_supply,
        prices_include_tax,
        round_to_rupee,
        lines,
        export: req.export.clone(),
        preceding_document: None,
        remarks: req.remarks.clone(),
        lut_reference,
        einvoice_exempt: settings.einvoice_exempt,
        ship_to: req.ship_to.clone(),
    })
}

/// The request's seller GSTIN, or else the merchant's from the settings.
fn seller_gstin(req: &NewInvoice, settings: &GstSettings) -> Result<Gstin, Error> {
    let given = req
        .seller_gstin
        .as_deref()
        .or(settings.seller_gstin.as_deref())
        .ok_or_else(|| {
            Error::validation(
                "seller_gstin",
                "seller_gstin is required: pass it, or set it with PUT /v1/gst/settings",
            )
        })?;
    parse_gstin("seller_gstin", given)
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

/// A credit note: the original's parties and supply, with its own date,
/// lines and remarks, referring to the original as its preceding document.
fn credit_note_document(
    orig: &GstInvoice,
    req: &NewInvoice,
    date: Date,
    lines: Vec<InvoiceLine>,
) -> Invoice {
    Invoice {
        doc_type: DocType::CreditNote,
        date,
        lines,
        remarks: req.remarks.clone(),
        preceding_document: Some(PrecedingDocument {
            number: orig.document.number.clone(),
            date: orig.document.date,
        }),
        ..orig.document.clone()
    }
}

/// A credit note takes its parties and supply from the invoice it credits:
/// its request may not set them, nor name other GSTINs, nor be dated before it.
fn check_against_original(req: &NewInvoice, orig: &GstInvoice, date: &Date) -> Result<(), Error> {
    rules::refuse_given(
        &[
            ("buyer_state", req.buyer_state.is_some()),
            ("place_of_supply", req.place_of_supply.is_some()),
            ("supply_type", req.supply_type.is_some()),
            ("seller", req.seller.is_some()),
            ("buyer", req.buyer.is_some()),
            ("tax_inclusive", req.tax_inclusive.is_some()),
            ("reverse_charge", req.reverse_charge),
        ],
        |field| format!("{field} is taken from the original invoice on a credit note"),
    )?;
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
    Ok(())
}

/// The credit note fits in what is left to credit of the original (as last
/// read; the store checks again in its transaction).
fn check_credit_left(orig: &GstInvoice, draft: &InvoiceDraft) -> Result<(), Error> {
    let taxable = orig.credited_taxable_paise + draft.breakup.taxable_paise;
    let total = orig.credited_total_paise + draft.breakup.total_paise;
    if (draft.bounds_taxable() && taxable > orig.taxable_paise) || total > orig.total_paise {
        return Err(Error::business(
            Some("lines"),
            format!(
                "credit notes against {} would total {} paise (taxable {}), more than the invoice's {} paise (taxable {})",
                orig.number, total, taxable, orig.total_paise, orig.taxable_paise
            ),
        ));
    }
    Ok(())
}

/// Turns the sequence number the store allocates into the document number,
/// the IRN (B2B, SEZ and exports only) and the numbered document.
fn numbering(
    kind: InvoiceType,
    fy: FinancialYear,
    document: Invoice,
) -> impl Fn(i64) -> Result<Numbered, Error> + Send + Sync {
    move |sequence: i64| {
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
    }
}

/// A concurrent request issued this order's invoice or this refund's note
/// first: the unique index's conflict, told in the request's terms.
fn source_conflict(
    draft: &InvoiceDraft,
    inserted: Result<GstInvoice, Error>,
) -> Result<GstInvoice, Error> {
    let source = match (&draft.refund_id, &draft.order_id) {
        (Some(refund), _) => Some(("refund_id", refund.to_string())),
        (None, Some(order)) => Some(("order_id", order.to_string())),
        (None, None) => None,
    };
    match (inserted, source) {
        (Err(Error::Conflict { .. }), Some((field, id))) => Err(Error::conflict(
            field,
            format!("{id} already has a GST document; list them with GET /v1/gst/invoices"),
        )),
        (other, _) => other,
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::gst::testing::{self, b2b, line, BUYER_MH};
    use rust_decimal::Decimal;

    async fn service() -> (InvoiceService, Scope) {
        let (store, clock, scope) = testing::fixture().await;
        (InvoiceService::new(store, clock), scope)
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
}
