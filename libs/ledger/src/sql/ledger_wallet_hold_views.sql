-- A wallet's open holds as its owner sees them ({ id, reason, placedAt }), oldest first: read alone or with the balance.
CREATE OR REPLACE FUNCTION ledger_wallet_hold_views(p_sandbox text, p_wallet text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT COALESCE(jsonb_agg(jsonb_build_object('id', h.hold_id, 'reason', h.reason,
                                               'placedAt', to_char(h.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                            ORDER BY h.placed_at), '[]')
    FROM ledger_wallet_holds h WHERE h.sandbox_id = p_sandbox AND h.wallet_id = p_wallet
$$;
