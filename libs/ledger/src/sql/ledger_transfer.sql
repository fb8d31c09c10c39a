-- Posts one transfer between two accounts, once per key: a replay with the same key returns the first posting,
-- a different transfer under a used key is refused. Wallets never go below what they have available,
-- and a payment never leaves a wallet on hold.
CREATE OR REPLACE FUNCTION ledger_transfer(
  p_sandbox text, p_id text, p_key text, p_debit text, p_credit text, p_amount bigint,
  p_code text, p_metadata jsonb, p_at timestamptz, p_pending_id text DEFAULT NULL)
RETURNS TABLE (o_outcome text, o_transfer_id text, o_debit_balance bigint, o_credit_balance bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_existing ledger_transfers%ROWTYPE;
  v_debit_kind text;
  v_credit_kind text;
  v_debit_balance bigint;
  v_credit_balance bigint;
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RAISE EXCEPTION 'ledger_transfer: amount must be positive' USING ERRCODE = 'check_violation';
  END IF;
  -- Same-key postings queue here, so the second sees the first's row and replays it.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_sandbox || '/' || p_key, 0));
  SELECT * INTO v_existing FROM ledger_transfers t WHERE t.sandbox_id = p_sandbox AND t.key = p_key;
  IF FOUND THEN
    IF v_existing.debit_account_id = p_debit AND v_existing.credit_account_id = p_credit AND v_existing.amount = p_amount THEN
      RETURN QUERY SELECT 'replayed'::text, v_existing.id,
        (SELECT a.balance FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.kind = 'wallet'),
        (SELECT a.balance FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_credit AND a.kind = 'wallet');
    ELSE
      RETURN QUERY SELECT 'key_reused'::text, v_existing.id, NULL::bigint, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  SELECT a.kind INTO v_debit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit;
  SELECT a.kind INTO v_credit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_credit;
  IF v_debit_kind IS NULL OR v_credit_kind IS NULL THEN
    RETURN QUERY SELECT 'account_not_found'::text, NULL::text, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  IF v_debit_kind = 'wallet' AND v_credit_kind = 'wallet' THEN
    -- Two wallets: lock both in id order so opposite transfers cannot deadlock.
    PERFORM 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id IN (p_debit, p_credit) ORDER BY a.id FOR UPDATE;
  END IF;
  IF v_debit_kind = 'wallet' THEN
    UPDATE ledger_accounts a SET balance = a.balance - p_amount
     WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.balance - a.reserved >= p_amount
       AND (p_code <> 'payment' OR a.holds = 0)
    RETURNING a.balance INTO v_debit_balance;
    IF NOT FOUND THEN
      IF p_code = 'payment' AND EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.holds > 0) THEN
        RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::text, NULL::bigint, NULL::bigint;
      ELSE
        RETURN QUERY SELECT 'insufficient_balance'::text, NULL::text, NULL::bigint, NULL::bigint;
      END IF;
      RETURN;
    END IF;
  END IF;
  IF v_credit_kind = 'wallet' THEN
    UPDATE ledger_accounts a SET balance = a.balance + p_amount
     WHERE a.sandbox_id = p_sandbox AND a.id = p_credit
    RETURNING a.balance INTO v_credit_balance;
  END IF;
  INSERT INTO ledger_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, pending_id, metadata, posted_at)
  VALUES (p_sandbox, p_id, p_key, p_debit, p_credit, p_amount, p_code, p_pending_id, COALESCE(p_metadata, '{}'), p_at);
  INSERT INTO ledger_entries (sandbox_id, account_id, transfer_id, amount, posted_at)
  VALUES (p_sandbox, p_debit, p_id, -p_amount, p_at), (p_sandbox, p_credit, p_id, p_amount, p_at);
  RETURN QUERY SELECT 'posted'::text, p_id, v_debit_balance, v_credit_balance;
END $$;
