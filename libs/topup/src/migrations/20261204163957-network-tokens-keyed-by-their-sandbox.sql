-- The card network's tokens are looked up within their sandbox, and keyed by it, so that the table can be
-- distributed by sandbox_id (Citus).
ALTER TABLE topup_network_tokens DROP CONSTRAINT topup_network_tokens_pkey, ADD PRIMARY KEY (sandbox_id, token);
