-- Top-ups by card, bank debit, ATM, cash at a register and points; the cards and bank accounts they draw on
-- (a card is kept as a network token, whose behaviour the sandbox scripts); limits per day.

CREATE TABLE topup_settings (
  sandbox_id text PRIMARY KEY,
  limits     jsonb NOT NULL DEFAULT '{}',
  gateway    jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE topup_cards (
  sandbox_id    text NOT NULL,
  id            text NOT NULL,
  user_id       text NOT NULL,
  wallet_id     text NOT NULL,
  brand         text NOT NULL,
  last4         text NOT NULL,
  exp_month     integer NOT NULL,
  exp_year      integer NOT NULL,
  network_token text NOT NULL,
  created_at    timestamptz NOT NULL,
  removed_at    timestamptz,
  PRIMARY KEY (sandbox_id, id)
);

CREATE TABLE topup_network_tokens (
  token      text PRIMARY KEY,
  sandbox_id text NOT NULL,
  behavior   text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE topup_bank_accounts (
  sandbox_id  text NOT NULL,
  id          text NOT NULL,
  user_id     text NOT NULL,
  bank_code   text NOT NULL,
  branch_code text NOT NULL,
  last4       text NOT NULL,
  holder      text NOT NULL,
  behavior    text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id)
);

CREATE TABLE topup_topups (
  sandbox_id       text NOT NULL,
  id               text NOT NULL,
  wallet_id        text NOT NULL,
  user_id          text,
  channel          text NOT NULL CHECK (channel IN ('card', 'bank_debit', 'atm', 'register_cash', 'points')),
  amount           bigint NOT NULL CHECK (amount > 0),
  status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'held', 'canceled')),
  failure_code     text,
  card_id          text,
  bank_account_id  text,
  store_id         text,
  next_action      jsonb,
  three_ds_hash    text,
  three_ds_tries   integer NOT NULL DEFAULT 0,
  authorization_id text,
  transfer_id      text,
  pending_id       text,
  usage_day        date NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id)
);
CREATE INDEX topup_topups_open_by_wallet ON topup_topups (sandbox_id, wallet_id) WHERE status IN ('pending', 'held');

CREATE TABLE topup_atm_codes (
  sandbox_id text NOT NULL,
  code_hash  text NOT NULL,
  topup_id   text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (sandbox_id, code_hash)
);

CREATE TABLE topup_points (
  sandbox_id text NOT NULL,
  wallet_id  text NOT NULL,
  balance    bigint NOT NULL CHECK (balance >= 0),
  PRIMARY KEY (sandbox_id, wallet_id)
);

CREATE TABLE topup_daily_usage (
  sandbox_id text NOT NULL,
  wallet_id  text NOT NULL,
  day        date NOT NULL,
  amount     bigint NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (sandbox_id, wallet_id, day)
);
