-- One-time payment codes. A code is stored as its hash (and sealed while a device may still show it);
-- a wallet has at most one active code.

CREATE TABLE barcode_payment_codes (
  sandbox_id  text NOT NULL,
  id          text NOT NULL,
  code_hash   text NOT NULL,
  sealed_code text,
  wallet_id   text NOT NULL,
  user_id     text NOT NULL,
  device_id   text NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'used', 'retired')),
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL,
  used_at     timestamptz,
  payment_id  text,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, code_hash)
);
CREATE UNIQUE INDEX barcode_one_active_code_per_wallet ON barcode_payment_codes (sandbox_id, wallet_id) WHERE status = 'active';
