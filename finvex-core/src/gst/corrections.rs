//! Correcting an issued document. A month not yet filed is corrected in
//! place; a filed month is never rewritten: the correction is kept as an
//! amendment and reported in the GSTR-1 of the month it is made in
//! (CGST s.37(3)).

use finvex_gst::einvoice::{financial_year, ExportDetails, Party};
use finvex_gst::gstr1::check_correction;
use finvex_gst::{calculate, Date};
use serde::{Deserialize, Serialize};

use super::invoices::{invoice_lines, InvoiceService};
use super::returns::{original_basis, record_of};
use super::rules::{self, api_error, parse_date, parse_gstin};
use super::settings::current_settings;
use super::{Correction, DocVersion, GstInvoice, InvoiceType, LineInput};
use crate::ids::AmendmentId;
use crate::{Error, Scope};

/// `POST /v1/gst/invoices/{id}/corrections`: the fields to change; the rest
/// stays as issued. A credit note's buyer follows its invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectInvoice {
    /// The revision being corrected (default: the current one); a stale one is 409.
    #[serde(default)]
    pub revision: Option<i64>,
    /// Every line, as it should have been.
    #[serde(default)]
    pub lines: Option<Vec<LineInput>>,
    #[serde(default)]
    pub tax_inclusive: Option<bool>,
    /// Another registered buyer's GSTIN (invoices to registered buyers only).
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub buyer_gstin: Option<String>,
    #[serde(default)]
    pub buyer: Option<Party>,
    /// `YYYY-MM-DD`, on or after the issued date and in the same month.
    #[schemars(with = "Option<finvex_gst::Date>")]
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub remarks: Option<String>,
    #[serde(default)]
    pub export: Option<ExportDetails>,
}

/// How a correction was reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GstCorrection {
    pub entity: &'static str,
    /// `in_place` (its month is not filed yet) or `amendment` (reported in
    /// `reported_period`'s GSTR-1 amendment tables).
    pub reported_as: &'static str,
    pub amendment_id: Option<AmendmentId>,
    /// `YYYY-MM`: where the correction appears in GSTR-1.
    pub reported_period: String,
    pub invoice: GstInvoice,
}

impl InvoiceService {
    /// Corrects a document (see [`CorrectInvoice`]); refused for one whose
    /// IRN is registered (the IRP never amends: cancel it within 24 hours
    /// and issue a new document) and after the s.37(3) deadline.
    pub async fn correct(
        &self,
        scope: &Scope,
        id: &str,
        req: &CorrectInvoice,
    ) -> Result<GstCorrection, Error> {
        let stored = self.get_invoice(scope, id).await?;
        let now = self.clock.now();
        let today = rules::today_in_india(now.unix_millis())?;
        check_correctable(&stored, req, today)?;
        let revised = self.revised(scope, &stored, req).await?;
        if revised.document == stored.document && revised.breakup == stored.breakup {
            return Err(Error::validation(
                "lines",
                "the correction changes nothing the document shows",
            ));
        }
        let home = stored.document.seller_gstin.state();
        let mut before = record_of(&stored.document, &stored.breakup)?;
        let mut after = record_of(&revised.document, &revised.breakup)?;
        // A note is placed by its invoice's value too (cdnur or b2cs).
        let basis = original_basis(self.store.as_ref(), scope, &stored, &[]).await?;
        (before.original, after.original) = (basis, basis);
        check_correction(&before, &after, home).map_err(Error::from)?;
        let correction = Correction {
            invoice_id: stored.id.clone(),
            expected_revision: req.revision.unwrap_or(stored.revision),
            revised,
            now_period: rules::month_of(today),
            created_at: now.unix_secs(),
        };
        let done = self.store.correct_gst_invoice(scope, &correction).await?;
        Ok(GstCorrection {
            entity: "gst_correction",
            reported_as: if done.amendment_id.is_some() {
                "amendment"
            } else {
                "in_place"
            },
            reported_period: if done.amendment_id.is_some() {
                correction.now_period
            } else {
                done.invoice.reported_period.clone()
            },
            amendment_id: done.amendment_id,
            invoice: done.invoice,
        })
    }

