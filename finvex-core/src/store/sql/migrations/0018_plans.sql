-- Plans: immutable once made (a new price is a new plan); archived plans
-- keep their subscribers and take no new ones.
CREATE TABLE plans (
    plan_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    billing_interval TEXT NOT NULL,
    interval_count BIGINT NOT NULL,
    gst TEXT NOT NULL,
    status TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    archived_at BIGINT
);
CREATE INDEX plans_by_scope ON plans (merchant_id, mode, created_at);
