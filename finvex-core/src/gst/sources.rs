//! GST documents for payments: the invoice for a paid order and the credit
//! note for a processed refund, turned into the explicit request the rest of
//! invoicing takes. An order's amount is what the customer paid, so its
//! invoice is tax-inclusive and not rounded to the rupee: the document's
//! total is the amount paid to the paisa.

use finvex_gst::einvoice::Party;

use super::invoices::{InvoiceService, Issue};
use super::rules;
use super::{GstInvoice, GstSettings, InvoiceType, LineInput, NewInvoice, RateSource};
use crate::ids::{OrderId, PaymentId, RefundId};
use crate::money::Currency;
use crate::orders::{Order, Refund, RefundStatus};
use crate::payments::state::OrderStatus;
use crate::{Error, Scope};

/// Fields that only make sense on explicit documents, not on one made from a payment.
fn reject_explicit(req: &NewInvoice, from: &str) -> Result<(), Error> {
    if !req.lines.is_empty() {
        return Err(Error::validation(
            "lines",
            format!("a document for {from} takes its line from it; omit lines"),
        ));
    }
    if req.original_invoice_id.is_some() {
        return Err(Error::validation(
            "original_invoice_id",
            format!("a document for {from} finds its invoice itself; omit original_invoice_id"),
        ));
    }
    Ok(())
}

/// The buyer as the order's customer describes them, unless the request says more.
fn buyer_from_order(req: &NewInvoice, customer: &crate::providers::CustomerDetails) -> Party {
    req.buyer.clone().unwrap_or_else(|| Party {
        legal_name: customer.name.clone().unwrap_or_default(),
        trade_name: None,
        address1: String::new(),
        address2: None,
        location: String::new(),
        pin: None,
        state: None,
        phone: None,
        email: customer.email.clone(),
    })
}

impl InvoiceService {
    /// The explicit request for the invoice of a paid order (named by
    /// `order_id` or by its `payment_id`).
    pub(super) async fn order_invoice_request(
        &self,
        scope: &Scope,
        req: &NewInvoice,
        settings: &GstSettings,
    ) -> Result<(NewInvoice, Issue), Error> {
        if req.kind != InvoiceType::Invoice {
            return Err(Error::validation(
                "type",
                "order_id and payment_id make an invoice; a credit note takes refund_id",
            ));
        }
        reject_explicit(req, "an order")?;
        if req.tax_inclusive == Some(false) {
            return Err(Error::validation(
                "tax_inclusive",
                "an order's invoice is tax-inclusive: the amount paid includes GST",
            ));
        }
        let order_id = self.order_named(scope, req).await?;
        let order = self.invoiceable_order(scope, &order_id).await?;
        order_invoice(req, settings, order)
    }

    /// The order that `order_id`, or `payment_id` through its payment, names.
    async fn order_named(&self, scope: &Scope, req: &NewInvoice) -> Result<OrderId, Error> {
        match (&req.order_id, &req.payment_id) {
            (Some(_), Some(_)) => Err(Error::validation(
                "payment_id",
                "give order_id or payment_id, not both",
            )),
            (Some(raw), None) => {
                OrderId::parse(raw).map_err(|_| Error::not_found("order", raw.as_str()))
            }
            (None, Some(raw)) => {
                let id = PaymentId::parse(raw).map_err(|_| Error::not_found("payment", raw))?;
                Ok(self
                    .store
                    .payment(scope, &id)
                    .await?
                    .ok_or_else(|| Error::not_found("payment", raw.as_str()))?
                    .order_id)
            }
            (None, None) => Err(Error::Internal("no order source".into())),
        }
    }

    /// The order, if it is paid in INR and has no invoice yet.
    async fn invoiceable_order(&self, scope: &Scope, order_id: &OrderId) -> Result<Order, Error> {
        let order = self
            .store
            .order(scope, order_id)
            .await?
            .ok_or_else(|| Error::not_found("order", order_id.as_str()))?;
        if order.status != OrderStatus::Paid {
            return Err(Error::business(
                Some("order_id"),
                format!(
                    "only a paid order can be invoiced; {} is {}",
                    order.id,
                    order.status.as_str()
                ),
            ));
        }
        if order.currency != Currency::INR {
            return Err(Error::business(
                Some("order_id"),
                format!(
                    "GST invoices are in INR; {} is in {}",
                    order.id, order.currency
                ),
            ));
        }
        self.refuse_second_document(scope, InvoiceType::Invoice, "order_id", order.id.as_str())
            .await?;
        Ok(order)
    }

    /// A conflict naming `field` if `source_id` (an order or a refund)
    /// already has its document of `kind`.
    async fn refuse_second_document(
        &self,
        scope: &Scope,
        kind: InvoiceType,
        field: &'static str,
        source_id: &str,
    ) -> Result<(), Error> {
        let Some(existing) = self
            .store
            .gst_invoice_for_source(scope, kind, source_id)
            .await?
        else {
            return Ok(());
        };
        let what = match kind {
            InvoiceType::Invoice => "GST invoice",
            InvoiceType::CreditNote => "credit note",
        };
        Err(Error::conflict(
            field,
            format!(
                "{source_id} already has {what} {} ({})",
                existing.id, existing.number
            ),
        ))
    }

