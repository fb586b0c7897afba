-- Each customer's orders as the user service learns them from Order* events (eventually consistent).
-- `last_version` is the aggregateVersion of the newest event applied: SQS may deliver out of order, so an older
-- event never overwrites a newer status, but still fills in details only it carries (lines, total).
CREATE TABLE customer_order_history (
  order_id text PRIMARY KEY,
  customer_id text NOT NULL,
  status text NOT NULL,
  total_amount bigint,
  currency text,
  item_count integer,
  placed_at timestamptz,
  updated_at timestamptz NOT NULL,
  last_version integer NOT NULL
);

CREATE INDEX customer_order_history_customer ON customer_order_history (customer_id, placed_at DESC);
