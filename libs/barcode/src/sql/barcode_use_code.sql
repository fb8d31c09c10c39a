-- A code that paid is used up, and its sealed copy is forgotten. PL/pgSQL keeps its plan (CONTRIBUTING.md).
CREATE OR REPLACE FUNCTION barcode_use_code(p_sandbox text, p_code_id text, p_now timestamptz, p_payment_id text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE barcode_payment_codes SET status = 'used', used_at = p_now, payment_id = p_payment_id, sealed_code = NULL
   WHERE sandbox_id = p_sandbox AND id = p_code_id AND status = 'active';
END $$;
