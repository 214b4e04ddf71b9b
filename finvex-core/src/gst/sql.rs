use async_trait::async_trait;

use super::irp::IrpRecord;
use super::{
    Corrected, Correction, DocVersion, FiledReturn, GstInvoice, GstSettings, GstStore,
    InvoiceDraft, InvoiceType, NumberFn, Numbered, RateSource, ReturnFingerprint, StoredAmendment,
};
use crate::ids::{AmendmentId, InvoiceId, OrderId, RefundId};
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row, SqlValue};
use crate::store::SqlStore;
use crate::{Error, Scope};

const COLUMNS: &str =
    "invoice_id, mode, doc_type, number, financial_year, sequence, invoice_date, \
    seller_gstin, buyer_gstin, original_invoice_id, taxable_paise, tax_paise, total_paise, \
    credited_taxable_paise, credited_total_paise, irn, status, document, breakup, created_at, irp, \
    order_id, refund_id, rate_source, period, revision";

/// A unit enum stored as its bare serde name (`merchant_default`, not `"merchant_default"`).
fn enum_text(value: &impl serde::Serialize) -> Result<String, Error> {
    match SqlValue::json(value)? {
        SqlValue::Text(text) => Ok(text.trim_matches('"').to_string()),
        other => Err(Error::Internal(format!("enum stored as {other:?}"))),
    }
}

/// Where the document stands on the IRP.
pub(crate) fn irp_status(irn: Option<&str>, irp: Option<&IrpRecord>) -> &'static str {
    match (irn, irp) {
        (None, _) => "not_applicable",
        (Some(_), None) => "not_submitted",
        (Some(_), Some(record)) if record.cancelled_at.is_some() => "cancelled",
        (Some(_), Some(_)) => "generated",
    }
}

/// Counts what is reported in a month: its documents, their corrections in
/// place, and the amendments reported in it.
async fn fingerprint(
    db: &dyn Executor,
    scope: &Scope,
    seller_gstin: &str,
    period: &str,
) -> Result<ReturnFingerprint, Error> {
    let [merchant, mode] = scope_params(scope);
    let params = [merchant, mode, seller_gstin.into(), period.into()];
    let documents = db
        .query_one(
            "SELECT COUNT(*) AS documents, CAST(COALESCE(SUM(revision), 0) AS BIGINT) AS revisions
             FROM gst_invoices
             WHERE merchant_id = $1 AND mode = $2 AND seller_gstin = $3 AND period = $4",
            &params,
        )
        .await?;
    let amendments = db
        .query_one(
            "SELECT COUNT(*) AS amendments FROM gst_amendments
             WHERE merchant_id = $1 AND mode = $2 AND seller_gstin = $3 AND reported_period = $4",
            &params,
        )
        .await?;
    Ok(ReturnFingerprint {
        documents: documents.int("documents")?,
        revisions: documents.int("revisions")?,
        amendments: amendments.int("amendments")?,
    })
}

