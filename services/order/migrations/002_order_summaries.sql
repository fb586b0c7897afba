-- Read model of orders (a projection of the event log, rebuilt by replaying it): one row per order, for lists.
CREATE TABLE order_summaries (
  id text PRIMARY KEY,
  customer_id text NOT NULL,
  -- PENDING | CONFIRMED | SHIPPED | DELIVERED | CANCELLED (NEEDS_ATTENTION comes from the saga at read time)
  status text NOT NULL,
  -- Known once inventory has priced the reservation; null before.
  total_minor bigint,
  currency text,
  item_count integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- The stream version last applied: an event at or below it is a replay and changes nothing.
  version integer NOT NULL
);

-- Per-customer lists, newest last, walked with a (created_at, id) keyset cursor.
CREATE INDEX order_summaries_customer ON order_summaries (customer_id, created_at, id);
CREATE INDEX order_summaries_created ON order_summaries (created_at, id);
