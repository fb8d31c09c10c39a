import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer may close their membership (and with it, once the service
 * ends, the right to a refund); the operator may force every customer to
 * reset their password (7pay, 2019-07-30): a password older than the forced
 * reset no longer signs in.
 */
export class IdentityClosureAndForcedReset1764000009300 implements MigrationInterface {
  name = 'IdentityClosureAndForcedReset1764000009300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_users ADD COLUMN closed_at timestamptz, ADD COLUMN password_reset_forced_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_users DROP COLUMN closed_at, DROP COLUMN password_reset_forced_at`);
  }
}
