-- The W3C trace context of the request that started the saga: its steps continue that trace in the same process,
-- and a process resuming the saga after a crash starts a new trace *linked* to it.
ALTER TABLE saga_instances ADD COLUMN trace_context text;
