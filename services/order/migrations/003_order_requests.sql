-- Idempotency of POST /orders: one row per (customer, Idempotency-Key), written in the transaction that creates the
-- order. The primary key decides between concurrent duplicates; the fingerprint tells a retry from a reused key.
CREATE TABLE order_requests (
  customer_id text NOT NULL,
  idempotency_key text NOT NULL,
  fingerprint text NOT NULL,
  order_id text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id, idempotency_key)
);
