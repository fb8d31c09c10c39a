-- What a wallet can spend (its balance less its reservations), its row locked until commit.
CREATE OR REPLACE FUNCTION ledger_lock_available(p_sandbox text, p_account text)
RETURNS bigint LANGUAGE sql AS $$
  SELECT balance - reserved FROM ledger_accounts WHERE sandbox_id = p_sandbox AND id = p_account AND kind = 'wallet' FOR UPDATE
$$;
