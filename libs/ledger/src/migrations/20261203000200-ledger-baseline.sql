-- The double-entry ledger: accounts, transfers and their entries, pending transfers (pre-authorisations)
-- and wallet holds. A wallet's balance and reservations live on its account row, so one locked row decides
-- what it can spend; stores and system accounts are not tracked (their entries are).

CREATE TABLE ledger_accounts (
  sandbox_id text NOT NULL,
  id         text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('wallet', 'store', 'system')),
  balance    bigint NOT NULL DEFAULT 0,
  reserved   bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  -- How many holds stop this wallet's payments.
  holds      integer NOT NULL DEFAULT 0 CHECK (holds >= 0),
  PRIMARY KEY (sandbox_id, id),
  CONSTRAINT ledger_accounts_only_wallets_tracked CHECK (kind = 'wallet' OR (balance = 0 AND reserved = 0)),
  CONSTRAINT ledger_accounts_never_negative CHECK (reserved >= 0 AND balance >= reserved)
);

CREATE TABLE ledger_transfers (
  sandbox_id        text NOT NULL,
  id                text NOT NULL,
  key               text NOT NULL,
  debit_account_id  text NOT NULL,
  credit_account_id text NOT NULL,
  amount            bigint NOT NULL CHECK (amount > 0),
  code              text NOT NULL,
  pending_id        text,
  metadata          jsonb NOT NULL DEFAULT '{}',
  posted_at         timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, key),
  CHECK (debit_account_id <> credit_account_id)
);

CREATE TABLE ledger_entries (
  sandbox_id  text NOT NULL,
  account_id  text NOT NULL,
  transfer_id text NOT NULL,
  amount      bigint NOT NULL CHECK (amount <> 0),
  posted_at   timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, account_id, transfer_id)
);

CREATE TABLE ledger_pending_transfers (
  sandbox_id        text NOT NULL,
  id                text NOT NULL,
  key               text NOT NULL,
  debit_account_id  text NOT NULL,
  credit_account_id text NOT NULL,
  amount            bigint NOT NULL CHECK (amount > 0),
  code              text NOT NULL,
  metadata          jsonb NOT NULL DEFAULT '{}',
  status            text NOT NULL CHECK (status IN ('pending', 'posted', 'voided', 'expired')),
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz,
  resolved_at       timestamptz,
  posted_amount     bigint CHECK (posted_amount > 0 AND posted_amount <= amount),
  transfer_id       text,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, key),
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((status = 'posted') = (transfer_id IS NOT NULL))
);
CREATE INDEX ledger_pending_due ON ledger_pending_transfers (sandbox_id, expires_at) WHERE status = 'pending';

-- The ledger's copy of the holds placed on a wallet (ledger_accounts.holds counts them).
CREATE TABLE ledger_wallet_holds (
  sandbox_id text NOT NULL,
  hold_id    text NOT NULL,
  wallet_id  text NOT NULL,
  reason     text NOT NULL,
  placed_at  timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, hold_id)
);
CREATE INDEX ledger_wallet_holds_by_wallet ON ledger_wallet_holds (sandbox_id, wallet_id);

-- Holds already lifted: a late or repeated "place" of the same hold is not applied again.
CREATE TABLE ledger_lifted_holds (
  sandbox_id text NOT NULL,
  hold_id    text NOT NULL,
  lifted_at  timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, hold_id)
);
