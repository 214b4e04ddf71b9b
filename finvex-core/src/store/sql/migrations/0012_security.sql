-- Live mode is gated on the merchant's role; whether the installation's own
-- provider accounts serve a merchant's live payments is the operator's call.
ALTER TABLE merchants ADD COLUMN installation_accounts_live BIGINT NOT NULL DEFAULT 0;

-- A refund is bound to the client's Idempotency-Key: a retry after a lost
-- answer (timeout, crash after the provider call) finds it instead of
-- refunding again. NULL for refunds made without a key (NULLs are distinct).
ALTER TABLE refunds ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX refunds_by_idempotency_key ON refunds (merchant_id, mode, idempotency_key);

-- A delivery's outcome is recorded only by the worker whose lease it still is.
ALTER TABLE webhook_deliveries ADD COLUMN lease_token TEXT;

-- Rate-limit windows shared by every instance on one database (instance-wide:
-- buckets name API keys and client addresses, not tenants' data).
CREATE TABLE rate_limit_windows (
    bucket TEXT NOT NULL,
    window_index BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_index)
);
CREATE INDEX rate_limit_windows_by_age ON rate_limit_windows (window_index);
