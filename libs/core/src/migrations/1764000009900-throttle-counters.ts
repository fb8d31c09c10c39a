import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throttle counters for deployments without Redis, in the layout of
 * rate-limiter-flexible's PostgreSQL store (a text key, as e-mail addresses
 * in keys may pass its default 255 characters). Unlogged, like the Redis
 * they stand in for: a crash forgets the counts, never money.
 */
export class ThrottleCounters1764000009900 implements MigrationInterface {
  name = 'ThrottleCounters1764000009900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNLOGGED TABLE throttle_counters (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
    await q.query(`CREATE INDEX throttle_counters_expire ON throttle_counters (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE throttle_counters`);
  }
}
