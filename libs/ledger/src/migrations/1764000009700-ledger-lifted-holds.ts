import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lifted hold leaves a tombstone: the apply and lift messages of one hold
 * may arrive in either order, and an apply that comes after its lift must
 * not hold the wallet for ever.
 */
export class LedgerLiftedHolds1764000009700 implements MigrationInterface {
  name = 'LedgerLiftedHolds1764000009700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_lifted_holds (
        sandbox_id text NOT NULL,
        hold_id    text NOT NULL,
        lifted_at  timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, hold_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_lifted_holds`);
  }
}
