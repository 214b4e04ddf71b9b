//! A contract fake of the Invoice Registration Portal, for test mode and
//! tests. It behaves as the IRP documents (research: gst.md §4.4-4.5): it
//! validates the INV-01 payload, computes the IRN the IRP would, refuses a
//! duplicate IRN, numbers acknowledgements with 15 digits, allows
//! cancellation within 24 hours, and returns a signed QR code JWT with the
//! documented payload keys. It signs with its own key and names itself
//! `FINVEX-FAKE-IRP (not NIC)`: nothing it returns is a government signature.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;
use finvex_core::gst::irp::{CancelReason, IrpAck, IrpClient, CANCEL_WINDOW_SECS};
use finvex_core::Error;
use finvex_gst::einvoice::{financial_year, validate, EInvoice};
use finvex_gst::Date;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use sha2::{Digest, Sha256};

pub const FAKE_ISSUER: &str = "FINVEX-FAKE-IRP (not NIC)";
/// The first acknowledgement number; 15 digits like the IRP's.
const FIRST_ACK_NO: u64 = 112_010_000_000_001;

struct Registered {
    generated_at: i64,
    cancelled: bool,
}

pub struct FakeIrp {
    key: EncodingKey,
    next_ack: AtomicU64,
    registered: Mutex<HashMap<String, Registered>>,
    now_secs: Box<dyn Fn() -> i64 + Send + Sync>,
}

impl FakeIrp {
    pub fn new(signing_secret: &[u8]) -> FakeIrp {
        Self::with_clock(signing_secret, || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
    }

    pub fn with_clock(
        signing_secret: &[u8],
        now_secs: impl Fn() -> i64 + Send + Sync + 'static,
    ) -> FakeIrp {
        FakeIrp {
            key: EncodingKey::from_secret(signing_secret),
            next_ack: AtomicU64::new(FIRST_ACK_NO),
            registered: Mutex::new(HashMap::new()),
            now_secs: Box::new(now_secs),
        }
    }

    fn sign(&self, payload: &serde_json::Value) -> Result<String, Error> {
        encode(&Header::new(Algorithm::HS256), payload, &self.key)
            .map_err(|e| Error::Internal(format!("fake IRP signing: {e}")))
    }
}

/// `yyyy-mm-dd HH:MM:SS` in IST, as the IRP writes AckDt.
pub fn ist_datetime(unix_secs: i64) -> String {
    finvex_core::calendar::datetime_in_india(unix_secs)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn irp_error(code: &str, message: impl Into<String>) -> Error {
    Error::BusinessRule {
        field: None,
        message: format!("IRP error {code}: {}", message.into()),
    }
}

impl FakeIrp {
    /// Records a new IRN; the IRP refuses the same IRN twice (error 2150).
    fn register(&self, irn: &str, now_secs: i64) -> Result<(), Error> {
        let mut registered = self
            .registered
            .lock()
            .map_err(|_| Error::Internal("fake IRP state poisoned".into()))?;
        if registered.contains_key(irn) {
            return Err(Error::Conflict {
                field: None,
                message: "IRP error 2150: Duplicate IRN".into(),
            });
        }
        registered.insert(
            irn.to_string(),
            Registered {
                generated_at: now_secs,
                cancelled: false,
            },
        );
        Ok(())
    }

    /// The signed QR code's payload, as the IRP's (the invoice's key facts).
    fn signed_qr_code(
        &self,
        einvoice: &EInvoice,
        irn: &str,
        ack_dt: &str,
    ) -> Result<String, Error> {
        let doc = &einvoice.doc_dtls;
        let main_hsn = einvoice
            .item_list
            .iter()
            .max_by_key(|item| item.ass_amt_paise)
            .map(|item| item.hsn_cd.clone())
            .unwrap_or_default();
        let total = einvoice.val_dtls.tot_inv_val_paise;
        let qr_data = serde_json::json!({
            "SellerGstin": einvoice.seller_dtls.gstin,
            "BuyerGstin": einvoice.buyer_dtls.gstin,
            "DocNo": doc.no,
            "DocTyp": doc.typ,
            "DocDt": doc.dt,
            "TotInvVal": format!("{}.{:02}", total / 100, total % 100),
            "ItemCnt": einvoice.item_list.len(),
            "MainHsnCode": main_hsn,
            "Irn": irn,
            "IrnDt": ack_dt,
        });
        self.sign(&serde_json::json!({"data": qr_data.to_string(), "iss": FAKE_ISSUER}))
    }
}

#[async_trait]
impl IrpClient for FakeIrp {
    async fn generate_irn(&self, einvoice: &EInvoice) -> Result<IrpAck, Error> {
        let violations = validate(einvoice);
        if let Some(first) = violations.first() {
            return Err(Error::BusinessRule {
                field: Some(first.path.clone().into()),
                message: format!(
                    "IRP validation failed: {}",
                    violations
                        .iter()
                        .map(|v| format!("{}: {}", v.path, v.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            });
        }
        let doc = &einvoice.doc_dtls;
        let date = Date::parse_dmy(&doc.dt).map_err(|e| irp_error("2211", e.to_string()))?;
        let fy = financial_year(date).to_string();
        let irn = hex::encode(Sha256::digest(
            format!("{}{fy}{}{}", einvoice.seller_dtls.gstin, doc.typ, doc.no).as_bytes(),
        ));
        let now = (self.now_secs)();
        self.register(&irn, now)?;
        let ack_no = self.next_ack.fetch_add(1, Ordering::SeqCst).to_string();
        let ack_dt = ist_datetime(now);
        let signed_qr_code = self.signed_qr_code(einvoice, &irn, &ack_dt)?;
        let mut invoice_data =
            serde_json::to_value(einvoice).map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(object) = invoice_data.as_object_mut() {
            object.insert("AckNo".into(), ack_no.clone().into());
            object.insert("AckDt".into(), ack_dt.clone().into());
            object.insert("Irn".into(), irn.clone().into());
        }
        let signed_invoice =
            self.sign(&serde_json::json!({"data": invoice_data.to_string(), "iss": FAKE_ISSUER}))?;
        Ok(IrpAck {
            irn,
            ack_no,
            ack_dt,
            signed_invoice,
            signed_qr_code,
            issuer: FAKE_ISSUER.into(),
        })
    }

    async fn cancel_irn(
        &self,
        irn: &str,
        _reason: CancelReason,
        _remark: &str,
    ) -> Result<(), Error> {
        let now = (self.now_secs)();
        let mut registered = self
            .registered
            .lock()
            .map_err(|_| Error::Internal("fake IRP state poisoned".into()))?;
        let entry = registered
            .get_mut(irn)
            .ok_or_else(|| irp_error("2154", "IRN not found"))?;
        if entry.cancelled {
            return Err(irp_error("9999", "the IRN is already cancelled"));
        }
        if now - entry.generated_at > CANCEL_WINDOW_SECS {
            return Err(irp_error(
                "2270",
                "the cancellation window of 24 hours has passed",
            ));
        }
        entry.cancelled = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ack_dates_are_ist() {
        assert_eq!(ist_datetime(0), "1970-01-01 05:30:00");
        // 2026-04-01T00:00:00+05:30
        assert_eq!(ist_datetime(1_774_981_800), "2026-04-01 00:00:00");
        assert_eq!(
            // 2000-02-29T00:00:00Z less India's 5 h 30 min.
            ist_datetime(951_782_400 - 19_800),
            "2000-02-29 00:00:00"
        );
    }
}
