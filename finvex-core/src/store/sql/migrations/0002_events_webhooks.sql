-- Events (the transactional outbox) and outgoing webhooks. Times in *_ms
-- columns are unix milliseconds; others are unix seconds.

CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_by_scope ON events (merchant_id, mode, created_at);

CREATE TABLE webhook_endpoints (
    endpoint_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    events TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    previous_secret_sealed TEXT,
    previous_secret_expires_at BIGINT,
    status TEXT NOT NULL,
    failing_since_ms BIGINT,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX webhook_endpoints_by_scope ON webhook_endpoints (merchant_id, mode, created_at);

CREATE TABLE webhook_deliveries (
    delivery_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (endpoint_id),
    event_id TEXT NOT NULL REFERENCES events (event_id),
    event_type TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at_ms BIGINT,
    lease_until_ms BIGINT,
    last_status_code BIGINT,
    last_error TEXT,
    last_latency_ms BIGINT,
    event_created_at_ms BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at_ms);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (merchant_id, mode, endpoint_id, created_at);

CREATE TABLE webhook_attempts (
    attempt_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (delivery_id),
    attempt_no BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    latency_ms BIGINT NOT NULL,
    response_excerpt TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (merchant_id, mode, delivery_id, attempt_no);
