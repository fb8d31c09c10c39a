-- One victim per hold, within the hold's sandbox: a distributed table's unique keys include sandbox_id (Citus).
ALTER TABLE fraud_victims DROP CONSTRAINT fraud_victims_hold_id_key, ADD CONSTRAINT fraud_victims_one_per_hold UNIQUE (sandbox_id, hold_id);
