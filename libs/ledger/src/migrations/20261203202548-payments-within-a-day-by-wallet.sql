-- What a wallet paid in the last 24 hours is read on every payment made without a recent second factor
-- (sql/ledger_wallet_allowance.sql): its payment transfers by time, and its open reservations.
CREATE INDEX ledger_transfers_payments_by_wallet ON ledger_transfers (sandbox_id, debit_account_id, posted_at) WHERE code = 'payment';
CREATE INDEX ledger_pending_by_wallet ON ledger_pending_transfers (sandbox_id, debit_account_id) WHERE status = 'pending';
