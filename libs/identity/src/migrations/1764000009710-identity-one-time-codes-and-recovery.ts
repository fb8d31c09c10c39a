import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last TOTP time step a user's authenticator answered with, so that no
 * code answers twice; the device a password reset was completed on, which a
 * lock on the account does not keep out; and e-mail changes waiting for the
 * new address to be confirmed (tokens stored as SHA-256).
 */
export class IdentityOneTimeCodesAndRecovery1764000009710 implements MigrationInterface {
  name = 'IdentityOneTimeCodesAndRecovery1764000009710';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_users ADD COLUMN totp_last_step bigint`);
    await q.query(`ALTER TABLE identity_devices ADD COLUMN reset_at timestamptz`);
    await q.query(`
      CREATE TABLE identity_email_changes (
        token_hash text PRIMARY KEY,
        sandbox_id text NOT NULL,
        user_id    text NOT NULL,
        email      text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX identity_email_changes_by_user ON identity_email_changes (sandbox_id, user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity_email_changes`);
    await q.query(`ALTER TABLE identity_devices DROP COLUMN reset_at`);
    await q.query(`ALTER TABLE identity_users DROP COLUMN totp_last_step`);
  }
}
