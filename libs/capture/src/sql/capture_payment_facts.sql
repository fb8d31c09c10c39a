-- What every payment event says (PaymentFacts in capture.events.ts), from the payment's row. The one builder: for the
-- events capture_payment publishes and for those the TypeScript paths emit (PaymentsRepository.facts).
CREATE OR REPLACE FUNCTION capture_payment_facts(p capture_payments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'paymentId', p.id, 'storeId', p.store_id, 'terminalId', p.terminal_id, 'walletId', p.wallet_id,
    'userId', p.user_id, 'method', p.method, 'amount', p.amount, 'status', p.status, 'category', p.category)
$$;
