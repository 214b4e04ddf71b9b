-- What a GST document was issued for: an invoice for a paid order (at most
-- one), a credit note for a processed refund (at most one), and where its
-- rate came from. Plus each merchant's GST settings per mode.
ALTER TABLE gst_invoices ADD COLUMN order_id TEXT;
ALTER TABLE gst_invoices ADD COLUMN refund_id TEXT;
ALTER TABLE gst_invoices ADD COLUMN rate_source TEXT;
CREATE UNIQUE INDEX gst_invoices_one_per_order
    ON gst_invoices (merchant_id, mode, order_id) WHERE doc_type = 'INV';
CREATE UNIQUE INDEX gst_invoices_one_per_refund
    ON gst_invoices (merchant_id, mode, refund_id);

CREATE TABLE gst_settings (
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, mode)
);
