-- Reserves an amount on the debit account for a pending transfer (a pre-authorisation), once per key.
CREATE OR REPLACE FUNCTION ledger_reserve(
  p_sandbox text, p_id text, p_key text, p_debit text, p_credit text, p_amount bigint,
  p_code text, p_metadata jsonb, p_at timestamptz, p_expires_at timestamptz)
RETURNS TABLE (o_outcome text, o_pending_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_existing ledger_pending_transfers%ROWTYPE;
  v_debit_kind text;
  v_credit_kind text;
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RAISE EXCEPTION 'ledger_reserve: amount must be positive' USING ERRCODE = 'check_violation';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(p_sandbox || '/' || p_key, 0));
  SELECT * INTO v_existing FROM ledger_pending_transfers t WHERE t.sandbox_id = p_sandbox AND t.key = p_key;
  IF FOUND THEN
    IF v_existing.debit_account_id = p_debit AND v_existing.credit_account_id = p_credit AND v_existing.amount = p_amount THEN
      RETURN QUERY SELECT 'replayed'::text, v_existing.id;
    ELSE
      RETURN QUERY SELECT 'key_reused'::text, v_existing.id;
    END IF;
    RETURN;
  END IF;
  SELECT a.kind INTO v_debit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit;
  SELECT a.kind INTO v_credit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_credit;
  IF v_debit_kind IS NULL OR v_credit_kind IS NULL THEN
    RETURN QUERY SELECT 'account_not_found'::text, NULL::text;
    RETURN;
  END IF;
  IF v_debit_kind = 'wallet' THEN
    UPDATE ledger_accounts a SET reserved = a.reserved + p_amount
     WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.balance - a.reserved >= p_amount
       AND (p_code <> 'payment' OR a.holds = 0);
    IF NOT FOUND THEN
      IF p_code = 'payment' AND EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = p_debit AND a.holds > 0) THEN
        RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::text;
      ELSE
        RETURN QUERY SELECT 'insufficient_balance'::text, NULL::text;
      END IF;
      RETURN;
    END IF;
  END IF;
  INSERT INTO ledger_pending_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, metadata, status, created_at, expires_at)
  VALUES (p_sandbox, p_id, p_key, p_debit, p_credit, p_amount, p_code, COALESCE(p_metadata, '{}'), 'pending', p_at, p_expires_at);
  RETURN QUERY SELECT 'reserved'::text, p_id;
END $$;
