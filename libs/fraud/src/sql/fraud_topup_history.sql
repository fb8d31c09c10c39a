-- What the top-up rules read of a wallet's history up to p_at, in one statement (RiskEngine.topup): its top-up
-- requests of the last minute, hour and day; its latest sign of a takeover in each rule's window (a sign-in
-- on a new device, a password reset) with its other top-up requests since, so only the first after it
-- scores; whether p_card was added in the new-card window; its riskiest sign-in of the session window; its
-- open hold. Planned once per session: a custom plan of these subqueries costs ten times their run.
CREATE OR REPLACE FUNCTION fraud_topup_history(
  p_sandbox text, p_wallet text, p_at timestamptz, p_event text, p_card text,
  p_new_device_since timestamptz, p_password_reset_since timestamptz, p_new_card_since timestamptz, p_session_since timestamptz)
RETURNS TABLE (o_minute bigint, o_hour bigint, o_day bigint, o_amount_minute numeric, o_amount_hour numeric, o_amount_day numeric,
               o_new_device_sign_at timestamptz, o_topups_since_new_device bigint,
               o_password_reset_at timestamptz, o_topups_since_password_reset bigint,
               o_card_added boolean, o_session integer, o_open_hold text)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN QUERY
  SELECT v.minute, v.hour, v.day, v.amount_minute, v.amount_hour, v.amount_day,
    nd.occurred_at,
    (SELECT count(*) FROM fraud_observations o
      WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'topup_requested'
        AND o.occurred_at >= nd.occurred_at AND o.occurred_at <= p_at AND o.event_id <> p_event),
    pr.occurred_at,
    (SELECT count(*) FROM fraud_observations o
      WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'topup_requested'
        AND o.occurred_at >= pr.occurred_at AND o.occurred_at <= p_at AND o.event_id <> p_event),
    p_card IS NOT NULL AND EXISTS (
      SELECT 1 FROM fraud_observations o
       WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'card_added' AND o.ref_id = p_card
         AND o.occurred_at > p_new_card_since AND o.occurred_at <= p_at),
    (SELECT max(o.score) FROM fraud_observations o
      WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'login'
        AND o.occurred_at > p_session_since AND o.occurred_at <= p_at),
    (SELECT h.id FROM fraud_holds h WHERE h.sandbox_id = p_sandbox AND h.wallet_id = p_wallet AND h.status = 'open' LIMIT 1)
  FROM (
    SELECT count(*) FILTER (WHERE o.occurred_at > p_at - interval '1 minute') AS minute,
           count(*) FILTER (WHERE o.occurred_at > p_at - interval '1 hour') AS hour,
           count(*) AS day,
           sum(o.amount) FILTER (WHERE o.occurred_at > p_at - interval '1 minute') AS amount_minute,
           sum(o.amount) FILTER (WHERE o.occurred_at > p_at - interval '1 hour') AS amount_hour,
           sum(o.amount) AS amount_day
      FROM fraud_observations o
     WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'topup_requested'
       AND o.occurred_at > p_at - interval '1 day' AND o.occurred_at <= p_at) v
  LEFT JOIN LATERAL (
    SELECT o.occurred_at FROM fraud_observations o
     WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'login' AND (o.flags->>'deviceChange')::boolean
       AND o.occurred_at > p_new_device_since AND o.occurred_at <= p_at
     ORDER BY o.occurred_at DESC LIMIT 1) nd ON true
  LEFT JOIN LATERAL (
    SELECT o.occurred_at FROM fraud_observations o
     WHERE o.sandbox_id = p_sandbox AND o.wallet_id = p_wallet AND o.kind = 'password_reset'
       AND o.occurred_at > p_password_reset_since AND o.occurred_at <= p_at
     ORDER BY o.occurred_at DESC LIMIT 1) pr ON true;
END $$;
