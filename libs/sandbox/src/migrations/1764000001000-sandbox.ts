import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, their hashed API keys, their clocks and the messages they "send". */
export class Sandbox1764000001000 implements MigrationInterface {
  name = 'Sandbox1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sandboxes (
        id               text PRIMARY KEY,
        name             text NOT NULL,
        security_profile text NOT NULL CHECK (security_profile IN ('hardened', 'legacy-2019')),
        clock_offset_ms  bigint NOT NULL DEFAULT 0 CHECK (clock_offset_ms >= 0),
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sandbox_api_keys (
        id         text PRIMARY KEY,
        sandbox_id text NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
        kind       text NOT NULL CHECK (kind IN ('secret', 'publishable')),
        key_hash   text NOT NULL UNIQUE,
        key_hint   text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX sandbox_api_keys_by_sandbox ON sandbox_api_keys (sandbox_id)`);
    await q.query(`
      CREATE TABLE sandbox_messages (
        id         text PRIMARY KEY,
        sandbox_id text NOT NULL,
        channel    text NOT NULL CHECK (channel IN ('email', 'sms')),
        recipient  text NOT NULL,
        subject    text,
        body       text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sandbox_messages_by_sandbox ON sandbox_messages (sandbox_id, id DESC)`);
    await q.query(`CREATE INDEX sandbox_messages_by_recipient ON sandbox_messages (sandbox_id, recipient, id DESC)`);
    // The published read model of sandbox time, for set-based jobs in other modules.
    await q.query(`
      CREATE VIEW sandbox_clocks AS
      SELECT id AS sandbox_id, now() + clock_offset_ms * interval '1 millisecond' AS now FROM sandboxes`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW sandbox_clocks`);
    await q.query(`DROP TABLE sandbox_messages`);
    await q.query(`DROP TABLE sandbox_api_keys`);
    await q.query(`DROP TABLE sandboxes`);
  }
}
