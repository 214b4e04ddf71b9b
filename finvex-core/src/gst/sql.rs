use async_trait::async_trait;

use super::irp::IrpRecord;
use super::{
    GstInvoice, GstSettings, GstStore, InvoiceDraft, InvoiceType, NumberFn, Numbered, RateSource,
};
use crate::ids::{InvoiceId, OrderId, RefundId};
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Column, Executor, Row};
use crate::store::SqlStore;
use crate::{Error, Scope};

const COLUMNS: &str =
    "invoice_id, mode, doc_type, number, financial_year, sequence, invoice_date, \
    seller_gstin, buyer_gstin, original_invoice_id, taxable_paise, tax_paise, total_paise, \
    credited_taxable_paise, credited_total_paise, irn, status, document, breakup, created_at, irp, \
    order_id, refund_id, rate_source";

fn json<T: serde::de::DeserializeOwned>(row: &Row, column: impl Column) -> Result<T, Error> {
    serde_json::from_str(&row.text(column)?)
        .map_err(|e| Error::Internal(format!("stored GST JSON in column {column:?}: {e}")))
}

fn to_json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::Internal(format!("GST JSON: {e}")))
}

/// A unit enum stored as its bare serde name (`merchant_default`, not `"merchant_default"`).
fn enum_text(value: &impl serde::Serialize) -> Result<String, Error> {
    Ok(to_json(value)?.trim_matches('"').to_string())
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

fn invoice_from_row(row: &Row) -> Result<GstInvoice, Error> {
    let irn = row.opt_text("irn")?;
    let irp: Option<IrpRecord> = row
        .opt_text("irp")?
        .map(|text| {
            serde_json::from_str(&text)
                .map_err(|e| Error::Internal(format!("stored IRP record: {e}")))
        })
        .transpose()?;
    let breakup: finvex_gst::TaxBreakup = json(row, "breakup")?;
    let document: finvex_gst::einvoice::Invoice = json(row, "document")?;
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
        breakup,
        created_at: row.int("created_at")?,
        document,
    })
}

/// Adds a credit note's amounts to its original's credited sums; conditional,
/// so concurrent credit notes can never together exceed the invoice (the row
/// is locked by the UPDATE).
async fn add_credit(
    tx: &dyn Executor,
    scope: &Scope,
    original: &InvoiceId,
    draft: &InvoiceDraft,
) -> Result<(), Error> {
    let [merchant, mode] = scope_params(scope);
    let taxable_guard = if draft.bounds_taxable() {
        "AND credited_taxable_paise + $4 <= taxable_paise"
    } else {
        ""
    };
    let credited = tx
        .execute(
            &format!(
                "UPDATE gst_invoices
                 SET credited_taxable_paise = credited_taxable_paise + $4,
                     credited_total_paise = credited_total_paise + $5
                 WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3 AND doc_type = 'INV'
                   {taxable_guard} AND credited_total_paise + $5 <= total_paise"
            ),
            &[
                merchant,
                mode,
                original.as_str().into(),
                draft.breakup.taxable_paise.into(),
                draft.breakup.total_paise.into(),
            ],
        )
        .await?;
    if credited != 1 {
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
            draft.date[..7].into(),
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
            to_json(&numbered.document)?.into(),
            to_json(tax)?.into(),
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
fn issued(scope: &Scope, draft: &InvoiceDraft, sequence: i64, numbered: Numbered) -> GstInvoice {
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
        breakup: tax.clone(),
        created_at: draft.created_at,
        document: numbered.document,
    }
}

#[async_trait]
impl GstStore for SqlStore {
    async fn set_gst_invoice_irp(
        &self,
        scope: &Scope,
        id: &InvoiceId,
        expected: Option<&IrpRecord>,
        record: &IrpRecord,
    ) -> Result<bool, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.extend([id.as_str().into(), to_json(record)?.into()]);
        let guard = match expected {
            None => "irp IS NULL".to_string(),
            Some(previous) => {
                params.push(to_json(previous)?.into());
                "irp = $5".to_string()
            }
        };
        let sql = format!("UPDATE gst_invoices SET irp = $4 WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3 AND {guard}");
        Ok(self.db.execute(&sql, &params).await? == 1)
    }

    async fn insert_gst_invoice(
        &self,
        scope: &Scope,
        draft: &InvoiceDraft,
        numbering: NumberFn<'_>,
    ) -> Result<GstInvoice, Error> {
        let tx = self.db.begin().await?;
        if let Some(original) = &draft.original_invoice_id {
            add_credit(&tx, scope, original, draft).await?;
        }
        let sequence = next_sequence(&tx, scope, draft).await?;
        let numbered = numbering(sequence)?;
        insert_row(&tx, scope, draft, sequence, &numbered).await?;
        tx.commit().await?;
        Ok(issued(scope, draft, sequence, numbered))
    }

    async fn gst_invoice_by_id(
        &self,
        scope: &Scope,
        id: &InvoiceId,
    ) -> Result<Option<GstInvoice>, Error> {
        let [merchant, mode] = scope_params(scope);
        let sql = format!(
            "SELECT {COLUMNS} FROM gst_invoices WHERE merchant_id = $1 AND mode = $2 AND invoice_id = $3"
        );
        self.db
            .query_opt(&sql, &[merchant, mode, id.as_str().into()])
            .await?
            .map(|row| invoice_from_row(&row))
            .transpose()
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
        Ok(Some((json(&row, "settings")?, row.int("updated_at")?)))
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
                &[merchant, mode, to_json(settings)?.into(), now_secs.into()],
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
