import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A wallet's available balance, locking the wallet for the rest of the caller's transaction (partial payments). */
export class LedgerAvailable1764000005000 implements MigrationInterface {
  name = 'LedgerAvailable1764000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_lock_available(p_sandbox text, p_account text)
      RETURNS bigint LANGUAGE sql AS $$
        SELECT balance - reserved FROM ledger_accounts WHERE sandbox_id = p_sandbox AND id = p_account AND kind = 'wallet' FOR UPDATE
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_lock_available(text, text)`);
  }
}
