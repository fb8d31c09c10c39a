-- The service's way out, as 7pay went: scheduled phase transitions, the abolition notice (fanned out to every
-- customer in batches), refund claims and the payout runs that pay them. The phases themselves are the
-- phase table's (libs/lifecycle/src/phases.ts).

CREATE TABLE lifecycle_transitions (
  sandbox_id   text NOT NULL,
  id           text NOT NULL,
  phase_index  integer NOT NULL,
  to_phase     text NOT NULL,
  effective_at timestamptz NOT NULL,
  reason       text,
  requested_by text NOT NULL,
  created_at   timestamptz NOT NULL,
  applied_at   timestamptz,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, phase_index)
);
CREATE INDEX lifecycle_transitions_due ON lifecycle_transitions (effective_at) WHERE applied_at IS NULL;

CREATE TABLE lifecycle_notices (
  sandbox_id          text NOT NULL,
  id                  text NOT NULL,
  transition_id       text NOT NULL,
  published_at        timestamptz NOT NULL,
  termination_at      timestamptz NOT NULL,
  refund_claims_from  timestamptz NOT NULL,
  refund_claims_until timestamptz NOT NULL,
  title               text NOT NULL,
  body                text NOT NULL,
  fanout_after        text,
  fanout_sent         integer NOT NULL DEFAULT 0,
  fanout_done_at      timestamptz,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id)
);

CREATE TABLE lifecycle_refund_claims (
  sandbox_id      text NOT NULL,
  id              text NOT NULL,
  wallet_id       text NOT NULL,
  user_id         text,
  method          text NOT NULL CHECK (method IN ('bank_transfer', 'postal_payout')),
  bank_account    text,
  bank_summary    jsonb,
  contact_email   text,
  status          text NOT NULL CHECK (status IN ('submitted', 'on_hold', 'bounced', 'paid')),
  failure_code    text,
  amount          bigint NOT NULL DEFAULT 0,
  paid_amount     bigint NOT NULL DEFAULT 0,
  payouts         integer NOT NULL DEFAULT 0,
  slip_number     text,
  filed_by        text NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  paid_at         timestamptz,
  deferred_run    text,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, wallet_id)
);
CREATE INDEX lifecycle_refund_claims_due ON lifecycle_refund_claims (sandbox_id, id) WHERE status = 'submitted';
CREATE INDEX lifecycle_refund_claims_by_status ON lifecycle_refund_claims (sandbox_id, status, id DESC);

CREATE TABLE lifecycle_payout_runs (
  sandbox_id  text NOT NULL,
  id          text NOT NULL,
  status      text NOT NULL CHECK (status IN ('running', 'completed')),
  trigger     text NOT NULL,
  more_work   boolean NOT NULL DEFAULT false,
  batches     integer NOT NULL DEFAULT 0,
  paid        integer NOT NULL DEFAULT 0,
  amount      bigint NOT NULL DEFAULT 0,
  bounced     integer NOT NULL DEFAULT 0,
  held        integer NOT NULL DEFAULT 0,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (sandbox_id, id)
);
CREATE UNIQUE INDEX lifecycle_payout_runs_one_running ON lifecycle_payout_runs (sandbox_id) WHERE status = 'running';
