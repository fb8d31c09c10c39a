-- Whether any hold stops a wallet's payments. PL/pgSQL keeps its plan (CONTRIBUTING.md, "A SQL function or view").
CREATE OR REPLACE FUNCTION ledger_wallet_on_hold(p_sandbox text, p_wallet text)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN COALESCE((SELECT holds > 0 FROM ledger_accounts WHERE sandbox_id = p_sandbox AND id = p_wallet), false);
END $$;
