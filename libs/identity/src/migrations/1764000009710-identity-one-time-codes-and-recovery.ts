import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last TOTP time step a user's authenticator answered with, so that no
 * code answers twice; and the device a password reset was completed on, which
 * a lock on the account does not keep out.
 */
export class IdentityOneTimeCodesAndRecovery1764000009710 implements MigrationInterface {
  name = 'IdentityOneTimeCodesAndRecovery1764000009710';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_users ADD COLUMN totp_last_step bigint`);
    await q.query(`ALTER TABLE identity_devices ADD COLUMN reset_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_devices DROP COLUMN reset_at`);
    await q.query(`ALTER TABLE identity_users DROP COLUMN totp_last_step`);
  }
}
