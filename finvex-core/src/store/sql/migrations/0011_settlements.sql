-- Settlements synced from the providers, with their lines (JSON) and the
-- reconciliation against our payments and refunds (JSON). Minor units.
CREATE TABLE settlements (
    settlement_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_settlement_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    fees BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    utr TEXT,
    status TEXT NOT NULL,
    settled_at BIGINT NOT NULL,
    reconciliation TEXT NOT NULL,
    entries TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, mode, provider, provider_settlement_id)
);
CREATE INDEX settlements_by_scope ON settlements (merchant_id, mode, created_at);
