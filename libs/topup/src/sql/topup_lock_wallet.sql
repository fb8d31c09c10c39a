-- Until commit: a wallet's top-ups are requested, settled and resolved one at a time.
CREATE OR REPLACE FUNCTION topup_lock_wallet(p_sandbox text, p_wallet text)
RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('topup-wallet/' || p_sandbox || '/' || p_wallet, 0))
$$;
