-- The outbox (which is also every sandbox's event log), idempotency records and throttle counters.

CREATE TABLE outbox_events (
  id            text PRIMARY KEY,
  sandbox_id    text NOT NULL,
  type          text NOT NULL,
  data          jsonb NOT NULL,
  request_id    text,
  occurred_at   timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  relayed_at    timestamptz,
  claimed_until timestamptz
);
CREATE INDEX outbox_events_unrelayed ON outbox_events (id) WHERE relayed_at IS NULL;
CREATE INDEX outbox_events_by_sandbox ON outbox_events (sandbox_id, id DESC);
CREATE INDEX outbox_events_by_sandbox_type ON outbox_events (sandbox_id, type, id DESC);

CREATE TABLE idempotency_keys (
  sandbox_id      text NOT NULL,
  principal       text NOT NULL,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash    text NOT NULL,
  state           text NOT NULL CHECK (state IN ('running', 'done')),
  claim_token     text NOT NULL,
  response_status integer,
  response_body   text,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  locked_until    timestamptz,
  PRIMARY KEY (sandbox_id, principal, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Throttle counters for deployments without Redis, in the layout of rate-limiter-flexible's PostgreSQL
-- store (a text key, as e-mail addresses in keys may pass its default 255 characters). Unlogged, like the
-- Redis they stand in for: a crash forgets the counts, never money.
CREATE UNLOGGED TABLE throttle_counters (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint);
CREATE INDEX throttle_counters_expire ON throttle_counters (expire);
