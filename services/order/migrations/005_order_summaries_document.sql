-- The whole order as the API shows it (the decider's state, kept by the projection with one JSON merge per event), so
-- GET /orders/{id} is one indexed read instead of a replay of the event stream. Null on rows projected before this
-- column existed: those orders are read from their stream until the read model is rebuilt.
ALTER TABLE order_summaries ADD COLUMN document jsonb;
