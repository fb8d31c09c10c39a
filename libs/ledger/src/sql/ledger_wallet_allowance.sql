-- What a wallet may still pay of p_allowance: the allowance less its payments posted, and its payments
-- reserved and still open, since 24 hours before p_now (one posted a moment after p_now, by a clock read
-- elsewhere, counts too). Negative when the wallet went beyond it. PL/pgSQL keeps its plan (CONTRIBUTING.md).
CREATE OR REPLACE FUNCTION ledger_wallet_allowance(p_sandbox text, p_wallet text, p_allowance bigint, p_now timestamptz)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN p_allowance
    - COALESCE((SELECT sum(t.amount) FROM ledger_transfers t
                 WHERE t.sandbox_id = p_sandbox AND t.debit_account_id = p_wallet AND t.code = 'payment'
                   AND t.posted_at > p_now - interval '24 hours'), 0)
    - COALESCE((SELECT sum(p.amount) FROM ledger_pending_transfers p
                 WHERE p.sandbox_id = p_sandbox AND p.debit_account_id = p_wallet AND p.status = 'pending'
                   AND p.code = 'payment' AND p.created_at > p_now - interval '24 hours'), 0);
END $$;
