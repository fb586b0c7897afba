-- The event log: every stream's events, and at the same time the service's outbox (nothing is written twice).
CREATE TABLE event_store_events (
  -- Order of insertion; unique but NOT commit order (a slow transaction can commit a lower position late).
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The appending transaction. Readers of the whole log only see transactions older than every transaction still
  -- running (pg_snapshot_xmin), and order by (transaction_id, global_position): that order never gains an event
  -- behind a reader's checkpoint. See README "Why readAll never skips an event".
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id uuid NOT NULL UNIQUE,
  stream_id text NOT NULL,
  -- 1-based position in the stream. The unique constraint IS the optimistic concurrency check: two writers that
  -- both expected version n both insert n + 1, and the database lets only one of them commit.
  version integer NOT NULL CHECK (version > 0),
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL,
  CONSTRAINT event_store_events_stream_version_key UNIQUE (stream_id, version)
);

CREATE INDEX event_store_events_log_order ON event_store_events (transaction_id, global_position);
