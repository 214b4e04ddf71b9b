-- When the reconciler next asks the provider about an unpaid order or a
-- pending refund (NULL: as soon as it is due by age).
ALTER TABLE orders ADD COLUMN next_check_at BIGINT;
ALTER TABLE refunds ADD COLUMN next_check_at BIGINT;
CREATE INDEX orders_due_for_check ON orders (status, created_at);
CREATE INDEX refunds_due_for_check ON refunds (status, created_at);
