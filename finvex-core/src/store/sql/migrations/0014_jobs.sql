-- The job queue. A job with a tenant carries its merchant_id and mode; a
-- system job (one reconciliation round for the installation) has neither.
-- unique_key: at most one job ever per key (NULLs are distinct).
CREATE TABLE jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    unique_key TEXT,
    merchant_id TEXT REFERENCES merchants (merchant_id),
    mode TEXT,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    run_at_ms BIGINT NOT NULL,
    lease_until_ms BIGINT,
    lease_token TEXT,
    progress_done BIGINT NOT NULL,
    progress_total BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX jobs_by_unique_key ON jobs (unique_key);
CREATE INDEX jobs_due ON jobs (status, run_at_ms);
CREATE INDEX jobs_by_scope ON jobs (merchant_id, mode, created_at);
