-- One row per order: a live shipment, or a tombstone recorded by a cancel that arrived before the create.
CREATE TABLE shipments (
  id                 uuid        PRIMARY KEY,
  order_id           text        NOT NULL,
  status             text        NOT NULL CHECK (status IN ('CREATED', 'DISPATCHED', 'DELIVERED', 'CANCELLED')),
  -- A tombstone has no address or items: no create ever arrived for it.
  tombstone          boolean     NOT NULL DEFAULT false,
  address            jsonb,
  items              jsonb,
  -- sha256 of the canonical create body: a repeat with another body is told apart from a retry.
  request_hash       text,
  carrier            text,
  tracking_number    text,
  cancellation_reason text,
  correlation_id     text        NOT NULL,
  -- aggregateVersion of the shipment's events: 1 created, +1 per transition.
  version            integer     NOT NULL DEFAULT 1,
  -- When the dispatcher should move it on (written with the service's clock); NULL once it is final.
  next_transition_at timestamptz,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  dispatched_at      timestamptz,
  delivered_at       timestamptz,
  cancelled_at       timestamptz,
  CONSTRAINT shipments_live_has_body CHECK (tombstone OR (address IS NOT NULL AND items IS NOT NULL AND request_hash IS NOT NULL)),
  CONSTRAINT shipments_tombstone_cancelled CHECK (NOT tombstone OR status = 'CANCELLED'),
  -- Only shipments still on their way have a next transition, so the dispatcher can never touch a final one.
  CONSTRAINT shipments_schedule_matches_status CHECK ((status IN ('CREATED', 'DISPATCHED')) = (next_transition_at IS NOT NULL))
);

-- Idempotency by natural key, and the arbiter between a create and a cancel-by-order racing for the same order.
CREATE UNIQUE INDEX shipments_order_id_unique ON shipments (order_id);
-- The dispatcher's poll: due shipments, earliest first.
CREATE INDEX shipments_due ON shipments (next_transition_at, id) WHERE next_transition_at IS NOT NULL;