    /// The stored document with the request's changes, and its tax.
    async fn revised(
        &self,
        scope: &Scope,
        stored: &GstInvoice,
        req: &CorrectInvoice,
    ) -> Result<DocVersion, Error> {
        let mut doc = stored.document.clone();
        if let Some(lines) = &req.lines {
            if lines.is_empty() {
                return Err(Error::validation("lines", "at least one line is required"));
            }
            let settings = current_settings(self.store.as_ref(), scope).await?;
            doc.lines = invoice_lines(lines, settings.default_rate)?.0;
        }
        if let Some(inclusive) = req.tax_inclusive {
            doc.prices_include_tax = inclusive;
        }
        if let Some(gstin) = &req.buyer_gstin {
            doc.buyer_gstin = Some(parse_gstin("buyer_gstin", gstin)?);
        }
        if let Some(buyer) = &req.buyer {
            doc.buyer = buyer.clone();
        }
        if let Some(date) = &req.date {
            doc.date = parse_date("date", date)?;
        }
        if req.remarks.is_some() {
            doc.remarks = req.remarks.clone();
        }
        if req.export.is_some() {
            doc.export = req.export.clone();
        }
        let breakup = calculate(&doc.to_supply()).map_err(|e| api_error(e, false))?;
        Ok(DocVersion {
            document: doc,
            breakup,
        })
    }
}

