-- @shop/messaging: the relay's claim on the rows it is publishing, so it holds no row lock across the SNS call.
-- A claim is a lease: the rows belong to `claimed_by` (one relay instance) until `claimed_until`, then anyone may take
-- them again. Both NULL when nobody holds the row (every row that existed before this migration).

ALTER TABLE outbox ADD COLUMN IF NOT EXISTS claimed_by    text;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS claimed_until timestamptz;
