-- A provider payment id is unique within one tenant, not across all of
-- them: otherwise one merchant's own-account webhook could claim an id and
-- block another merchant's payment forever. SQLite cannot drop a table
-- constraint, so it rebuilds the table the way its documentation prescribes
-- (foreign keys off around the migration, checked before the commit: see
-- migrations.rs); Postgres swaps the constraint in place.
-- engine: sqlite
CREATE TABLE payments_0013 (
    payment_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (order_id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    method TEXT,
    provider TEXT NOT NULL,
    provider_payment_id TEXT NOT NULL,
    amount_refunded BIGINT NOT NULL,
    -- Processed plus pending refunds: the guard that keeps refunds within the capture.
    refund_reserved BIGINT NOT NULL,
    error_code TEXT,
    error_description TEXT,
    fee BIGINT,
    tax BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, mode, provider, provider_payment_id)
);
INSERT INTO payments_0013 SELECT * FROM payments;
DROP TABLE payments;
ALTER TABLE payments_0013 RENAME TO payments;
CREATE INDEX payments_by_scope ON payments (merchant_id, mode, created_at);
-- engine: postgres
ALTER TABLE payments DROP CONSTRAINT payments_provider_provider_payment_id_key;
ALTER TABLE payments ADD CONSTRAINT payments_scoped_provider_id UNIQUE (merchant_id, mode, provider, provider_payment_id);
