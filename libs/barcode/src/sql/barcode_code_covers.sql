-- Whether a taken code may pay p_amount: a code shown without a recent second factor pays only within
-- what is left of the allowance it carries (o_left; NULL when it carries none). Call it with the wallet's
-- row locked (ledger_lock_available), so two payments cannot both take the same yen.
CREATE OR REPLACE FUNCTION barcode_code_covers(p_sandbox text, p_code text, p_amount bigint, p_now timestamptz)
RETURNS TABLE (o_covers boolean, o_left bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_allowance bigint;
  v_wallet text;
  v_left bigint;
BEGIN
  SELECT c.step_up_allowance, c.wallet_id INTO v_allowance, v_wallet
    FROM barcode_payment_codes c WHERE c.sandbox_id = p_sandbox AND c.id = p_code;
  IF v_allowance IS NOT NULL THEN
    v_left := ledger_wallet_allowance(p_sandbox, v_wallet, v_allowance, p_now);
  END IF;
  RETURN QUERY SELECT v_left IS NULL OR v_left >= p_amount, v_left;
END $$;
