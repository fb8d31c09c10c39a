-- Customers, their devices and sessions, refresh tokens, second-factor challenges, password resets and
-- e-mail changes. Every token is stored as its SHA-256; passwords as argon2id; TOTP seeds sealed.

CREATE TABLE identity_users (
  sandbox_id               text NOT NULL,
  id                       text NOT NULL,
  email                    text NOT NULL,
  phone                    text NOT NULL,
  birthday                 date,
  password_hash            text NOT NULL,
  wallet_id                text NOT NULL,
  totp_secret              text,
  totp_enabled_at          timestamptz,
  password_changed_at      timestamptz NOT NULL,
  created_at               timestamptz NOT NULL,
  closed_at                timestamptz,
  password_reset_forced_at timestamptz,
  -- The last TOTP time step the authenticator answered with, so that no code answers twice.
  totp_last_step           bigint,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, email),
  UNIQUE (sandbox_id, wallet_id)
);

CREATE TABLE identity_devices (
  sandbox_id   text NOT NULL,
  id           text NOT NULL,
  user_id      text NOT NULL,
  device_hash  text NOT NULL,
  user_agent   text,
  trusted_at   timestamptz,
  last_seen_at timestamptz NOT NULL,
  created_at   timestamptz NOT NULL,
  -- A password reset was completed on this device: a lock on the account does not keep it out.
  reset_at     timestamptz,
  PRIMARY KEY (sandbox_id, id),
  UNIQUE (sandbox_id, user_id, device_hash)
);

CREATE TABLE identity_sessions (
  sandbox_id       text NOT NULL,
  id               text NOT NULL,
  user_id          text NOT NULL,
  device_id        text NOT NULL,
  ip               text,
  user_agent       text,
  stepped_up_until timestamptz,
  created_at       timestamptz NOT NULL,
  last_used_at     timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  revoked_at       timestamptz,
  revoked_reason   text,
  PRIMARY KEY (sandbox_id, id)
);
CREATE INDEX identity_sessions_by_user ON identity_sessions (sandbox_id, user_id) WHERE revoked_at IS NULL;

CREATE TABLE identity_refresh_tokens (
  token_hash text PRIMARY KEY,
  sandbox_id text NOT NULL,
  session_id text NOT NULL,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz
);
CREATE INDEX identity_refresh_tokens_by_session ON identity_refresh_tokens (sandbox_id, session_id);

CREATE TABLE identity_challenges (
  sandbox_id  text NOT NULL,
  id          text NOT NULL,
  user_id     text NOT NULL,
  purpose     text NOT NULL CHECK (purpose IN ('login', 'step_up')),
  method      text NOT NULL CHECK (method IN ('sms', 'totp')),
  code_hash   text,
  session_id  text,
  device_hash text,
  user_agent  text,
  ip          text,
  attempts    integer NOT NULL DEFAULT 0,
  expires_at  timestamptz NOT NULL,
  consumed_at timestamptz,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (sandbox_id, id)
);

CREATE TABLE identity_reset_tokens (
  token_hash text PRIMARY KEY,
  sandbox_id text NOT NULL,
  user_id    text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX identity_reset_tokens_by_user ON identity_reset_tokens (sandbox_id, user_id);

-- E-mail changes waiting for the new address to be confirmed.
CREATE TABLE identity_email_changes (
  token_hash text PRIMARY KEY,
  sandbox_id text NOT NULL,
  user_id    text NOT NULL,
  email      text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX identity_email_changes_by_user ON identity_email_changes (sandbox_id, user_id);
