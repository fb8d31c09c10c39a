-- Pays out many wallets' whole available balance to one account in one statement (a refund payout run's batch),
-- once per key; wallets on hold or with nothing left are reported, not paid.
CREATE OR REPLACE FUNCTION ledger_payout_batch(
  p_sandbox text, p_wallets text[], p_ids text[], p_keys text[], p_credit text, p_code text, p_at timestamptz)
RETURNS TABLE (o_wallet text, o_outcome text, o_transfer_id text, o_amount bigint)
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_credit AND a.kind <> 'wallet') THEN
    RAISE EXCEPTION 'ledger_payout_batch: no store or system account %', p_credit;
  END IF;
  -- Wallets locked in id order, as every other multi-wallet posting does: no deadlocks.
  PERFORM 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = ANY (p_wallets) AND a.kind = 'wallet' ORDER BY a.id FOR UPDATE;
  RETURN QUERY
  WITH input AS (
    SELECT i.wallet, i.id, i.key FROM unnest(p_wallets, p_ids, p_keys) AS i(wallet, id, key)
  ), seen AS (
    SELECT i.wallet, i.id, i.key, a.id IS NOT NULL AS found, a.balance - a.reserved AS available, COALESCE(a.holds, 0) AS holds,
           t.id AS posted_id, t.amount AS posted_amount
      FROM input i
      LEFT JOIN ledger_accounts a ON a.sandbox_id = p_sandbox AND a.id = i.wallet AND a.kind = 'wallet'
      LEFT JOIN ledger_transfers t ON t.sandbox_id = p_sandbox AND t.key = i.key
  ), payable AS (
    SELECT s.wallet, s.id, s.key, s.available FROM seen s WHERE s.posted_id IS NULL AND s.found AND s.holds = 0 AND s.available > 0
  ), debited AS (
    UPDATE ledger_accounts a SET balance = a.balance - p.available FROM payable p
     WHERE a.sandbox_id = p_sandbox AND a.id = p.wallet
    RETURNING p.wallet, p.id, p.key, p.available
  ), transfers AS (
    INSERT INTO ledger_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, metadata, posted_at)
    SELECT p_sandbox, d.id, d.key, d.wallet, p_credit, d.available, p_code, '{}'::jsonb, p_at FROM debited d
  ), entries AS (
    INSERT INTO ledger_entries (sandbox_id, account_id, transfer_id, amount, posted_at)
    SELECT p_sandbox, d.wallet, d.id, -d.available, p_at FROM debited d
    UNION ALL
    SELECT p_sandbox, p_credit, d.id, d.available, p_at FROM debited d
  )
  SELECT s.wallet,
         CASE WHEN s.posted_id IS NOT NULL THEN 'replayed'
              WHEN NOT s.found THEN 'account_not_found'
              WHEN s.holds > 0 THEN 'wallet_on_hold'
              WHEN s.available <= 0 THEN 'nothing_to_pay'
              ELSE 'posted' END,
         CASE WHEN s.posted_id IS NOT NULL THEN s.posted_id
              WHEN s.found AND s.holds = 0 AND s.available > 0 THEN s.id END,
         CASE WHEN s.posted_id IS NOT NULL THEN s.posted_amount
              WHEN s.found AND s.holds = 0 AND s.available > 0 THEN s.available ELSE 0::bigint END
    FROM seen s;
END $$;
