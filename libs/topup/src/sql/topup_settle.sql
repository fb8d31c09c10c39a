-- Settles an authorised top-up in one statement: with its wallet locked (topup_lock_wallet) and its row
-- locked, a top-up still pending is credited by one ledger transfer keyed by the top-up, marked succeeded,
-- and its event written with the transfer and the wallet's new balance added to p_facts. Answers
-- 'succeeded', or the status the top-up already had: a redelivered job changes nothing.
CREATE OR REPLACE FUNCTION topup_settle(
  p_sandbox text, p_topup text, p_debit text, p_authorization_id text, p_transfer_id text,
  p_event_id text, p_facts jsonb, p_request_id text, p_at timestamptz)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_topup topup_topups%ROWTYPE;
  v_moved record;
BEGIN
  SELECT * INTO v_topup FROM topup_topups t WHERE t.sandbox_id = p_sandbox AND t.id = p_topup;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'topup_settle: no top-up % in sandbox %', p_topup, p_sandbox;
  END IF;
  PERFORM topup_lock_wallet(p_sandbox, v_topup.wallet_id);
  SELECT * INTO v_topup FROM topup_topups t WHERE t.sandbox_id = p_sandbox AND t.id = p_topup FOR UPDATE;
  IF v_topup.status <> 'pending' THEN
    RETURN v_topup.status;
  END IF;
  SELECT * INTO v_moved FROM ledger_transfer(p_sandbox, p_transfer_id, 'topup/' || p_topup, p_debit, v_topup.wallet_id, v_topup.amount,
    'topup', jsonb_build_object('topupId', p_topup, 'channel', v_topup.channel), p_at);
  IF v_moved.o_outcome NOT IN ('posted', 'replayed') THEN
    RAISE EXCEPTION 'topup_settle: the ledger refused top-up % (%)', p_topup, v_moved.o_outcome;
  END IF;
  UPDATE topup_topups t SET status = 'succeeded', authorization_id = p_authorization_id, transfer_id = v_moved.o_transfer_id, updated_at = p_at
   WHERE t.sandbox_id = p_sandbox AND t.id = p_topup;
  PERFORM outbox_publish(p_event_id, p_sandbox, 'topup.succeeded',
    p_facts || jsonb_build_object('transferId', v_moved.o_transfer_id, 'balance', COALESCE(v_moved.o_credit_balance, 0)),
    p_request_id, p_at);
  RETURN 'succeeded';
END $$;
