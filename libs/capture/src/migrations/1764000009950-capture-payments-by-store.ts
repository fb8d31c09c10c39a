import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A store key's payment list (GET /v1/payments) reads its store's payments newest first without a scan of the sandbox's. */
export class CapturePaymentsByStore1764000009950 implements MigrationInterface {
  name = 'CapturePaymentsByStore1764000009950';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX capture_payments_by_store ON capture_payments (sandbox_id, store_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX capture_payments_by_store`);
  }
}
