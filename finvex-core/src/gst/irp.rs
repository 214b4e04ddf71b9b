//! The Invoice Registration Portal (IRP) behind a trait. Generating a real,
//! government-signed IRN needs a GSP account; Finvex never pretends: every
//! acknowledgement records which `issuer` signed it, and the test-mode fake
//! says plainly that it is not NIC.

use async_trait::async_trait;
use finvex_gst::einvoice::EInvoice;
use serde::{Deserialize, Serialize};

use crate::Error;

/// E-invoices may be cancelled on the IRP within this window only.
pub const CANCEL_WINDOW_SECS: i64 = 24 * 60 * 60;
pub const MAX_CANCEL_REMARK_CHARS: usize = 100;

/// The IRP's acknowledgement of a generated IRN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IrpAck {
    pub irn: String,
    /// 15 digits.
    pub ack_no: String,
    /// `yyyy-mm-dd HH:MM:SS` (IST), as the IRP writes it.
    pub ack_dt: String,
    /// JWT with the invoice; signed by the issuer.
    pub signed_invoice: String,
    /// JWT printed as the invoice's QR code; signed by the issuer.
    pub signed_qr_code: String,
    /// Who signed: `NIC` for the real IRP; anything else is not a government signature.
    pub issuer: String,
}

/// The e-invoice cancellation reasons the IRP accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    Duplicate,
    DataEntryMistake,
    OrderCancelled,
    Others,
}

impl CancelReason {
    /// The IRP's `CnlRsn` code.
    pub fn code(self) -> &'static str {
        match self {
            CancelReason::Duplicate => "1",
            CancelReason::DataEntryMistake => "2",
            CancelReason::OrderCancelled => "3",
            CancelReason::Others => "4",
        }
    }
}

/// What Finvex keeps of an invoice's life on the IRP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IrpRecord {
    #[serde(flatten)]
    pub ack: IrpAck,
    /// Unix seconds when the IRN was generated.
    pub generated_at: i64,
    pub cancelled_at: Option<i64>,
    pub cancel_reason: Option<CancelReason>,
}

#[async_trait]
pub trait IrpClient: Send + Sync {
    /// Registers the e-invoice; the answer carries the IRN and signed QR code.
    /// A document already registered is a `Conflict` (the IRP's "duplicate IRN").
    async fn generate_irn(&self, einvoice: &EInvoice) -> Result<IrpAck, Error>;
    async fn cancel_irn(&self, irn: &str, reason: CancelReason, remark: &str) -> Result<(), Error>;
}
