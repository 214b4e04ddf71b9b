//! A stored invoice or credit note as PDF: the document and breakup as
//! issued, the IRP's acknowledgement once registered, and for a credit
//! note the number and date of the invoice it credits (Rule 53(1A)(g)),
//! drawn by the pure `finvex_gst::pdf`.

use finvex_gst::einvoice::PrecedingDocument;
use finvex_gst::pdf::{render, IndiaTime, PdfInput, Registration};
use finvex_gst::{Date, GstError};

use super::invoices::InvoiceService;
use super::irp::IrpRecord;
use super::{GstInvoice, InvoiceType};
use crate::{Error, Scope};

/// The longest file name stem: a document number has at most 16 characters.
const MAX_FILENAME_STEM: usize = 32;

/// A document's PDF and the file name to offer it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicePdf {
    /// `FX2627-000001.pdf`; `/` and anything outside letters, digits, `-`
    /// and `_` become `_` (`CN/26/7` → `CN_26_7.pdf`), so the name is safe
    /// in a header and as a file.
    pub filename: String,
    pub bytes: Vec<u8>,
}

impl InvoiceService {
    /// `GET /v1/gst/invoices/{id}?format=pdf`: the document in the caller's
    /// scope (another merchant's or mode's id is 404), as PDF. A document
    /// the renderer refuses (say, a QR code the IRP signed too long to
    /// draw) is a 422 naming why.
    pub async fn pdf(&self, scope: &Scope, id: &str) -> Result<InvoicePdf, Error> {
        let invoice = self.get_invoice(scope, id).await?;
        let original = self.credited_invoice(scope, &invoice).await?;
        let registration = invoice.irp.as_ref().map(registration);
        let bytes = render(&PdfInput {
            document: &invoice.document,
            tax: &invoice.breakup,
            registration: registration.as_ref(),
            original: original.as_ref(),
            created: india_time(invoice.created_at),
        })
        .map_err(unrenderable)?;
        Ok(InvoicePdf {
            filename: filename(&invoice.number),
            bytes,
        })
    }

    /// A credit note's original invoice, read from the store (same scope),
    /// as its number and date; `None` for an invoice.
    async fn credited_invoice(
        &self,
        scope: &Scope,
        invoice: &GstInvoice,
    ) -> Result<Option<PrecedingDocument>, Error> {
        let Some(original_id) = invoice.original_invoice_id.as_ref() else {
            return Ok(None);
        };
        if invoice.kind != InvoiceType::CreditNote {
            return Ok(None);
        }
        let original = self
            .store
            .gst_invoice_by_id(scope, original_id)
            .await?
            .ok_or_else(|| {
                Error::Internal(format!(
                    "credit note {} names invoice {original_id}, which is not stored",
                    invoice.id
                ))
            })?;
        Ok(Some(PrecedingDocument {
            number: original.document.number,
            date: original.document.date,
        }))
    }
}

/// What the PDF prints of the IRP's acknowledgement.
fn registration(record: &IrpRecord) -> Registration {
    Registration {
        irn: record.ack.irn.clone(),
        ack_no: record.ack.ack_no.clone(),
        ack_date: record.ack.ack_dt.clone(),
        signed_qr_code: record.ack.signed_qr_code.clone(),
        issuer: record.ack.issuer.clone(),
        cancelled: record.cancelled_at.is_some(),
    }
}

/// `unix_secs` in India, for the PDF's creation date (`None` outside the
/// engine's 2000-2099).
fn india_time(unix_secs: i64) -> Option<IndiaTime> {
    let t = crate::calendar::datetime_in_india(unix_secs);
    let year = u16::try_from(t.year()).ok()?;
    Some(IndiaTime {
        date: Date::new(year, t.month() as u8, t.day() as u8).ok()?,
        hour: t.hour() as u8,
        minute: t.minute() as u8,
        second: t.second() as u8,
    })
}

/// The document number as a file name: `FX2627-000001.pdf`.
pub fn filename(number: &str) -> String {
    let stem: String = number
        .chars()
        .take(MAX_FILENAME_STEM)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = if stem.is_empty() {
        "invoice".into()
    } else {
        stem
    };
    format!("{stem}.pdf")
}

/// The renderer's refusal, told as a rule the stored document breaks.
fn unrenderable(e: GstError) -> Error {
    Error::BusinessRule {
        field: e.field().map(|f| f.to_string().into()),
        message: format!("this document cannot be drawn as PDF: {e}"),
    }
}

#[cfg(test)]
mod pure_tests {
    use super::*;

    #[test]
    fn file_names_keep_letters_digits_and_dashes_only() {
        assert_eq!(filename("FX2627-000001"), "FX2627-000001.pdf");
        assert_eq!(filename("CN/2026/7"), "CN_2026_7.pdf");
        assert_eq!(filename("a\"b\r\nc;d"), "a_b__c_d.pdf");
        assert_eq!(filename(""), "invoice.pdf");
        assert_eq!(filename(&"9".repeat(100)).len(), MAX_FILENAME_STEM + 4);
    }

    #[test]
    fn the_creation_time_is_india_s() {
        // 2026-04-10 06:30:00 UTC is noon in India.
        let t = india_time(1_775_802_600).unwrap();
        assert_eq!(t.date, Date::new(2026, 4, 10).unwrap());
        assert_eq!((t.hour, t.minute, t.second), (12, 0, 0));
        assert_eq!(india_time(0), None, "1970 is outside the engine's range");
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::gst::testing::{self, b2b, line};
    use crate::gst::NewInvoice;
    use crate::ids::MerchantId;
    use crate::Mode;

    fn shows(pdf: &[u8], s: &str) -> bool {
        pdf.windows(s.len()).any(|w| w == s.as_bytes())
    }

    #[tokio::test]
    async fn a_credit_note_s_pdf_names_its_invoice_and_other_scopes_get_404() {
        let (store, clock, scope) = testing::fixture().await;
        let gst = InvoiceService::new(store, clock);
        let inv = gst.create_invoice(&scope, &b2b(100_000)).await.unwrap();
        let note = gst
            .create_invoice(
                &scope,
                &NewInvoice {
                    kind: InvoiceType::CreditNote,
                    original_invoice_id: Some(inv.id.to_string()),
                    lines: vec![line(30_000)],
                    ..NewInvoice::default()
                },
            )
            .await
            .unwrap();
        let pdf = gst.pdf(&scope, note.id.as_str()).await.unwrap();
        assert_eq!(pdf.filename, "CN2627-000001.pdf");
        assert!(shows(&pdf.bytes, "CREDIT NOTE"));
        assert!(shows(&pdf.bytes, "Original Invoice No.: FX2627-000001"));
        assert!(shows(&pdf.bytes, "Original Invoice Date: 10/04/2026"));
        // The same stored document, the same bytes (its creation time included).
        assert_eq!(gst.pdf(&scope, note.id.as_str()).await.unwrap(), pdf);
        assert!(shows(&pdf.bytes, "/CreationDate (D:20260410120000+05'30)"));

        let live = Scope::new(scope.merchant_id.clone(), Mode::Live);
        let other = Scope::new(MerchantId::generate(), Mode::Test);
        for (who, id) in [
            (&live, inv.id.as_str()),
            (&other, inv.id.as_str()),
            (&scope, "nope"),
        ] {
            let err = gst.pdf(who, id).await.unwrap_err();
            assert_eq!(err.code(), "not_found", "{id}");
        }
    }
}
