-- Refresh, reset and e-mail change tokens are looked up within the sandbox that issued them, and keyed
-- by it, so that the tables can be distributed by sandbox_id (Citus).
ALTER TABLE identity_refresh_tokens DROP CONSTRAINT identity_refresh_tokens_pkey, ADD PRIMARY KEY (sandbox_id, token_hash);
ALTER TABLE identity_reset_tokens DROP CONSTRAINT identity_reset_tokens_pkey, ADD PRIMARY KEY (sandbox_id, token_hash);
ALTER TABLE identity_email_changes DROP CONSTRAINT identity_email_changes_pkey, ADD PRIMARY KEY (sandbox_id, token_hash);
