import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fraud engine's own memory: what it observed (from other modules'
 * events), its per-sandbox rule settings, every rule hit with its inputs (so
 * a decision can be explained), holds with their audit trail, and victims
 * with their compensation.
 */
export class FraudEngine1764000008300 implements MigrationInterface {
  name = 'FraudEngine1764000008300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fraud_observations (
        sandbox_id  text NOT NULL,
        event_id    text NOT NULL,
        kind        text NOT NULL,
        wallet_id   text,
        user_id     text,
        ip          text,
        account_key text,
        device_hash text,
        store_id    text,
        ref_id      text,
        channel     text,
        category    text,
        amount      bigint,
        score       integer NOT NULL DEFAULT 0,
        flags       jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, event_id)
      )`);
    await q.query(`CREATE INDEX fraud_observations_by_wallet ON fraud_observations (sandbox_id, wallet_id, kind, occurred_at)`);
    await q.query(`CREATE INDEX fraud_observations_by_user ON fraud_observations (sandbox_id, user_id, kind, occurred_at)`);
    await q.query(`CREATE INDEX fraud_observations_by_ip ON fraud_observations (sandbox_id, ip, kind, occurred_at)`);
    await q.query(
      `CREATE INDEX fraud_observations_by_device ON fraud_observations (sandbox_id, device_hash, occurred_at) WHERE device_hash IS NOT NULL`,
    );

    await q.query(`CREATE TABLE fraud_settings (sandbox_id text PRIMARY KEY, config jsonb NOT NULL DEFAULT '{}')`);

    await q.query(`
      CREATE TABLE fraud_rule_hits (
        sandbox_id   text NOT NULL,
        event_id     text NOT NULL,
        rule         text NOT NULL,
        subject_type text NOT NULL,
        subject_id   text NOT NULL,
        score        integer NOT NULL,
        inputs       jsonb NOT NULL,
        occurred_at  timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, event_id, rule)
      )`);
    await q.query(`CREATE INDEX fraud_rule_hits_by_subject ON fraud_rule_hits (sandbox_id, subject_id)`);

    await q.query(`
      CREATE TABLE fraud_holds (
        sandbox_id        text NOT NULL,
        id                text NOT NULL,
        wallet_id         text NOT NULL,
        user_id           text,
        status            text NOT NULL CHECK (status IN ('open', 'released', 'confirmed', 'expired')),
        reason            text NOT NULL,
        score             integer NOT NULL,
        rules             jsonb NOT NULL DEFAULT '[]',
        trigger_event_id  text NOT NULL,
        window_start      timestamptz NOT NULL,
        created_at        timestamptz NOT NULL,
        expires_at        timestamptz NOT NULL,
        resolved_at       timestamptz,
        resolved_by       text,
        resolution_reason text,
        PRIMARY KEY (sandbox_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX fraud_holds_one_open_per_wallet ON fraud_holds (sandbox_id, wallet_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX fraud_holds_by_status ON fraud_holds (sandbox_id, status, id DESC)`);
    await q.query(`CREATE INDEX fraud_holds_due ON fraud_holds (expires_at) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE fraud_hold_topups (
        sandbox_id text NOT NULL,
        hold_id    text NOT NULL,
        topup_id   text NOT NULL,
        PRIMARY KEY (sandbox_id, hold_id, topup_id)
      )`);
    await q.query(`
      CREATE TABLE fraud_hold_audit (
        sandbox_id text NOT NULL,
        hold_id    text NOT NULL,
        at         timestamptz NOT NULL,
        actor      text NOT NULL,
        action     text NOT NULL,
        note       text
      )`);
    await q.query(`CREATE INDEX fraud_hold_audit_by_hold ON fraud_hold_audit (sandbox_id, hold_id, at)`);

    await q.query(`
      CREATE TABLE fraud_victims (
        sandbox_id          text NOT NULL,
        id                  text NOT NULL,
        hold_id             text NOT NULL UNIQUE,
        wallet_id           text NOT NULL,
        user_id             text,
        window_start        timestamptz NOT NULL,
        confirmed_at        timestamptz NOT NULL,
        status              text NOT NULL CHECK (status IN ('pending', 'paid')),
        fraudulent_topups   bigint,
        fraudulent_payments bigint,
        reimbursed          bigint,
        reversed            bigint,
        reversed_topups     jsonb,
        paid_at             timestamptz,
        PRIMARY KEY (sandbox_id, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'fraud_victims',
      'fraud_hold_audit',
      'fraud_hold_topups',
      'fraud_holds',
      'fraud_rule_hits',
      'fraud_settings',
      'fraud_observations',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
