-- A command's load in one round trip: take the stream's append lock, then read the stream. One statement cannot do
-- that on its own — its snapshot is taken when it starts, before it waits for the lock, so it would miss the events
-- of the writer it waited for. A VOLATILE PL/pgSQL function takes a fresh snapshot for each statement it runs (READ
-- COMMITTED), so the SELECT below sees everything committed up to the moment the lock was granted.
CREATE FUNCTION event_store_lock_and_read(lock_namespace integer, stream text)
  RETURNS SETOF event_store_events
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_namespace, hashtext(stream));
  RETURN QUERY SELECT * FROM event_store_events WHERE stream_id = stream ORDER BY version;
END
$$;
