-- A wallet hold is placed and released, in the ledger as in the fraud module (the ledger said applied and lifted).
-- Jobs the relay stored under the old job names still run: see `formerly` in ledger.jobs.ts.
ALTER TABLE ledger_lifted_holds RENAME TO ledger_released_holds;
ALTER TABLE ledger_released_holds RENAME COLUMN lifted_at TO released_at;
ALTER TABLE ledger_released_holds RENAME CONSTRAINT ledger_lifted_holds_pkey TO ledger_released_holds_pkey;
COMMENT ON TABLE ledger_released_holds IS 'Holds already released: a late or repeated placing of the same hold changes nothing.';