fn invoice_from_row(row: &Row) -> Result<GstInvoice, Error> {
    let irn = row.opt_text("irn")?;
    let irp: Option<IrpRecord> = row
        .opt_text("irp")?
        .map(|text| {
            serde_json::from_str(&text)
                .map_err(|e| Error::Internal(format!("stored IRP record: {e}")))
        })
        .transpose()?;
    let breakup: finvex_gst::TaxBreakup = row.json("breakup")?;
    let document: finvex_gst::einvoice::Invoice = row.json("document")?;
    Ok(GstInvoice {
        id: InvoiceId::parse(&row.text("invoice_id")?)?,
        entity: "gst_invoice",
        mode: row.parsed("mode")?,
        kind: InvoiceType::from_doc_code(&row.text("doc_type")?)?,
        number: row.text("number")?,
        financial_year: row.text("financial_year")?,
        sequence: row.int("sequence")?,
        date: row.text("invoice_date")?,
        seller_gstin: row.text("seller_gstin")?,
        buyer_gstin: row.opt_text("buyer_gstin")?,
        supply_type: document.supply_type,
        place_of_supply: breakup.place_of_supply.code_str(),
        original_invoice_id: row
            .opt_text("original_invoice_id")?
            .map(|id| InvoiceId::parse(&id))
            .transpose()?,
        order_id: row
            .opt_text("order_id")?
            .map(|id| OrderId::parse(&id))
            .transpose()?,
        refund_id: row
            .opt_text("refund_id")?
            .map(|id| RefundId::parse(&id))
            .transpose()?,
        rate_source: row
            .opt_text("rate_source")?
            .map(|source| source.parse::<RateSource>())
            .transpose()?,
        taxable_paise: row.int("taxable_paise")?,
        tax_paise: row.int("tax_paise")?,
        total_paise: row.int("total_paise")?,
        credited_taxable_paise: row.int("credited_taxable_paise")?,
        credited_total_paise: row.int("credited_total_paise")?,
        irp_status: irp_status(irn.as_deref(), irp.as_ref()),
        irp,
        irn,
        status: row.text("status")?,
        reported_period: row.text("period")?,
        revision: row.int("revision")?,
        breakup,
        created_at: row.int("created_at")?,
        document,
    })
}

/// Moves amounts onto (or, negative, off) an invoice's credited sums, never
/// past the invoice's totals nor below zero; conditional, so concurrent
/// notes can never together exceed the invoice (the row is locked by the
/// UPDATE). A refund's note bounds only the money (`bounds_taxable` false):
/// see [`InvoiceDraft::bounds_taxable`]. `false` when it would not fit.
async fn move_credit(
    tx: &dyn Executor,
    scope: &Scope,
    original: &InvoiceId,
    taxable_delta: i64,
    total_delta: i64,
    bounds_taxable: bool,
) -> Result<bool, Error> {
    let [merchant, mode] = scope_params(scope);
    let taxable_guard = if bounds_taxable {
        "AND credited_taxable_paise + $4 <= taxable_paise"
    } else {
        ""
    };
    let moved = tx
        .execute(
            &format!(
                "UPDATE gst_invoices
                 SET credited_taxable_paise = credited_taxable_paise + $4,
                     credited_total_paise = credited_total_paise + $5
                 WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3 AND doc_type = 'INV'
                   AND credited_total_paise + $5 <= total_paise AND credited_total_paise + $5 >= 0
                   AND credited_taxable_paise + $4 >= 0 {taxable_guard}"
            ),
            &[
                merchant,
                mode,
                original.as_str().into(),
                taxable_delta.into(),
                total_delta.into(),
            ],
        )
        .await?;
    Ok(moved == 1)
}

/// Adds a new credit note's amounts to its original's credited sums.
async fn add_credit(
    tx: &dyn Executor,
    scope: &Scope,
    original: &InvoiceId,
    draft: &InvoiceDraft,
) -> Result<(), Error> {
    let tax = &draft.breakup;
    let fits = move_credit(
        tx,
        scope,
        original,
        tax.taxable_paise,
        tax.total_paise,
        draft.bounds_taxable(),
    )
    .await?;
    if !fits {
        return Err(Error::business(
            Some("lines"),
            format!("credit notes against {original} would exceed the invoice's totals"),
        ));
    }
    Ok(())
}

/// Allocates the next number of the draft's (type, FY) series.
async fn next_sequence(
    tx: &dyn Executor,
    scope: &Scope,
    draft: &InvoiceDraft,
) -> Result<i64, Error> {
    let [merchant, mode] = scope_params(scope);
    tx.query_one(
        "INSERT INTO gst_doc_counters (merchant_id, mode, doc_type, financial_year, last_number)
         VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (merchant_id, mode, doc_type, financial_year)
         DO UPDATE SET last_number = gst_doc_counters.last_number + 1
         RETURNING last_number",
        &[
            merchant,
            mode,
            draft.kind.doc_code().into(),
            draft.financial_year.as_str().into(),
        ],
    )
    .await?
    .int("last_number")
}

