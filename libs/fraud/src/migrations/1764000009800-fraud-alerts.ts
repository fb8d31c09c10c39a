import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alerts are the rule hits on stores and IP addresses: listed newest first, and a store's blocked registers counted. */
export class FraudAlerts1764000009800 implements MigrationInterface {
  name = 'FraudAlerts1764000009800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX fraud_rule_hits_alerts ON fraud_rule_hits (sandbox_id, event_id DESC) WHERE subject_type IN ('store', 'ip')`,
    );
    await q.query(
      `CREATE INDEX fraud_observations_store_blocks ON fraud_observations (sandbox_id, store_id, occurred_at) WHERE kind = 'store_invalid_codes'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX fraud_observations_store_blocks`);
    await q.query(`DROP INDEX fraud_rule_hits_alerts`);
  }
}