    /// The explicit request for the credit note of a processed refund,
    /// against the invoice of the refunded order, at that invoice's rate.
    pub(super) async fn refund_credit_note_request(
        &self,
        scope: &Scope,
        req: &NewInvoice,
    ) -> Result<(NewInvoice, Issue), Error> {
        if req.kind != InvoiceType::CreditNote {
            return Err(Error::validation(
                "type",
                "refund_id makes a credit note: set type to credit_note",
            ));
        }
        reject_explicit(req, "a refund")?;
        rules::refuse_given(
            &[
                ("order_id", req.order_id.is_some()),
                ("payment_id", req.payment_id.is_some()),
                ("hsn_code", req.hsn_code.is_some()),
                ("rate", req.rate.is_some()),
            ],
            |field| format!("{field} is taken from the refunded order's invoice"),
        )?;
        let refund = self
            .creditable_refund(scope, req.refund_id.as_deref().unwrap_or_default())
            .await?;
        let (order_id, invoice) = self.refunded_invoice(scope, &refund).await?;
        refund_credit_note(req, refund, order_id, &invoice)
    }

    /// The refund `raw` names, if it is processed and has no credit note yet.
    async fn creditable_refund(&self, scope: &Scope, raw: &str) -> Result<Refund, Error> {
        let refund_id = RefundId::parse(raw).map_err(|_| Error::not_found("refund", raw))?;
        let refund = self
            .store
            .refund(scope, &refund_id)
            .await?
            .ok_or_else(|| Error::not_found("refund", raw))?;
        if refund.status != RefundStatus::Processed {
            return Err(Error::business(
                Some("refund_id"),
                format!(
                    "only a processed refund gets a credit note; {} is {}",
                    refund.id,
                    refund.status.as_str()
                ),
            ));
        }
        self.refuse_second_document(
            scope,
            InvoiceType::CreditNote,
            "refund_id",
            refund.id.as_str(),
        )
        .await?;
        Ok(refund)
    }

    /// The refunded order and its GST invoice.
    async fn refunded_invoice(
        &self,
        scope: &Scope,
        refund: &Refund,
    ) -> Result<(OrderId, GstInvoice), Error> {
        let payment = self
            .store
            .payment(scope, &refund.payment_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("refund {} has no payment", refund.id)))?;
        let invoice = self
            .store
            .gst_invoice_for_source(scope, InvoiceType::Invoice, payment.order_id.as_str())
            .await?
            .ok_or_else(|| {
                Error::business(
                    Some("refund_id"),
                    format!(
                        "order {} has no GST invoice to credit; issue it first with order_id",
                        payment.order_id
                    ),
                )
            })?;
        Ok((payment.order_id, invoice))
    }
}

/// The invoice of a paid order: one tax-inclusive line of the amount paid,
/// not rounded to the rupee.
fn order_invoice(
    req: &NewInvoice,
    settings: &GstSettings,
    order: Order,
) -> Result<(NewInvoice, Issue), Error> {
    let hsn_code = req
        .hsn_code
        .clone()
        .or_else(|| settings.default_hsn_code.clone())
        .ok_or_else(|| {
            Error::validation(
                "hsn_code",
                "hsn_code is required: pass it, or set default_hsn_code with PUT /v1/gst/settings",
            )
        })?;
    let line = LineInput {
        description: req
            .description
            .clone()
            .or_else(|| order.description.clone())
            .or_else(|| order.receipt.clone()),
        hsn_code: Some(hsn_code),
        unit_price: order.amount.minor(),
        rate: req.rate,
        ..LineInput::default()
    };
    let explicit = NewInvoice {
        kind: InvoiceType::Invoice,
        date: req.date.clone(),
        seller_gstin: req.seller_gstin.clone(),
        seller: req.seller.clone(),
        buyer_gstin: req.buyer_gstin.clone(),
        buyer_state: req.buyer_state.clone(),
        buyer: Some(buyer_from_order(req, &order.customer)),
        place_of_supply: req.place_of_supply.clone(),
        supply_type: req.supply_type,
        reverse_charge: req.reverse_charge,
        tax_inclusive: Some(true),
        lines: vec![line],
        remarks: req.remarks.clone(),
        ..NewInvoice::default()
    };
    let issue = Issue {
        order_id: Some(order.id),
        refund_id: None,
        rate_source: None,
        round_to_rupee: false,
    };
    Ok((explicit, issue))
}

/// The credit note of a refund: one line of the amount refunded, with the
/// HSN/SAC code, unit and rates of the invoice's one line.
fn refund_credit_note(
    req: &NewInvoice,
    refund: Refund,
    order_id: OrderId,
    invoice: &GstInvoice,
) -> Result<(NewInvoice, Issue), Error> {
    let [original_line] = invoice.document.lines.as_slice() else {
        return Err(Error::Internal(format!(
            "the invoice {} of an order has {} lines",
            invoice.id,
            invoice.document.lines.len()
        )));
    };
    let line = LineInput {
        description: Some(format!("Refund {}", refund.id)),
        hsn_code: Some(original_line.hsn_code.clone()),
        unit_price: refund.amount.minor(),
        unit: original_line.unit.clone(),
        rate: Some(original_line.rate.percent()),
        cess_rate: Some(original_line.cess_rate),
        ..LineInput::default()
    };
    let explicit = NewInvoice {
        kind: InvoiceType::CreditNote,
        original_invoice_id: Some(invoice.id.to_string()),
        date: req.date.clone(),
        lines: vec![line],
        remarks: req.remarks.clone(),
        ..NewInvoice::default()
    };
    let issue = Issue {
        order_id: Some(order_id),
        refund_id: Some(refund.id),
        rate_source: Some(RateSource::OriginalInvoice),
        round_to_rupee: false,
    };
    Ok((explicit, issue))
}
