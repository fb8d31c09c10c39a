-- An event is keyed by its sandbox, as every sandbox-scoped row is: on a Citus cluster the outbox is
-- distributed by sandbox_id, and a distributed table's keys must include it. Event ids stay unique alone.
ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_pkey, ADD PRIMARY KEY (sandbox_id, id);
