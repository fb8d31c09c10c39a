-- Each wallet's open holds as its owner sees them ({ id, reason, placedAt }), oldest first: read alone or with
-- the balance. A view, not a function: it is planned with the statement that reads it, not on every call.
CREATE OR REPLACE VIEW ledger_wallet_hold_views AS
SELECT h.sandbox_id, h.wallet_id,
       jsonb_agg(jsonb_build_object('id', h.hold_id, 'reason', h.reason,
                                    'placedAt', to_char(h.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                 ORDER BY h.placed_at) AS holds
  FROM ledger_wallet_holds h
 GROUP BY h.sandbox_id, h.wallet_id;
