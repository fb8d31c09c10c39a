-- Each wallet's balance, what it can spend and whether a hold stops it.
CREATE OR REPLACE VIEW ledger_wallet_balances AS
SELECT sandbox_id, id AS wallet_id, balance, balance - reserved AS available, holds > 0 AS on_hold
  FROM ledger_accounts WHERE kind = 'wallet';
