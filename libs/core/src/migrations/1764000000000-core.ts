import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox (which is also every sandbox's event log) and idempotency records. */
export class Core1764000000000 implements MigrationInterface {
  name = 'Core1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_events (
        id          text PRIMARY KEY,
        sandbox_id  text NOT NULL,
        type        text NOT NULL,
        data        jsonb NOT NULL,
        request_id  text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        relayed_at  timestamptz,
        claimed_until timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_events_unrelayed ON outbox_events (id) WHERE relayed_at IS NULL`);
    await q.query(`CREATE INDEX outbox_events_by_sandbox ON outbox_events (sandbox_id, id DESC)`);
    await q.query(`CREATE INDEX outbox_events_by_sandbox_type ON outbox_events (sandbox_id, type, id DESC)`);

    await q.query(`
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
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE outbox_events`);
  }
}
