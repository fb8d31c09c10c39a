-- A register's scan in one statement: the terminal, the service phase, the code, holds and balance, then the
-- transfer (or the pre-authorisation), the payment row and its event. Outcomes other than 'ok' are refusals.
CREATE OR REPLACE FUNCTION capture_payment(
  p_sandbox text, p_store text, p_terminal text, p_code_hash text, p_amount bigint, p_capture boolean,
  p_allow_partial boolean, p_order_ref text, p_category text, p_max_amount bigint,
  p_payment_id text, p_transfer_id text, p_pending_id text, p_event_id text, p_request_id text)
RETURNS TABLE (o_outcome text, o_status text, o_wallet_id text, o_user_id text, o_amount bigint, o_cash_due bigint,
               o_created_at timestamptz, o_expires_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz;
  v_code record;
  v_available bigint;
  v_pay bigint;
  v_status text;
  v_expires timestamptz;
  v_moved text;
  v_balance bigint;
  v_phase text;
  v_payment capture_payments;
  v_covered record;
BEGIN
  SELECT c.now INTO v_now FROM sandbox_clocks c WHERE c.sandbox_id = p_sandbox;
  IF p_terminal IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM capture_terminals t WHERE t.sandbox_id = p_sandbox AND t.id = p_terminal AND t.store_id = p_store) THEN
    RETURN QUERY SELECT 'terminal_not_found'::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  -- The service phase decides whether anyone may pay at all (nobody can once the service terminated).
  v_phase := lifecycle_phase_at(p_sandbox, v_now);
  IF NOT lifecycle_payment_open(v_phase) THEN
    RETURN QUERY SELECT 'service_suspended'::text, v_phase, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  IF p_amount > p_max_amount THEN
    RETURN QUERY SELECT 'limit_exceeded'::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;

  -- The code row stays locked until commit: every other register scanning it waits, then sees it used.
  SELECT * INTO v_code FROM barcode_take_code(p_sandbox, p_code_hash, v_now);
  IF v_code.o_outcome <> 'ok' THEN
    RETURN QUERY SELECT v_code.o_outcome, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;

  -- A held wallet is refused before its balance is even looked at.
  IF ledger_wallet_on_hold(p_sandbox, v_code.o_wallet_id) THEN
    RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::text, v_code.o_wallet_id, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  v_available := COALESCE(ledger_lock_available(p_sandbox, v_code.o_wallet_id), 0);
  v_pay := LEAST(p_amount, v_available);
  IF v_pay < p_amount AND (NOT p_allow_partial OR v_pay <= 0) THEN
    RETURN QUERY SELECT 'insufficient_balance'::text, NULL::text, v_code.o_wallet_id, NULL::text, v_available, NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  -- A code shown without a recent second factor pays only within what is left of its allowance (the row is locked).
  SELECT * INTO v_covered FROM barcode_code_covers(p_sandbox, v_code.o_code_id, v_pay, v_now);
  IF NOT v_covered.o_covers THEN
    RETURN QUERY SELECT 'step_up_allowance_exceeded'::text, NULL::text, v_code.o_wallet_id, NULL::text, GREATEST(v_covered.o_left, 0), NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;

  IF p_capture THEN
    SELECT t.o_outcome, t.o_debit_balance INTO v_moved, v_balance FROM ledger_transfer(p_sandbox, p_transfer_id, 'payment/' || p_payment_id, v_code.o_wallet_id, p_store,
      v_pay, 'payment', jsonb_build_object('paymentId', p_payment_id), v_now) t;
    v_status := 'captured';
  ELSE
    v_expires := v_now + interval '7 days';
    SELECT r.o_outcome INTO v_moved FROM ledger_reserve(p_sandbox, p_pending_id, 'payment/' || p_payment_id, v_code.o_wallet_id, p_store,
      v_pay, 'payment', jsonb_build_object('paymentId', p_payment_id), v_now, v_expires) r;
    v_status := 'authorized';
  END IF;
  IF v_moved = 'wallet_on_hold' THEN
    RETURN QUERY SELECT 'wallet_on_hold'::text, NULL::text, v_code.o_wallet_id, NULL::text, NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  IF v_moved NOT IN ('posted', 'reserved') THEN
    RAISE EXCEPTION 'capture_payment: the ledger refused the payment (%)', v_moved;
  END IF;

  PERFORM barcode_use_code(p_sandbox, v_code.o_code_id, v_now, p_payment_id);
  INSERT INTO capture_payments (sandbox_id, id, store_id, terminal_id, wallet_id, user_id, method, code_id, status, requested_amount,
                                amount, cash_due, captured_amount, pending_id, transfer_id, order_ref, category, created_at, captured_at, expires_at)
  VALUES (p_sandbox, p_payment_id, p_store, p_terminal, v_code.o_wallet_id, v_code.o_user_id, 'cpm', v_code.o_code_id, v_status, p_amount,
          v_pay, p_amount - v_pay, CASE WHEN p_capture THEN v_pay ELSE 0 END,
          CASE WHEN p_capture THEN NULL ELSE p_pending_id END, CASE WHEN p_capture THEN p_transfer_id END,
          p_order_ref, p_category, v_now, CASE WHEN p_capture THEN v_now END, v_expires)
  RETURNING * INTO v_payment;
  PERFORM outbox_publish(p_event_id, p_sandbox, 'payment.' || v_status,
    capture_payment_facts(v_payment)
    || CASE WHEN p_capture THEN jsonb_build_object('cashDue', p_amount - v_pay, 'walletBalance', v_balance)
            ELSE jsonb_build_object('expiresAt', to_char(v_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
    p_request_id, v_now);
  RETURN QUERY SELECT v_status, v_status, v_code.o_wallet_id, v_code.o_user_id, v_pay, p_amount - v_pay, v_now, v_expires;
END $$;
