-- Orders whose checkout saga is parked in NEEDS_ATTENTION, kept by the saga's onNeedsAttention / onResumed hooks in
-- the transactions that park and resume it. The read model joins this table, never the saga engine's own tables.
CREATE TABLE order_attention (
  order_id text PRIMARY KEY,
  reason text NOT NULL,
  since timestamptz NOT NULL
);

-- Sagas parked before this table existed (the one place that reads the engine's table: a one-time backfill).
INSERT INTO order_attention (order_id, reason, since)
SELECT id, coalesce(attention_reason, 'needs attention'), updated_at FROM saga_instances WHERE state = 'NEEDS_ATTENTION'
ON CONFLICT DO NOTHING;
