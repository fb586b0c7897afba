-- Saga instances and their step log. Every time below is written from the engine's injected clock (never now()),
-- so tests with a fake clock and processes on different hosts agree on what "due" and "expired" mean.
CREATE TABLE saga_instances (
  id                text PRIMARY KEY,
  saga_name         text NOT NULL,
  -- RUNNING | COMPENSATING | COMPLETED | COMPENSATED | NEEDS_ATTENTION
  state             text NOT NULL,
  -- RUNNING: index of the step to invoke next; COMPENSATING: highest index that may still need compensating.
  current_step      integer NOT NULL DEFAULT 0,
  data              jsonb NOT NULL,
  -- Attempts already made at the current step or compensation; reset to 0 when it moves on or on a manual retry.
  attempt           integer NOT NULL DEFAULT 0,
  -- When the instance may run again: now for fresh work, later after a failure (persisted backoff).
  next_attempt_at   timestamptz,
  -- Why the saga is compensating (the business failure or exhausted step), kept for the COMPENSATED record.
  failure_reason    text,
  -- Set while NEEDS_ATTENTION: why, and the state a manual retry returns to.
  attention_reason  text,
  attention_from    text,
  -- Lease: only the owner runs the instance until lease_until; an expired lease may be claimed by anyone.
  lease_owner       text,
  lease_until       timestamptz,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);

-- The worker's query: unfinished instances that are due, earliest first.
CREATE INDEX saga_instances_due ON saga_instances (next_attempt_at) WHERE state IN ('RUNNING', 'COMPENSATING');
CREATE INDEX saga_instances_state ON saga_instances (state);

-- One row per attempt of an invoke or a compensation. A row with no outcome is an attempt in flight, or one whose
-- process died before it could record the result (the resumed attempt uses the same idempotency key).
CREATE TABLE saga_step_log (
  id               bigserial PRIMARY KEY,
  saga_id          text NOT NULL REFERENCES saga_instances (id),
  step_name        text NOT NULL,
  -- invoke | compensate
  action           text NOT NULL,
  attempt          integer NOT NULL,
  idempotency_key  text NOT NULL,
  started_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  -- succeeded | business-failure | transient-failure | error
  outcome          text,
  error            text
);

CREATE INDEX saga_step_log_saga ON saga_step_log (saga_id, id);
