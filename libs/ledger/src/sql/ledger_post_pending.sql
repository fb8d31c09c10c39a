-- Posts a pending transfer, in full or in part; the rest of the reservation is released.
CREATE OR REPLACE FUNCTION ledger_post_pending(
  p_sandbox text, p_pending_id text, p_amount bigint, p_transfer_id text, p_at timestamptz)
RETURNS TABLE (o_outcome text, o_transfer_id text, o_amount bigint, o_status text)
LANGUAGE plpgsql AS $$
DECLARE
  v ledger_pending_transfers%ROWTYPE;
  v_amount bigint;
  v_debit_kind text;
  v_credit_kind text;
BEGIN
  SELECT * INTO v FROM ledger_pending_transfers t WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::bigint, NULL::text;
    RETURN;
  END IF;
  IF v.status <> 'pending' THEN
    RETURN QUERY SELECT 'not_pending'::text, v.transfer_id, v.posted_amount, v.status;
    RETURN;
  END IF;
  IF v.expires_at IS NOT NULL AND v.expires_at <= p_at THEN
    -- Past due but not yet swept: refuse; the expiry sweep releases it and says so.
    RETURN QUERY SELECT 'not_pending'::text, NULL::text, NULL::bigint, 'expired'::text;
    RETURN;
  END IF;
  v_amount := COALESCE(p_amount, v.amount);
  IF v_amount <= 0 OR v_amount > v.amount THEN
    RETURN QUERY SELECT 'amount_exceeds_pending'::text, NULL::text, v.amount, v.status;
    RETURN;
  END IF;
  SELECT a.kind INTO v_debit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = v.debit_account_id;
  SELECT a.kind INTO v_credit_kind FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id = v.credit_account_id;
  IF v_debit_kind = 'wallet' AND v_credit_kind = 'wallet' THEN
    PERFORM 1 FROM ledger_accounts a WHERE a.sandbox_id = p_sandbox AND a.id IN (v.debit_account_id, v.credit_account_id) ORDER BY a.id FOR UPDATE;
  END IF;
  IF v_debit_kind = 'wallet' THEN
    -- The reservation guaranteed the funds; release all of it and take what is posted, unless a payment meets a hold.
    UPDATE ledger_accounts a SET reserved = a.reserved - v.amount, balance = a.balance - v_amount
     WHERE a.sandbox_id = p_sandbox AND a.id = v.debit_account_id AND (v.code <> 'payment' OR a.holds = 0);
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::text, NULL::bigint, v.status;
      RETURN;
    END IF;
  END IF;
  IF v_credit_kind = 'wallet' THEN
    UPDATE ledger_accounts a SET balance = a.balance + v_amount
     WHERE a.sandbox_id = p_sandbox AND a.id = v.credit_account_id;
  END IF;
  INSERT INTO ledger_transfers (sandbox_id, id, key, debit_account_id, credit_account_id, amount, code, pending_id, metadata, posted_at)
  VALUES (p_sandbox, p_transfer_id, v.key || '/post', v.debit_account_id, v.credit_account_id, v_amount, v.code, v.id, v.metadata, p_at);
  INSERT INTO ledger_entries (sandbox_id, account_id, transfer_id, amount, posted_at)
  VALUES (p_sandbox, v.debit_account_id, p_transfer_id, -v_amount, p_at), (p_sandbox, v.credit_account_id, p_transfer_id, v_amount, p_at);
  UPDATE ledger_pending_transfers t SET status = 'posted', posted_amount = v_amount, transfer_id = p_transfer_id, resolved_at = p_at
   WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id;
  RETURN QUERY SELECT 'posted'::text, p_transfer_id, v_amount, 'posted'::text;
END $$;
