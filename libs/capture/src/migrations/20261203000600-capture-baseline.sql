-- Stores, their API keys and terminals, payments (captured, or authorised and captured later), refunds,
-- and the store-presented QR codes a customer scans (MPM). capture_payment (sql/) takes a register's scan.

CREATE TABLE capture_stores (
  sandbox_id    text NOT NULL,
  id            text NOT NULL,
  name          text NOT NULL,
  category_code text NOT NULL,
  city          text NOT NULL,
  created_at    timestamptz NOT NULL,
  -- Where the store is: the fraud engine's "impossible travel" reads it.
  latitude      double precision,
  longitude     double precision,
  PRIMARY KEY (sandbox_id, id)
);

CREATE TABLE capture_store_keys (
  id         text PRIMARY KEY,
  sandbox_id text NOT NULL,
  store_id   text NOT NULL,
  key_hash   text NOT NULL UNIQUE,
  key_hint   text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX capture_store_keys_by_store ON capture_store_keys (sandbox_id, store_id);

CREATE TABLE capture_terminals (
  sandbox_id text NOT NULL,
  id         text NOT NULL,
  store_id   text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id)
);

CREATE TABLE capture_payments (
  sandbox_id       text NOT NULL,
  id               text NOT NULL,
  store_id         text NOT NULL,
  terminal_id      text,
  wallet_id        text NOT NULL,
  user_id          text,
  method           text NOT NULL CHECK (method IN ('cpm', 'mpm')),
  code_id          text,
  status           text NOT NULL CHECK (status IN ('authorized', 'captured', 'voided', 'expired')),
  requested_amount bigint NOT NULL CHECK (requested_amount > 0),
  amount           bigint NOT NULL CHECK (amount > 0),
  cash_due         bigint NOT NULL DEFAULT 0 CHECK (cash_due >= 0),
  captured_amount  bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0),
  refunded_amount  bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= captured_amount),
  pending_id       text,
  transfer_id      text,
  order_ref        text,
  category         text,
  created_at       timestamptz NOT NULL,
  captured_at      timestamptz,
  voided_at        timestamptz,
  expires_at       timestamptz,
  PRIMARY KEY (sandbox_id, id)
);
CREATE INDEX capture_payments_by_pending ON capture_payments (sandbox_id, pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX capture_payments_by_wallet ON capture_payments (sandbox_id, wallet_id, id DESC);
CREATE INDEX capture_payments_by_store ON capture_payments (sandbox_id, store_id, id DESC);

CREATE TABLE capture_refunds (
  sandbox_id  text NOT NULL,
  id          text NOT NULL,
  payment_id  text NOT NULL,
  amount      bigint NOT NULL CHECK (amount > 0),
  transfer_id text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id)
);
CREATE INDEX capture_refunds_by_payment ON capture_refunds (sandbox_id, payment_id);

CREATE TABLE capture_store_codes (
  sandbox_id  text NOT NULL,
  id          text NOT NULL,
  store_id    text NOT NULL,
  terminal_id text,
  amount      bigint CHECK (amount > 0),
  payload     text NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'used')),
  payment_id  text,
  created_at  timestamptz NOT NULL,
  used_at     timestamptz,
  PRIMARY KEY (sandbox_id, id)
);
