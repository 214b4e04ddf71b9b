-- The installation's admins: operators, not tenants. Kept apart from
-- merchants so no merchant signup, login or session can ever become one.
CREATE TABLE admins (
    admin_id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX admins_by_email ON admins (email);
