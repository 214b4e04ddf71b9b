-- Incoming provider webhooks already handled (de-duplication), and the
-- look-ups a webhook needs to find its tenant.
CREATE TABLE provider_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX orders_by_provider_order ON orders (provider, provider_order_id);
CREATE INDEX refunds_by_provider_refund ON refunds (provider_refund_id);
