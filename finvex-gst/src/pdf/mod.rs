//! Tax invoices, credit notes and debit notes as PDF.
//!
//! [`render`] draws a stored [`Invoice`] and its [`TaxBreakup`] with the
//! particulars of CGST Rule 46 (a tax invoice) or Rule 53(1A) (a credit or
//! debit note, including the original invoice's number and date), the Rule
//! 48 copy marking "ORIGINAL FOR RECIPIENT", totals in figures and in
//! Indian words, and, once the IRP has registered the document, its IRN,
//! acknowledgement and signed QR code. Long documents continue on further
//! pages under a repeated table heading.
//!
//! It is a pure function: no I/O and no clock (the creation date is an
//! input), so the same input always gives the same bytes.
//!
//! Built on `pdf-writer` (the typst project's low-level writer): it writes
//! exactly the objects asked for, with no timestamps or random ids of its
//! own, and its only dependencies are small encoding crates. Text uses the
//! PDF base-14 Helvetica in WinAnsi, which every reader has, so no font is
//! embedded and the text extracts as text; WinAnsi has no rupee sign, so
//! amounts say "Rs.".

mod emit;
mod font;
mod layout;
mod qr;
mod sections;
pub mod words;

use crate::calc::{TaxBreakup, MAX_LINES};
use crate::date::Date;
use crate::einvoice::{DocType, Invoice, PrecedingDocument};
use crate::error::GstError;

pub use layout::MAX_PAGES;
pub use qr::MAX_QR_CHARS;
pub use words::{amount_in_words, group_indian, number_in_words};

/// Most lines a PDF draws: the engine's own limit.
pub const MAX_PDF_LINES: usize = MAX_LINES;
/// Longest IRN, acknowledgement number or date printed (the IRP's are
/// 64, 15 and 19 characters).
const MAX_ACK_CHARS: usize = 100;

/// What the IRP acknowledged, as an e-invoice prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub irn: String,
    pub ack_no: String,
    /// As the IRP wrote it (`yyyy-mm-dd HH:MM:SS`, IST).
    pub ack_date: String,
    /// The JWT drawn as the QR code.
    pub signed_qr_code: String,
    /// Who signed; anything but `NIC` is printed as not a government signature.
    pub issuer: String,
    /// Cancelled on the IRP: the PDF says the document is no longer valid
    /// and draws no QR code.
    pub cancelled: bool,
}

/// A moment in India Standard Time (UTC+05:30, all year), for the PDF's
/// creation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndiaTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// Everything a PDF shows.
#[derive(Debug, Clone, Copy)]
pub struct PdfInput<'a> {
    pub document: &'a Invoice,
    /// The document's tax, as [`crate::calculate`] computed it when issued.
    pub tax: &'a TaxBreakup,
    pub registration: Option<&'a Registration>,
    /// A note's original invoice (Rule 53(1A)(g)); when `None`, the
    /// document's own `preceding_document`.
    pub original: Option<&'a PrecedingDocument>,
    /// The creation date written into the PDF; `None` writes none.
    pub created: Option<IndiaTime>,
}

impl<'a> PdfInput<'a> {
    /// The invoice a note adjusts, if any is known.
    fn original_document(&self) -> Option<&'a PrecedingDocument> {
        self.original.or(self.document.preceding_document.as_ref())
    }
}

/// The document as PDF bytes.
///
/// Refused: more than [`MAX_PDF_LINES`] lines, a breakup that does not
/// match the document's lines, a note that names no original invoice, an
/// acknowledgement field longer than the IRP writes, or a signed QR code
/// too long for a QR symbol.
pub fn render(input: &PdfInput<'_>) -> Result<Vec<u8>, GstError> {
    check(input)?;
    let pages = sections::compose(input)?;
    let title = format!(
        "{} {}",
        sections::labels(input.document.doc_type).short,
        input.document.number
    );
    let info = emit::Info {
        title: &title,
        created: input.created,
    };
    Ok(emit::pdf(&pages, &info))
}

fn check(input: &PdfInput<'_>) -> Result<(), GstError> {
    let lines = input.document.lines.len();
    if lines > MAX_PDF_LINES {
        return Err(GstError::LimitExceeded {
            field: "lines".into(),
            limit: MAX_PDF_LINES,
            actual: lines,
        });
    }
    if lines == 0 || input.tax.lines.len() != lines {
        return Err(GstError::inconsistent(
            "breakup",
            format!(
                "the tax breakup has {} lines but the document {lines}",
                input.tax.lines.len()
            ),
        ));
    }
    if input.document.doc_type != DocType::Invoice && input.original_document().is_none() {
        return Err(GstError::invalid(
            "original_invoice_id",
            "a credit or debit note must name the invoice it adjusts (CGST Rule 53(1A)(g))",
        ));
    }
    if let Some(reg) = input.registration {
        for (field, value) in [
            ("irp.irn", &reg.irn),
            ("irp.ack_no", &reg.ack_no),
            ("irp.ack_dt", &reg.ack_date),
            ("irp.issuer", &reg.issuer),
        ] {
            if value.trim().is_empty() || value.chars().count() > MAX_ACK_CHARS {
                return Err(GstError::invalid(
                    field,
                    format!("must have 1 to {MAX_ACK_CHARS} characters"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
