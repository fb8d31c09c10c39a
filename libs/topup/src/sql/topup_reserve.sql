-- Reserves a top-up's amount with its wallet locked until commit: the day's usage gains it unless that
-- crosses the daily cap, and the wallet's balance, its top-ups still pending or held and this one must
-- stay within the maximum balance. Answers 'reserved', or the limit it would cross ('daily_cap',
-- 'max_balance') having changed nothing, so a request needs no transaction of its own to refuse.
CREATE OR REPLACE FUNCTION topup_reserve(
  p_sandbox text, p_wallet text, p_day date, p_amount bigint, p_daily_cap bigint, p_max_balance bigint)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM topup_lock_wallet(p_sandbox, p_wallet);
  -- The day's usage only grows under this lock: the cap read here still holds at the guarded upsert below.
  IF COALESCE((SELECT u.amount FROM topup_daily_usage u WHERE u.sandbox_id = p_sandbox AND u.wallet_id = p_wallet AND u.day = p_day), 0)
     + p_amount > p_daily_cap THEN
    RETURN 'daily_cap';
  END IF;
  IF COALESCE((SELECT b.balance FROM ledger_wallet_balances b WHERE b.sandbox_id = p_sandbox AND b.wallet_id = p_wallet), 0)
     + COALESCE((SELECT sum(t.amount) FROM topup_topups t
                  WHERE t.sandbox_id = p_sandbox AND t.wallet_id = p_wallet AND t.status IN ('pending', 'held')), 0)
     + p_amount > p_max_balance THEN
    RETURN 'max_balance';
  END IF;
  -- VALUES, not SELECT … WHERE: the amount alone is within the cap (checked above), and Citus routes an upsert of VALUES to its shard.
  INSERT INTO topup_daily_usage AS u (sandbox_id, wallet_id, day, amount)
  VALUES (p_sandbox, p_wallet, p_day, p_amount)
  ON CONFLICT (sandbox_id, wallet_id, day) DO UPDATE SET amount = u.amount + EXCLUDED.amount
   WHERE u.amount + EXCLUDED.amount <= p_daily_cap;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'topup_reserve: the day''s usage of wallet % grew without its lock', p_wallet;
  END IF;
  RETURN 'reserved';
END $$;
