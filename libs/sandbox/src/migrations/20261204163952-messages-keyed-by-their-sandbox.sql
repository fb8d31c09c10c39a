-- A message is keyed by its sandbox, so that the table can be distributed by sandbox_id (Citus).
ALTER TABLE sandbox_messages DROP CONSTRAINT sandbox_messages_pkey, ADD PRIMARY KEY (sandbox_id, id);
