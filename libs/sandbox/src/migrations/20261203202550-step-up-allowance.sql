-- Yen a wallet may pay in 24 hours of sandbox time without a second factor passed in the last 10 minutes.
-- NULL: no such limit (sandboxes made before this change keep paying as they did).
ALTER TABLE sandboxes ADD COLUMN step_up_allowance bigint CHECK (step_up_allowance >= 0);
