-- Orders, their payments and refunds. Amounts are minor units (BIGINT).

CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    amount_paid BIGINT NOT NULL,
    receipt TEXT,
    description TEXT,
    customer TEXT NOT NULL,
    notes TEXT NOT NULL,
    status TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_order_id TEXT NOT NULL,
    routing TEXT NOT NULL,
    checkout TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_by_scope ON orders (merchant_id, mode, created_at);

CREATE TABLE payments (
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
    UNIQUE (provider, provider_payment_id)
);
CREATE INDEX payments_by_scope ON payments (merchant_id, mode, created_at);

CREATE TABLE refunds (
    refund_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    payment_id TEXT NOT NULL REFERENCES payments (payment_id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    speed TEXT NOT NULL,
    notes TEXT NOT NULL,
    provider_refund_id TEXT,
    error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX refunds_by_scope ON refunds (merchant_id, mode, created_at);
