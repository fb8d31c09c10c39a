-- Locks a scanned code's row until commit and says whether it may pay.
CREATE OR REPLACE FUNCTION barcode_take_code(p_sandbox text, p_code_hash text, p_now timestamptz)
RETURNS TABLE (o_outcome text, o_code_id text, o_wallet_id text, o_user_id text, o_device_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v barcode_payment_codes%ROWTYPE;
BEGIN
  SELECT * INTO v FROM barcode_payment_codes c WHERE c.sandbox_id = p_sandbox AND c.code_hash = p_code_hash FOR UPDATE;
  IF NOT FOUND OR v.status = 'retired' THEN
    RETURN QUERY SELECT 'code_invalid'::text, NULL::text, NULL::text, NULL::text, NULL::text;
  ELSIF v.status = 'used' THEN
    RETURN QUERY SELECT 'code_used'::text, v.id, v.wallet_id, v.user_id, v.device_id;
  ELSIF v.expires_at <= p_now THEN
    RETURN QUERY SELECT 'code_expired'::text, v.id, v.wallet_id, v.user_id, v.device_id;
  ELSE
    RETURN QUERY SELECT 'ok'::text, v.id, v.wallet_id, v.user_id, v.device_id;
  END IF;
END $$;
