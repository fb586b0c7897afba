-- Where each asynchronous projection got to in the log: the (transaction_id, global_position) of the last event it
-- applied, updated in the same transaction as the projection's read-model writes.
CREATE TABLE event_store_checkpoints (
  projection text PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT '0',
  global_position bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
