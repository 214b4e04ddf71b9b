use std::sync::Arc;

use super::invoices::InvoiceService;
use super::irp::{CancelReason, IrpClient, IrpRecord, CANCEL_WINDOW_SECS, MAX_CANCEL_REMARK_CHARS};
use super::GstInvoice;
use crate::clock::Clock;
use crate::store::Store;
use crate::{Error, Mode, Scope};

/// Registering stored invoices on the IRP (per mode) and cancelling them.
pub struct EInvoiceService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Reads the invoices and builds their INV-01 payload.
    invoices: Arc<InvoiceService>,
    /// The IRP per mode; `None` where no GSP is configured.
    irp_test: Option<Arc<dyn IrpClient>>,
    irp_live: Option<Arc<dyn IrpClient>>,
}

impl EInvoiceService {
    /// No IRP in either mode until [`EInvoiceService::with_irp`].
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        invoices: Arc<InvoiceService>,
    ) -> Self {
        EInvoiceService {
            store,
            clock,
            invoices,
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
            Mode::Test => self.irp_test.as_ref(),
            Mode::Live => self.irp_live.as_ref(),
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
        let invoice = self.invoices.get_invoice(scope, id).await?;
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
        let einvoice = self.invoices.einvoice(scope, id).await?;
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
            .set_gst_invoice_irp(scope, &invoice.id, invoice.revision, None, &record)
            .await?;
        self.invoices.get_invoice(scope, id).await
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
        let invoice = self.invoices.get_invoice(scope, id).await?;
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
            .set_gst_invoice_irp(
                scope,
                &invoice.id,
                invoice.revision,
                Some(&record),
                &cancelled,
            )
            .await?;
        self.invoices.get_invoice(scope, id).await
    }
}
