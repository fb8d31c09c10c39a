-- Issues a wallet's one-time code in one statement. A held wallet gets none; a session held to an allowance
-- gets none once the wallet's payments used it up (o_left, what is left of it; NULL when there is none).
-- Otherwise the wallet's live code is retired and the new one stored, one issuer per wallet at a time, so
-- "one active code" holds without a race.
CREATE OR REPLACE FUNCTION barcode_issue_code(
  p_sandbox text, p_wallet text, p_id text, p_code_hash text, p_sealed_code text, p_user text, p_device text,
  p_allowance bigint, p_expires_at timestamptz, p_now timestamptz)
RETURNS TABLE (o_outcome text, o_left bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_left bigint;
BEGIN
  IF ledger_wallet_on_hold(p_sandbox, p_wallet) THEN
    RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::bigint;
    RETURN;
  END IF;
  IF p_allowance IS NOT NULL THEN
    v_left := ledger_wallet_allowance(p_sandbox, p_wallet, p_allowance, p_now);
    IF v_left <= 0 THEN
      RETURN QUERY SELECT 'allowance_used'::text, v_left;
      RETURN;
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('payment-code/' || p_sandbox || '/' || p_wallet, 0));
  UPDATE barcode_payment_codes SET status = 'retired', sealed_code = NULL
   WHERE sandbox_id = p_sandbox AND wallet_id = p_wallet AND status = 'active';
  INSERT INTO barcode_payment_codes (sandbox_id, id, code_hash, sealed_code, wallet_id, user_id, device_id, step_up_allowance, status,
                                     expires_at, created_at)
  VALUES (p_sandbox, p_id, p_code_hash, p_sealed_code, p_wallet, p_user, p_device, p_allowance, 'active', p_expires_at, p_now);
  RETURN QUERY SELECT 'issued'::text, v_left;
END $$;
