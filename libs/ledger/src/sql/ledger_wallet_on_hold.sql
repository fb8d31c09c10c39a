-- Whether any hold stops a wallet's payments.
CREATE OR REPLACE FUNCTION ledger_wallet_on_hold(p_sandbox text, p_wallet text)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT COALESCE((SELECT holds > 0 FROM ledger_accounts WHERE sandbox_id = p_sandbox AND id = p_wallet), false)
$$;
