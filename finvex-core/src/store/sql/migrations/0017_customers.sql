-- Customers: one per person a merchant bills, per mode, found by email
-- (compared case-insensitively) or phone (E.164), each unique in its scope.
CREATE TABLE customers (
    customer_id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    notes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX customers_by_scope ON customers (merchant_id, mode, created_at);
CREATE UNIQUE INDEX customers_by_email ON customers (merchant_id, mode, lower(email))
    WHERE email IS NOT NULL;
CREATE UNIQUE INDEX customers_by_phone ON customers (merchant_id, mode, phone)
    WHERE phone IS NOT NULL;
