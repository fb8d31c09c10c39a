import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last TOTP time step a user's authenticator answered with, so that no
 * code answers twice.
 */
export class IdentityOneTimeCodesAndRecovery1764000009710 implements MigrationInterface {
  name = 'IdentityOneTimeCodesAndRecovery1764000009710';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_users ADD COLUMN totp_last_step bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_users DROP COLUMN totp_last_step`);
  }
}
