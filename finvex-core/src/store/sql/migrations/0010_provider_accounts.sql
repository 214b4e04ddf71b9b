-- Each merchant's own provider accounts per mode. `sealed` is the
-- credentials JSON sealed with XChaCha20-Poly1305 under the master key
-- (which is never stored here); `public_id` is the key or client id.
CREATE TABLE provider_accounts (
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    provider TEXT NOT NULL,
    public_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, mode, provider)
);
