-- Each merchant's routing rules per mode (RoutingConfig as JSON); absent = default order.
CREATE TABLE routing_rules (
    merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
    mode TEXT NOT NULL,
    config TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, mode)
);
