import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, their devices, sessions with rotating refresh tokens, second-factor
 * challenges and password-reset tokens. Every secret is stored as a hash
 * (argon2id for passwords, SHA-256 for high-entropy tokens), except the TOTP
 * seed, which must be read back and is stored encrypted.
 */
export class Identity1764000003000 implements MigrationInterface {
  name = 'Identity1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity_users (
        sandbox_id          text NOT NULL,
        id                  text NOT NULL,
        email               text NOT NULL,
        phone               text NOT NULL,
        birthday            date,
        password_hash       text NOT NULL,
        wallet_id           text NOT NULL,
        totp_secret         text,
        totp_enabled_at     timestamptz,
        password_changed_at timestamptz NOT NULL,
        created_at          timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, email),
        UNIQUE (sandbox_id, wallet_id)
      )`);
    await q.query(`
      CREATE TABLE identity_devices (
        sandbox_id   text NOT NULL,
        id           text NOT NULL,
        user_id      text NOT NULL,
        device_hash  text NOT NULL,
        user_agent   text,
        trusted_at   timestamptz,
        last_seen_at timestamptz NOT NULL,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, user_id, device_hash)
      )`);
    await q.query(`
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
      )`);
    await q.query(`CREATE INDEX identity_sessions_by_user ON identity_sessions (sandbox_id, user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE identity_refresh_tokens (
        token_hash  text PRIMARY KEY,
        sandbox_id  text NOT NULL,
        session_id  text NOT NULL,
        issued_at   timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        rotated_at  timestamptz
      )`);
    await q.query(`CREATE INDEX identity_refresh_tokens_by_session ON identity_refresh_tokens (sandbox_id, session_id)`);
    await q.query(`
      CREATE TABLE identity_challenges (
        sandbox_id   text NOT NULL,
        id           text NOT NULL,
        user_id      text NOT NULL,
        purpose      text NOT NULL CHECK (purpose IN ('login', 'step_up')),
        method       text NOT NULL CHECK (method IN ('sms', 'totp')),
        code_hash    text,
        session_id   text,
        device_hash  text,
        user_agent   text,
        ip           text,
        attempts     integer NOT NULL DEFAULT 0,
        expires_at   timestamptz NOT NULL,
        consumed_at  timestamptz,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      )`);
    await q.query(`
      CREATE TABLE identity_reset_tokens (
        token_hash text PRIMARY KEY,
        sandbox_id text NOT NULL,
        user_id    text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX identity_reset_tokens_by_user ON identity_reset_tokens (sandbox_id, user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'identity_reset_tokens',
      'identity_challenges',
      'identity_refresh_tokens',
      'identity_sessions',
      'identity_devices',
      'identity_users',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
