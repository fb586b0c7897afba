-- Payments, their refunds, and the Idempotency-Key records of POST /payments.

CREATE TABLE payments (
  id                 uuid PRIMARY KEY,
  order_id           text        NOT NULL,
  customer_id        text        NOT NULL,
  amount_minor       bigint      NOT NULL CHECK (amount_minor > 0),
  currency           char(3)     NOT NULL,
  payment_method     text        NOT NULL,
  -- pending only ever exists inside the transaction that asks the provider; committed rows are decided.
  status             text        NOT NULL CHECK (status IN ('pending', 'captured', 'declined', 'refunded')),
  decline_reason     text,
  provider_reference text,
  -- aggregateVersion of the payment's events: 1 for Captured/Declined, 2 for Refunded.
  version            integer     NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);

-- The natural key: at most one payment per order that is (or may become) money taken. Declined attempts do not
-- count, so a customer can try another card. A concurrent second charge for the same order waits on this index
-- until the first commits, then fails here — before its provider call.
CREATE UNIQUE INDEX payments_one_charge_per_order ON payments (order_id) WHERE status <> 'declined';
CREATE INDEX payments_order_id ON payments (order_id, created_at);

CREATE TABLE refunds (
  id                 uuid PRIMARY KEY,
  -- Full refunds only: one refund per payment is the natural key that makes POST …/refunds idempotent.
  payment_id         uuid        NOT NULL UNIQUE REFERENCES payments (id),
  amount_minor       bigint      NOT NULL,
  currency           char(3)     NOT NULL,
  reason             text        NOT NULL,
  provider_reference text        NOT NULL,
  created_at         timestamptz NOT NULL
);

CREATE TABLE idempotency_keys (
  -- The primary key decides which of several concurrent requests with one key does the work.
  key             text        PRIMARY KEY,
  -- sha256 of method, path and canonical JSON body: the same key with another request is a client error (422).
  fingerprint     text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('in_progress', 'completed')),
  response_status integer,
  -- text, not jsonb: jsonb reorders keys, and a replay should be byte-for-byte the first answer.
  response_body   text,
  created_at      timestamptz NOT NULL,
  completed_at    timestamptz
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
