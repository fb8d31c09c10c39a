-- Records a requested top-up in one statement: its amount reserved (topup_reserve), the top-up pending and,
-- when it is ready to be screened (p_event_id given), its `topup.requested` event with p_facts. Answers the
-- reservation's outcome and, once reserved, the new row; a refusal changes nothing.
CREATE OR REPLACE FUNCTION topup_request(
  p_sandbox text, p_id text, p_wallet text, p_user text, p_channel text, p_amount bigint,
  p_card text, p_bank_account text, p_store text, p_next_action jsonb, p_day date, p_at timestamptz,
  p_daily_cap bigint, p_max_balance bigint, p_event_id text, p_facts jsonb, p_request_id text)
RETURNS TABLE (o_outcome text, o_topup topup_topups) LANGUAGE plpgsql AS $$
DECLARE
  v_outcome text;
  v_topup topup_topups;
BEGIN
  v_outcome := topup_reserve(p_sandbox, p_wallet, p_day, p_amount, p_daily_cap, p_max_balance);
  IF v_outcome <> 'reserved' THEN
    RETURN QUERY SELECT v_outcome, NULL::topup_topups;
    RETURN;
  END IF;
  INSERT INTO topup_topups (sandbox_id, id, wallet_id, user_id, channel, amount, status, card_id, bank_account_id, store_id,
                            next_action, usage_day, created_at, updated_at)
  VALUES (p_sandbox, p_id, p_wallet, p_user, p_channel, p_amount, 'pending', p_card, p_bank_account, p_store,
          p_next_action, p_day, p_at, p_at)
  RETURNING * INTO v_topup;
  IF p_event_id IS NOT NULL THEN
    PERFORM outbox_publish(p_event_id, p_sandbox, 'topup.requested', p_facts, p_request_id, p_at);
  END IF;
  RETURN QUERY SELECT v_outcome, v_topup;
END $$;
