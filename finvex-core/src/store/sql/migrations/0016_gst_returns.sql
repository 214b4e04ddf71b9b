-- GSTR-1 filing: each filed return kept exactly as filed, and the
-- corrections of its documents, reported as amendments in a later month.

CREATE TABLE gst_filed_returns (
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    seller_gstin TEXT NOT NULL,
    period TEXT NOT NULL,
    gstr1 TEXT NOT NULL,
    filed_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, mode, seller_gstin, period)
);

CREATE TABLE gst_amendments (
    amendment_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    invoice_id TEXT NOT NULL REFERENCES gst_invoices (invoice_id),
    seller_gstin TEXT NOT NULL,
    original_period TEXT NOT NULL,
    reported_period TEXT NOT NULL,
    original TEXT NOT NULL,
    previous TEXT NOT NULL,
    revised TEXT NOT NULL,
    -- The document's revision the correction made: orders a document's
    -- amendments whatever the clocks of the instances that made them.
    revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX gst_amendments_by_period
    ON gst_amendments (merchant_id, mode, seller_gstin, reported_period, created_at);
CREATE INDEX gst_amendments_by_invoice ON gst_amendments (merchant_id, mode, invoice_id, revision);

-- One row per tenant: issuing, correcting and filing take it first, so a
-- filing never races a document into a month it has just closed.
CREATE TABLE gst_return_locks (
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, mode)
);

ALTER TABLE gst_invoices ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
