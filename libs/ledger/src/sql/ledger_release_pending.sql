-- Voids a pending transfer, or expires it once due: its reservation goes back to the wallet.
CREATE OR REPLACE FUNCTION ledger_release_pending(
  p_sandbox text, p_pending_id text, p_status text, p_at timestamptz)
RETURNS TABLE (o_outcome text, o_status text)
LANGUAGE plpgsql AS $$
DECLARE
  v ledger_pending_transfers%ROWTYPE;
BEGIN
  IF p_status NOT IN ('voided', 'expired') THEN
    RAISE EXCEPTION 'ledger_release_pending: status must be voided or expired' USING ERRCODE = 'check_violation';
  END IF;
  SELECT * INTO v FROM ledger_pending_transfers t WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text;
    RETURN;
  END IF;
  IF v.status <> 'pending' THEN
    RETURN QUERY SELECT 'not_pending'::text, v.status;
    RETURN;
  END IF;
  IF p_status = 'expired' AND (v.expires_at IS NULL OR v.expires_at > p_at) THEN
    RETURN QUERY SELECT 'not_due'::text, v.status;
    RETURN;
  END IF;
  UPDATE ledger_accounts a SET reserved = a.reserved - v.amount
   WHERE a.sandbox_id = p_sandbox AND a.id = v.debit_account_id AND a.kind = 'wallet';
  UPDATE ledger_pending_transfers t SET status = p_status, resolved_at = p_at
   WHERE t.sandbox_id = p_sandbox AND t.id = p_pending_id;
  RETURN QUERY SELECT 'released'::text, p_status;
END $$;
