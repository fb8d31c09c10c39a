-- Sandboxes, their API keys, the messages they "send" (e-mail, SMS) and 7pay replays.
-- A sandbox's clock runs at an offset from real time (see sql/sandbox_clocks.sql); the offset may be negative.

CREATE TABLE sandboxes (
  id                   text PRIMARY KEY,
  name                 text NOT NULL,
  security_profile     text NOT NULL CHECK (security_profile IN ('hardened', 'legacy-2019')),
  clock_offset_ms      bigint NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  -- Requests may speak for any client address through Sandbox-Client-Ip.
  simulated_client_ips boolean NOT NULL DEFAULT false
);

CREATE TABLE sandbox_api_keys (
  id         text PRIMARY KEY,
  sandbox_id text NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('secret', 'publishable')),
  key_hash   text NOT NULL UNIQUE,
  key_hint   text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX sandbox_api_keys_by_sandbox ON sandbox_api_keys (sandbox_id);

CREATE TABLE sandbox_messages (
  id         text PRIMARY KEY,
  sandbox_id text NOT NULL,
  channel    text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient  text NOT NULL,
  subject    text,
  body       text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX sandbox_messages_by_sandbox ON sandbox_messages (sandbox_id, id DESC);
CREATE INDEX sandbox_messages_by_recipient ON sandbox_messages (sandbox_id, recipient, id DESC);

-- One replay of 2019 per sandbox: its progress, counters and report.
CREATE TABLE sandbox_replays (
  sandbox_id   text PRIMARY KEY REFERENCES sandboxes (id) ON DELETE CASCADE,
  status       text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  customers    integer NOT NULL,
  seed         integer NOT NULL,
  pace         text NOT NULL CHECK (pace IN ('fast', 'presenter')),
  chapter      text,
  sandbox_at   timestamptz,
  counters     jsonb NOT NULL DEFAULT '{}',
  points       jsonb NOT NULL DEFAULT '[]',
  report       jsonb,
  failure      text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);
