-- Which process made each attempt, and until when its lease let it: with several replicas on one database this is
-- what proves (from the log alone) that no step ever ran in two processes at once. An attempt cut off by a crash
-- has no finished_at; its lease_until bounds how long it can have run. NULL on rows written before this column.
ALTER TABLE saga_step_log ADD COLUMN lease_owner text;
ALTER TABLE saga_step_log ADD COLUMN lease_until timestamptz;