/// What may be corrected at all, before any of it is computed.
fn check_correctable(stored: &GstInvoice, req: &CorrectInvoice, today: Date) -> Result<(), Error> {
    if stored.irp.is_some() {
        return Err(Error::business(
            Some("irn"),
            "this document has an IRN (registered or cancelled) and the IRP never amends one: cancel the IRN within 24 hours and issue a new document",
        ));
    }
    if stored.kind == InvoiceType::CreditNote
        && (req.buyer_gstin.is_some() || req.buyer.is_some() || req.export.is_some())
    {
        return Err(Error::validation(
            "buyer_gstin",
            "a credit note's buyer, place of supply and export details follow its invoice",
        ));
    }
    let nothing = req.lines.is_none()
        && req.tax_inclusive.is_none()
        && req.buyer_gstin.is_none()
        && req.buyer.is_none()
        && req.date.is_none()
        && req.remarks.is_none()
        && req.export.is_none();
    if nothing {
        return Err(Error::validation(
            "lines",
            "name at least one field to correct (lines, tax_inclusive, buyer_gstin, buyer, date, remarks, export)",
        ));
    }
    // s.37(3) first proviso: no rectification after 30 November following
    // the end of the document's financial year.
    let fy = financial_year(stored.document.date);
    let deadline = Date::new(fy.start_year() + 1, 11, 30)?;
    if today > deadline {
        return Err(Error::business(
            Some("date"),
            format!("documents of {fy} could be corrected until {deadline} (CGST s.37(3)); issue a credit or debit note instead"),
        ));
    }
    Ok(())
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::{Clock, Timestamp};
    use crate::gst::testing::{self, b2b, line};
    use crate::gst::{FileGstr1, Gstr1Service, NewInvoice};

    /// 2026-05-05 12:00 IST.
    const MAY_5: i64 = 1_777_962_600;

    fn dated(mut req: NewInvoice, date: &str) -> NewInvoice {
        req.date = Some(date.into());
        req
    }

    fn lines_of(paise: i64) -> CorrectInvoice {
        CorrectInvoice {
            lines: Some(vec![line(paise)]),
            ..CorrectInvoice::default()
        }
    }

    #[tokio::test]
    async fn a_filed_month_is_kept_and_its_corrections_become_amendments() {
        let (store, clock, scope) = testing::fixture_with_clock().await;
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let invoices = InvoiceService::new(store.clone(), dyn_clock.clone());
        let returns = Gstr1Service::new(store, dyn_clock);
        let april = invoices
            .create_invoice(&scope, &b2b(100_000))
            .await
            .unwrap();
        let file_april = FileGstr1 {
            month: "2026-04".into(),
            gstin: None,
        };
        // April is not over on 10 April.
        let early = returns.file(&scope, &file_april).await.unwrap_err();
        assert_eq!(early.field(), Some("month"), "{early}");

        // Corrected while April is open: in place, nothing to amend.
        let fixed = invoices
            .correct(&scope, april.id.as_str(), &lines_of(90_000))
            .await
            .unwrap();
        assert_eq!(fixed.reported_as, "in_place");
        assert_eq!(fixed.invoice.taxable_paise, 90_000);
        assert_eq!(fixed.invoice.revision, 1);

        clock.set(Timestamp::from_unix_secs(MAY_5));
        let filed = returns.file(&scope, &file_april).await.unwrap();
        assert_eq!(filed.gstr1.b2b[0].inv[0].val_paise, 106_200);
        let again = returns.file(&scope, &file_april).await.unwrap_err();
        assert!(matches!(again, Error::Conflict { .. }), "{again}");

        // A late April invoice goes into May's return, April stays as filed.
        let late = invoices
            .create_invoice(&scope, &dated(b2b(5_000), "2026-04-29"))
            .await
            .unwrap();
        assert_eq!(late.reported_period, "2026-05");
        // The filed invoice corrected: an amendment in May.
        let amended = invoices
            .correct(&scope, april.id.as_str(), &lines_of(120_000))
            .await
            .unwrap();
        assert_eq!(amended.reported_as, "amendment");
        assert_eq!(amended.reported_period, "2026-05");
        assert!(amended.amendment_id.is_some());

        let april_now = returns.gstr1(&scope, "2026-04", None).await.unwrap();
        assert_eq!(april_now, filed.gstr1, "a filed month never changes");
        let may = returns.gstr1(&scope, "2026-05", None).await.unwrap();
        assert_eq!(may.b2b[0].inv[0].inum, late.number);
        let b2ba = &may.b2ba[0].inv[0];
        assert_eq!(b2ba.oinum, april.number);
        assert_eq!(b2ba.val_paise, 141_600);
        // Corrected twice in May: only the latest is reported.
        invoices
            .correct(&scope, april.id.as_str(), &lines_of(130_000))
            .await
            .unwrap();
        let may = returns.gstr1(&scope, "2026-05", None).await.unwrap();
        assert_eq!(may.b2ba[0].inv.len(), 1);
        assert_eq!(may.b2ba[0].inv[0].val_paise, 153_400);
    }

    #[tokio::test]
    async fn a_correction_keeps_its_table_its_month_and_its_revision() {
        let (store, clock, scope) = testing::fixture_with_clock().await;
        let invoices = InvoiceService::new(store.clone(), clock.clone());
        let inv = invoices
            .create_invoice(&scope, &b2b(100_000))
            .await
            .unwrap();
        let other_month = CorrectInvoice {
            date: Some("2026-05-02".into()),
            ..CorrectInvoice::default()
        };
        let err = invoices
            .correct(&scope, inv.id.as_str(), &other_month)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("date"), "{err}");
        let stale = CorrectInvoice {
            revision: Some(7),
            ..lines_of(1_000)
        };
        let err = invoices
            .correct(&scope, inv.id.as_str(), &stale)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err}");
        let err = invoices
            .correct(&scope, inv.id.as_str(), &CorrectInvoice::default())
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("lines"));
        // A credit note of 50,000 leaves the invoice no room below it.
        let note = NewInvoice {
            kind: InvoiceType::CreditNote,
            original_invoice_id: Some(inv.id.to_string()),
            lines: vec![line(50_000)],
            ..NewInvoice::default()
        };
        invoices.create_invoice(&scope, &note).await.unwrap();
        let err = invoices
            .correct(&scope, inv.id.as_str(), &lines_of(40_000))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("credit notes"), "{err}");
    }
}
