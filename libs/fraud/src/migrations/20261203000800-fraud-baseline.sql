-- The fraud engine: what it observed of every event, the rules each one hit, top-up screenings, holds on
-- wallets (with their audit trail and the top-ups they keep back) and confirmed victims.

CREATE TABLE fraud_screenings (
  sandbox_id   text NOT NULL,
  id           text NOT NULL,
  subject_type text NOT NULL CHECK (subject_type IN ('topup')),
  subject_id   text NOT NULL,
  decision     text NOT NULL CHECK (decision IN ('approve', 'hold', 'decline')),
  score        integer NOT NULL,
  reasons      jsonb NOT NULL DEFAULT '[]',
  inputs       jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, subject_type, subject_id)
);

CREATE TABLE fraud_observations (
  sandbox_id  text NOT NULL,
  event_id    text NOT NULL,
  kind        text NOT NULL,
  wallet_id   text,
  user_id     text,
  ip          text,
  account_key text,
  device_hash text,
  store_id    text,
  ref_id      text,
  channel     text,
  category    text,
  amount      bigint,
  score       integer NOT NULL DEFAULT 0,
  flags       jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, event_id)
);
CREATE INDEX fraud_observations_by_wallet ON fraud_observations (sandbox_id, wallet_id, kind, occurred_at);
CREATE INDEX fraud_observations_by_user ON fraud_observations (sandbox_id, user_id, kind, occurred_at);
CREATE INDEX fraud_observations_by_ip ON fraud_observations (sandbox_id, ip, kind, occurred_at);
CREATE INDEX fraud_observations_by_device ON fraud_observations (sandbox_id, device_hash, occurred_at) WHERE device_hash IS NOT NULL;
CREATE INDEX fraud_observations_store_blocks ON fraud_observations (sandbox_id, store_id, occurred_at) WHERE kind = 'store_invalid_codes';

CREATE TABLE fraud_settings (sandbox_id text PRIMARY KEY, config jsonb NOT NULL DEFAULT '{}');

CREATE TABLE fraud_rule_hits (
  sandbox_id   text NOT NULL,
  event_id     text NOT NULL,
  rule         text NOT NULL,
  subject_type text NOT NULL,
  subject_id   text NOT NULL,
  score        integer NOT NULL,
  inputs       jsonb NOT NULL,
  occurred_at  timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, event_id, rule)
);
CREATE INDEX fraud_rule_hits_by_subject ON fraud_rule_hits (sandbox_id, subject_id);
-- Alerts are the hits on stores and addresses.
CREATE INDEX fraud_rule_hits_alerts ON fraud_rule_hits (sandbox_id, event_id DESC) WHERE subject_type IN ('store', 'ip');

CREATE TABLE fraud_holds (
  sandbox_id        text NOT NULL,
  id                text NOT NULL,
  wallet_id         text NOT NULL,
  user_id           text,
  status            text NOT NULL CHECK (status IN ('open', 'released', 'confirmed', 'expired')),
  reason            text NOT NULL,
  score             integer NOT NULL,
  rules             jsonb NOT NULL DEFAULT '[]',
  trigger_event_id  text NOT NULL,
  window_start      timestamptz NOT NULL,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  resolved_at       timestamptz,
  resolved_by       text,
  resolution_reason text,
  PRIMARY KEY (sandbox_id, id)
);
CREATE UNIQUE INDEX fraud_holds_one_open_per_wallet ON fraud_holds (sandbox_id, wallet_id) WHERE status = 'open';
CREATE INDEX fraud_holds_by_status ON fraud_holds (sandbox_id, status, id DESC);
CREATE INDEX fraud_holds_due ON fraud_holds (expires_at) WHERE status = 'open';

CREATE TABLE fraud_hold_topups (
  sandbox_id text NOT NULL,
  hold_id    text NOT NULL,
  topup_id   text NOT NULL,
  PRIMARY KEY (sandbox_id, hold_id, topup_id)
);

CREATE TABLE fraud_hold_audit (
  sandbox_id text NOT NULL,
  hold_id    text NOT NULL,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  note       text
);
CREATE INDEX fraud_hold_audit_by_hold ON fraud_hold_audit (sandbox_id, hold_id, at);

CREATE TABLE fraud_victims (
  sandbox_id          text NOT NULL,
  id                  text NOT NULL,
  hold_id             text NOT NULL UNIQUE,
  wallet_id           text NOT NULL,
  user_id             text,
  window_start        timestamptz NOT NULL,
  confirmed_at        timestamptz NOT NULL,
  status              text NOT NULL CHECK (status IN ('pending', 'paid')),
  fraudulent_topups   bigint,
  fraudulent_payments bigint,
  reimbursed          bigint,
  reversed            bigint,
  reversed_topups     jsonb,
  paid_at             timestamptz,
  PRIMARY KEY (sandbox_id, id)
);