async fn insert_row(
    tx: &dyn Executor,
    scope: &Scope,
    draft: &InvoiceDraft,
    sequence: i64,
    numbered: &Numbered,
    period: &str,
) -> Result<(), Error> {
    let [merchant, mode] = scope_params(scope);
    let tax = &draft.breakup;
    tx.execute(
        "INSERT INTO gst_invoices (invoice_id, merchant_id, mode, doc_type, number, financial_year,
             sequence, invoice_date, period, seller_gstin, buyer_gstin, supply_type,
             original_invoice_id, taxable_paise, tax_paise, total_paise, credited_taxable_paise,
             credited_total_paise, irn, status, document, breakup, created_at,
             order_id, refund_id, rate_source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, 0,
             $17, 'issued', $18, $19, $20, $21, $22, $23)",
        &[
            draft.id.as_str().into(),
            merchant,
            mode,
            draft.kind.doc_code().into(),
            numbered.number.as_str().into(),
            draft.financial_year.as_str().into(),
            sequence.into(),
            draft.date.as_str().into(),
            period.into(),
            draft.seller_gstin.as_str().into(),
            draft.buyer_gstin.clone().into(),
            enum_text(&draft.supply_type)?.into(),
            draft
                .original_invoice_id
                .as_ref()
                .map(|id| id.as_str())
                .into(),
            tax.taxable_paise.into(),
            tax.tax_paise.into(),
            tax.total_paise.into(),
            numbered.irn.clone().into(),
            SqlValue::json(&numbered.document)?,
            SqlValue::json(tax)?,
            draft.created_at.into(),
            draft.order_id.as_ref().map(|id| id.as_str()).into(),
            draft.refund_id.as_ref().map(|id| id.as_str()).into(),
            draft.rate_source.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// The document as just inserted, without reading it back.
fn issued(
    scope: &Scope,
    draft: &InvoiceDraft,
    sequence: i64,
    numbered: Numbered,
    period: String,
) -> GstInvoice {
    let tax = &draft.breakup;
    GstInvoice {
        id: draft.id.clone(),
        entity: "gst_invoice",
        kind: draft.kind,
        mode: scope.mode,
        number: numbered.number,
        financial_year: draft.financial_year.clone(),
        sequence,
        date: draft.date.clone(),
        seller_gstin: draft.seller_gstin.clone(),
        buyer_gstin: draft.buyer_gstin.clone(),
        supply_type: draft.supply_type,
        place_of_supply: tax.place_of_supply.code_str(),
        original_invoice_id: draft.original_invoice_id.clone(),
        order_id: draft.order_id.clone(),
        refund_id: draft.refund_id.clone(),
        rate_source: Some(draft.rate_source),
        taxable_paise: tax.taxable_paise,
        tax_paise: tax.tax_paise,
        total_paise: tax.total_paise,
        credited_taxable_paise: 0,
        credited_total_paise: 0,
        irp_status: irp_status(numbered.irn.as_deref(), None),
        irp: None,
        irn: numbered.irn,
        status: "issued".into(),
        reported_period: period,
        revision: 0,
        breakup: tax.clone(),
        created_at: draft.created_at,
        document: numbered.document,
    }
}

/// Takes the tenant's returns lock for the rest of the transaction: issuing,
/// correcting and filing are serialised per tenant, so a document can never
/// slip into a month while it is being filed. (SQLite's `BEGIN IMMEDIATE`
/// already serialises writers; the upsert is what locks on Postgres.)
async fn lock_returns(tx: &dyn Executor, scope: &Scope) -> Result<(), Error> {
    let [merchant, mode] = scope_params(scope);
    tx.execute(
        "INSERT INTO gst_return_locks (merchant_id, mode, version) VALUES ($1, $2, 1)
         ON CONFLICT (merchant_id, mode) DO UPDATE SET version = gst_return_locks.version + 1",
        &[merchant, mode],
    )
    .await?;
    Ok(())
}

async fn is_filed(
    tx: &dyn Executor,
    scope: &Scope,
    seller_gstin: &str,
    period: &str,
) -> Result<bool, Error> {
    let [merchant, mode] = scope_params(scope);
    Ok(tx
        .query_opt(
            "SELECT 1 AS filed FROM gst_filed_returns
             WHERE merchant_id = $1 AND mode = $2 AND seller_gstin = $3 AND period = $4",
            &[merchant, mode, seller_gstin.into(), period.into()],
        )
        .await?
        .is_some())
}

/// Writes the revised document over the stored one, if it is still at the
/// expected revision and still covers what was credited against it.
async fn overwrite(tx: &dyn Executor, scope: &Scope, c: &Correction) -> Result<(), Error> {
    let [merchant, mode] = scope_params(scope);
    let doc = &c.revised.document;
    let tax = &c.revised.breakup;
    let written = tx
        .execute(
            "UPDATE gst_invoices
             SET document = $5, breakup = $6, taxable_paise = $7, tax_paise = $8,
                 total_paise = $9, buyer_gstin = $10, invoice_date = $11, revision = revision + 1
             WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3 AND revision = $4
               AND irp IS NULL
               AND credited_taxable_paise <= $7 AND credited_total_paise <= $9",
            &[
                merchant,
                mode,
                c.invoice_id.as_str().into(),
                c.expected_revision.into(),
                SqlValue::json(doc)?,
                SqlValue::json(tax)?,
                tax.taxable_paise.into(),
                tax.tax_paise.into(),
                tax.total_paise.into(),
                doc.buyer_gstin.as_ref().map(|g| g.to_string()).into(),
                super::rules::iso_date(doc.date).into(),
            ],
        )
        .await?;
    if written != 1 {
        return Err(Error::business(
            Some("lines"),
            format!(
                "{} has credit notes for more than the corrected totals",
                c.invoice_id
            ),
        ));
    }
    Ok(())
}

/// The document as first reported: the original of its first amendment,
/// else the stored document itself.
async fn first_reported(
    tx: &dyn Executor,
    scope: &Scope,
    stored: &GstInvoice,
) -> Result<DocVersion, Error> {
    let [merchant, mode] = scope_params(scope);
    let earlier = tx
        .query_opt(
            "SELECT original FROM gst_amendments
             WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3
             ORDER BY revision LIMIT 1",
            &[merchant, mode, stored.id.as_str().into()],
        )
        .await?;
    match earlier {
        Some(row) => row.json("original"),
        None => Ok(DocVersion {
            document: stored.document.clone(),
            breakup: stored.breakup.clone(),
        }),
    }
}

/// The document as reported before `period`: the revision of its latest
/// amendment reported in an earlier month, else the first-reported version.
async fn reported_before(
    tx: &dyn Executor,
    scope: &Scope,
    stored: &GstInvoice,
    period: &str,
    original: &DocVersion,
) -> Result<DocVersion, Error> {
    let [merchant, mode] = scope_params(scope);
    let earlier = tx
        .query_opt(
            "SELECT revised FROM gst_amendments
             WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3 AND reported_period < $4
             ORDER BY revision DESC LIMIT 1",
            &[merchant, mode, stored.id.as_str().into(), period.into()],
        )
        .await?;
    match earlier {
        Some(row) => row.json("revised"),
        None => Ok(original.clone()),
    }
}

async fn insert_amendment(
    tx: &dyn Executor,
    scope: &Scope,
    stored: &GstInvoice,
    c: &Correction,
    original: &DocVersion,
) -> Result<AmendmentId, Error> {
    let previous = reported_before(tx, scope, stored, &c.now_period, original).await?;
    let [merchant, mode] = scope_params(scope);
    let id = AmendmentId::generate();
    tx.execute(
        "INSERT INTO gst_amendments (amendment_id, merchant_id, mode, invoice_id, seller_gstin,
             original_period, reported_period, original, previous, revised, revision, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            id.as_str().into(),
            merchant,
            mode,
            stored.id.as_str().into(),
            stored.seller_gstin.as_str().into(),
            stored.reported_period.as_str().into(),
            c.now_period.as_str().into(),
            SqlValue::json(original)?,
            SqlValue::json(&previous)?,
            SqlValue::json(&c.revised)?,
            (stored.revision + 1).into(),
            c.created_at.into(),
        ],
    )
    .await?;
    Ok(id)
}

/// The document `id` in this scope, read through `db` (the pool or a transaction).
async fn invoice_by_id(
    db: &dyn Executor,
    scope: &Scope,
    id: &InvoiceId,
) -> Result<Option<GstInvoice>, Error> {
    let [merchant, mode] = scope_params(scope);
    let sql = format!(
        "SELECT {COLUMNS} FROM gst_invoices WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3"
    );
    db.query_opt(&sql, &[merchant, mode, id.as_str().into()])
        .await?
        .map(|row| invoice_from_row(&row))
        .transpose()
}

/// [`invoice_by_id`], where a missing document is a 404.
async fn invoice_in(tx: &dyn Executor, scope: &Scope, id: &InvoiceId) -> Result<GstInvoice, Error> {
    invoice_by_id(tx, scope, id)
        .await?
        .ok_or_else(|| Error::not_found("invoice", id.as_str()))
}

#[async_trait]
impl GstStore for SqlStore {
    async fn correct_gst_invoice(&self, scope: &Scope, c: &Correction) -> Result<Corrected, Error> {
        let tx = self.db.begin().await?;
        lock_returns(&tx, scope).await?;
        let stored = invoice_in(&tx, scope, &c.invoice_id).await?;
        if stored.irp.is_some() {
            return Err(Error::business(
                Some("irn"),
                "the document is registered on the IRP, which never amends one: cancel the IRN within 24 hours and issue a new document",
            ));
        }
        if is_filed(&tx, scope, &stored.seller_gstin, &c.now_period).await? {
            return Err(Error::conflict(
                "date",
                format!(
                    "{} was filed as this correction was made; send it again",
                    c.now_period
                ),
            ));
        }
        if stored.revision != c.expected_revision {
            return Err(Error::conflict(
                "revision",
                format!(
                    "{} was corrected meanwhile (revision {}); read it and correct it again",
                    stored.id, stored.revision
                ),
            ));
        }
        if let Some(original) = &stored.original_invoice_id {
            let revised = &c.revised.breakup;
            let fits = move_credit(
                &tx,
                scope,
                original,
                revised.taxable_paise - stored.taxable_paise,
                revised.total_paise - stored.total_paise,
                stored.refund_id.is_none(),
            )
            .await?;
            if !fits {
                return Err(Error::business(
                    Some("lines"),
                    format!(
                        "the corrected credit note would credit more than is left of {original}"
                    ),
                ));
            }
        }
        overwrite(&tx, scope, c).await?;
        let amendment_id =
            if is_filed(&tx, scope, &stored.seller_gstin, &stored.reported_period).await? {
                let original = first_reported(&tx, scope, &stored).await?;
                Some(insert_amendment(&tx, scope, &stored, c, &original).await?)
            } else {
                None
            };
        let invoice = invoice_in(&tx, scope, &c.invoice_id).await?;
        tx.commit().await?;
        Ok(Corrected {
            amendment_id,
            invoice,
        })
    }

    async fn gst_amendment_sellers(
        &self,
        scope: &Scope,
        period: &str,
    ) -> Result<Vec<String>, Error> {
        let [merchant, mode] = scope_params(scope);
        self.db
            .query(
                "SELECT DISTINCT seller_gstin FROM gst_amendments
                 WHERE merchant_id = $1 AND mode = $2 AND reported_period = $3
                 ORDER BY seller_gstin",
                &[merchant, mode, period.into()],
            )
            .await?
            .iter()
            .map(|row| row.text("seller_gstin"))
            .collect()
    }

    async fn gst_amendments_in_period(
        &self,
        scope: &Scope,
        seller_gstin: &str,
        period: &str,
    ) -> Result<Vec<StoredAmendment>, Error> {
        let [merchant, mode] = scope_params(scope);
        let rows = self
            .db
            .query(
                "SELECT amendment_id, invoice_id, original_period, original, previous, revised,
                        created_at
                 FROM gst_amendments
                 WHERE merchant_id = $1 AND mode = $2 AND seller_gstin = $3 AND reported_period = $4
                 ORDER BY invoice_id, revision",
                &[merchant, mode, seller_gstin.into(), period.into()],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredAmendment {
                    id: AmendmentId::parse(&row.text("amendment_id")?)?,
                    invoice_id: InvoiceId::parse(&row.text("invoice_id")?)?,
                    original_period: row.text("original_period")?,
                    original: row.json("original")?,
                    previous: row.json("previous")?,
                    revised: row.json("revised")?,
                    created_at: row.int("created_at")?,
                })
            })
            .collect()
    }

    async fn gst_filed_return(
        &self,
        scope: &Scope,
        seller_gstin: &str,
        period: &str,
    ) -> Result<Option<FiledReturn>, Error> {
        let [merchant, mode] = scope_params(scope);
        let row = self
            .db
            .query_opt(
                "SELECT gstr1, filed_at FROM gst_filed_returns
                 WHERE merchant_id = $1 AND mode = $2 AND seller_gstin = $3 AND period = $4",
                &[merchant, mode, seller_gstin.into(), period.into()],
            )
            .await?;
        row.map(|row| {
            Ok(FiledReturn {
                seller_gstin: seller_gstin.to_string(),
                period: period.to_string(),
                gstr1: row.json("gstr1")?,
                filed_at: row.int("filed_at")?,
            })
        })
        .transpose()
    }

    async fn gstr1_fingerprint(
        &self,
        scope: &Scope,
        seller_gstin: &str,
        period: &str,
    ) -> Result<ReturnFingerprint, Error> {
        fingerprint(&self.db, scope, seller_gstin, period).await
    }

    async fn insert_filed_return(
        &self,
        scope: &Scope,
        filing: &FiledReturn,
        expected: ReturnFingerprint,
    ) -> Result<(), Error> {
        let tx = self.db.begin().await?;
        lock_returns(&tx, scope).await?;
        if is_filed(&tx, scope, &filing.seller_gstin, &filing.period).await? {
            return Err(Error::conflict(
                "month",
                format!(
                    "GSTR-1 for {} ({}) is already filed; correct its documents instead",
                    filing.period, filing.seller_gstin
                ),
            ));
        }
        if fingerprint(&tx, scope, &filing.seller_gstin, &filing.period).await? != expected {
            return Err(Error::conflict(
                "month",
                format!(
                    "documents of {} changed while its GSTR-1 was built",
                    filing.period
                ),
            ));
        }
        let [merchant, mode] = scope_params(scope);
        tx.execute(
            "INSERT INTO gst_filed_returns (merchant_id, mode, seller_gstin, period, gstr1, filed_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                merchant,
                mode,
                filing.seller_gstin.as_str().into(),
                filing.period.as_str().into(),
                SqlValue::json(&filing.gstr1)?,
                filing.filed_at.into(),
            ],
        )
        .await?;
        tx.commit().await
    }

    async fn set_gst_invoice_irp(
        &self,
        scope: &Scope,
        id: &InvoiceId,
        revision: i64,
        expected: Option<&IrpRecord>,
        record: &IrpRecord,
    ) -> Result<bool, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([id.as_str().into(), SqlValue::json(record)?, revision.into()]);
        let guard = match expected {
            None => "irp IS NULL".to_string(),
            Some(previous) => {
                params.push(SqlValue::json(previous)?);
                "irp = $6".to_string()
            }
        };
        let sql = format!("UPDATE gst_invoices SET irp = $4 WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3 AND revision = $5 AND {guard}");
        Ok(self.db.execute(&sql, &params).await? == 1)
    }

    async fn insert_gst_invoice(
        &self,
        scope: &Scope,
        draft: &InvoiceDraft,
        numbering: NumberFn<'_>,
    ) -> Result<GstInvoice, Error> {
        let tx = self.db.begin().await?;
        lock_returns(&tx, scope).await?;
        let own_period = &draft.date[..7];
        let period = if is_filed(&tx, scope, &draft.seller_gstin, own_period).await? {
            // A filing at the month's turn may have closed this month too.
            if is_filed(&tx, scope, &draft.seller_gstin, &draft.late_period).await? {
                return Err(Error::conflict(
                    "date",
                    format!(
                        "{} was filed as this document was issued; send it again",
                        draft.late_period
                    ),
                ));
            }
            draft.late_period.clone()
        } else {
            own_period.to_string()
        };
        if let Some(original) = &draft.original_invoice_id {
            add_credit(&tx, scope, original, draft).await?;
        }
        let sequence = next_sequence(&tx, scope, draft).await?;
        let numbered = numbering(sequence)?;
        insert_row(&tx, scope, draft, sequence, &numbered, &period).await?;
        tx.commit().await?;
        Ok(issued(scope, draft, sequence, numbered, period))
    }

    async fn gst_invoice_by_id(
        &self,
        scope: &Scope,
        id: &InvoiceId,
    ) -> Result<Option<GstInvoice>, Error> {
        invoice_by_id(&self.db, scope, id).await
    }

    async fn list_gst_invoices(
        &self,
        scope: &Scope,
        params: &ListParams,
    ) -> Result<Vec<GstInvoice>, Error> {
        let (sql, values) = paged(
            format!("SELECT {COLUMNS} FROM gst_invoices WHERE merchant_id = $1 AND mode = $2"),
            scope_params(scope).into(),
            params,
            "created_at",
            "invoice_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(invoice_from_row)
            .collect()
    }

    async fn gst_invoice_for_source(
        &self,
        scope: &Scope,
        kind: InvoiceType,
        source_id: &str,
    ) -> Result<Option<GstInvoice>, Error> {
        let [merchant, mode] = scope_params(scope);
        let column = match kind {
            InvoiceType::Invoice => "order_id",
            InvoiceType::CreditNote => "refund_id",
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM gst_invoices
             WHERE merchant_id = $1 AND mode = $2 AND doc_type = $3 AND {column} = $4"
        );
        self.db
            .query_opt(
                &sql,
                &[merchant, mode, kind.doc_code().into(), source_id.into()],
            )
            .await?
            .map(|row| invoice_from_row(&row))
            .transpose()
    }

    async fn gst_settings(&self, scope: &Scope) -> Result<Option<(GstSettings, i64)>, Error> {
        let [merchant, mode] = scope_params(scope);
        let Some(row) = self
            .db
            .query_opt(
                "SELECT settings, updated_at FROM gst_settings WHERE merchant_id = $1 AND mode = $2",
                &[merchant, mode],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some((row.json("settings")?, row.int("updated_at")?)))
    }

    async fn set_gst_settings(
        &self,
        scope: &Scope,
        settings: &GstSettings,
        now_secs: i64,
    ) -> Result<(), Error> {
        let [merchant, mode] = scope_params(scope);
        self.db
            .execute(
                "INSERT INTO gst_settings (merchant_id, mode, settings, updated_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (merchant_id, mode)
                 DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
                &[merchant, mode, SqlValue::json(settings)?, now_secs.into()],
            )
            .await?;
        Ok(())
    }

    async fn gst_invoices_in_period(
        &self,
        scope: &Scope,
        period: &str,
    ) -> Result<Vec<GstInvoice>, Error> {
        let [merchant, mode] = scope_params(scope);
        let sql = format!(
            "SELECT {COLUMNS} FROM gst_invoices WHERE merchant_id = $1 AND mode = $2 AND period = $3
             ORDER BY doc_type, financial_year, sequence"
        );
        self.db
            .query(&sql, &[merchant, mode, period.into()])
            .await?
            .iter()
            .map(invoice_from_row)
            .collect()
    }
}
