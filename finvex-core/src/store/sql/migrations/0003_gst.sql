-- GST invoices and credit notes, and their gap-free document number series.
-- Money is paise (BIGINT); JSON documents are TEXT; dates are ISO TEXT.

CREATE TABLE gst_invoices (
    invoice_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    number TEXT NOT NULL,
    financial_year TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    invoice_date TEXT NOT NULL,
    period TEXT NOT NULL,
    seller_gstin TEXT NOT NULL,
    buyer_gstin TEXT,
    supply_type TEXT NOT NULL,
    original_invoice_id TEXT,
    taxable_paise BIGINT NOT NULL,
    tax_paise BIGINT NOT NULL,
    total_paise BIGINT NOT NULL,
    credited_taxable_paise BIGINT NOT NULL,
    credited_total_paise BIGINT NOT NULL,
    irn TEXT,
    status TEXT NOT NULL,
    document TEXT NOT NULL,
    breakup TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (merchant_id, mode, doc_type, financial_year, number)
);
CREATE INDEX gst_invoices_by_scope ON gst_invoices (merchant_id, mode, created_at);
CREATE INDEX gst_invoices_by_period ON gst_invoices (merchant_id, mode, period);

CREATE TABLE gst_doc_counters (
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    financial_year TEXT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, mode, doc_type, financial_year)
);
