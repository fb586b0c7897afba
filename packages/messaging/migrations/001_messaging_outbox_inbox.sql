-- @shop/messaging: the transactional outbox (events waiting to be published) and the inbox (events already handled).
-- File name is distinct from a service's own migrations: both directories record into the same schema_migrations.

CREATE TABLE IF NOT EXISTS outbox (
  id                bigserial PRIMARY KEY,
  event_id          uuid        NOT NULL UNIQUE,
  event_type        text        NOT NULL,
  aggregate_id      text        NOT NULL,
  aggregate_version integer     NOT NULL,
  envelope          jsonb       NOT NULL,
  -- Copied from envelope.metadata so the trace can be continued without parsing the envelope.
  traceparent       text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  published_at      timestamptz,
  attempts          integer     NOT NULL DEFAULT 0,
  last_error        text
);

-- The relay only ever reads unpublished rows, per aggregate in version order: a small partial index.
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (aggregate_id, aggregate_version, id) WHERE published_at IS NULL;
-- Pruning published rows after the retention period.
CREATE INDEX IF NOT EXISTS outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS inbox (
  consumer          text        NOT NULL,
  event_id          uuid        NOT NULL,
  event_type        text        NOT NULL,
  aggregate_id      text        NOT NULL,
  aggregate_version integer     NOT NULL,
  processed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE INDEX IF NOT EXISTS inbox_processed ON inbox (processed_at);
