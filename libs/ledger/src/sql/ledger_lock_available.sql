-- What a wallet can spend (its balance less its reservations), its row locked until commit; null for no
-- such wallet. PL/pgSQL keeps its plan (CONTRIBUTING.md, "A SQL function or view").
CREATE OR REPLACE FUNCTION ledger_lock_available(p_sandbox text, p_account text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_available bigint;
BEGIN
  SELECT balance - reserved INTO v_available FROM ledger_accounts
   WHERE sandbox_id = p_sandbox AND id = p_account AND kind = 'wallet' FOR UPDATE;
  RETURN v_available;
END $$;
