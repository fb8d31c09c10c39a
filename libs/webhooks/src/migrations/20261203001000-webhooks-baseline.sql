-- Webhook endpoints (their signing secrets sealed; the previous one kept through a rotation), one delivery
-- per event and endpoint, and every attempt at it.

CREATE TABLE webhook_endpoints (
  sandbox_id                 text NOT NULL,
  id                         text NOT NULL,
  url                        text NOT NULL,
  description                text,
  events                     text[] NOT NULL,
  status                     text NOT NULL CHECK (status IN ('enabled', 'disabled')),
  disabled_reason            text CHECK (disabled_reason IN ('operator', 'failing')),
  secret_sealed              text NOT NULL,
  previous_secret_sealed     text,
  previous_secret_expires_at timestamptz,
  failing_since              timestamptz,
  created_at                 timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id)
);

CREATE TABLE webhook_deliveries (
  sandbox_id      text NOT NULL,
  id              text NOT NULL,
  event_id        text NOT NULL,
  endpoint_id     text NOT NULL,
  body            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
  sandbox_id       text NOT NULL,
  id               text NOT NULL,
  delivery_id      text NOT NULL,
  event_id         text NOT NULL,
  endpoint_id      text NOT NULL,
  url              text NOT NULL,
  trigger          text NOT NULL CHECK (trigger IN ('automatic', 'manual')),
  attempt          integer,
  attempted_at     timestamptz NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  http_status      integer,
  error            text,
  latency_ms       integer NOT NULL,
  response_excerpt text,
  next_attempt_at  timestamptz,
  PRIMARY KEY (sandbox_id, id)
);
CREATE INDEX webhook_attempts_by_event ON webhook_attempts (sandbox_id, event_id, id DESC);
