-- What the payment rules read of a wallet's history up to p_at, in one statement (RiskEngine.payment): its
-- payments in the velocity window, whether a top-up settled in the drain window, its previous payment at
-- another store, and its riskiest sign-in of the session window. Every payment is observed, so this is the
-- fraud module's hottest read: planned once per session, as a custom plan of its subqueries costs more than
-- their run.
CREATE OR REPLACE FUNCTION fraud_payment_history(
  p_sandbox text, p_wallet text, p_at timestamptz, p_event text, p_store text,
  p_velocity_since timestamptz, p_drain_since timestamptz, p_session_since timestamptz)
RETURNS TABLE (o_payments bigint, o_topped_up boolean, o_previous_store text, o_previous_at timestamptz, o_session integer)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN QUERY
  SELECT
    (SELECT count(*) FROM fraud_observations o
      WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'payment'
        AND o.occurred_at > p_velocity_since AND o.occurred_at <= p_at),
    EXISTS (SELECT 1 FROM fraud_observations o
             WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'topup_succeeded'
               AND o.occurred_at > p_drain_since AND o.occurred_at <= p_at),
    p.store_id, p.occurred_at,
    (SELECT max(o.score) FROM fraud_observations o
      WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'login'
        AND o.occurred_at > p_session_since AND o.occurred_at <= p_at)
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
    SELECT o.store_id, o.occurred_at FROM fraud_observations o
     WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'payment' AND o.occurred_at <= p_at
       AND o.event_id <> p_event AND o.store_id <> p_store
     ORDER BY o.occurred_at DESC LIMIT 1) p ON true;
END $$;
