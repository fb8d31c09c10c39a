-- A code shown without a recent second factor pays only within its sandbox's step-up allowance,
-- checked when the register scans it (sql/barcode_code_covers.sql). NULL: the session had stepped up.
ALTER TABLE barcode_payment_codes ADD COLUMN step_up_allowance bigint CHECK (step_up_allowance >= 0);
