import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PAYMENT_PHASES } from '../phases.js';

/**
 * The service's way out: scheduled phase transitions (the phase at any
 * sandbox time is the furthest one whose time has come), the abolition
 * notice and its fan-out, refund claims and the payout runs that pay them.
 */
export class Lifecycle1764000009000 implements MigrationInterface {
  name = 'Lifecycle1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lifecycle_transitions (
        sandbox_id   text NOT NULL,
        id           text NOT NULL,
        phase_index  integer NOT NULL,
        to_phase     text NOT NULL,
        effective_at timestamptz NOT NULL,
        reason       text,
        requested_by text NOT NULL,
        created_at   timestamptz NOT NULL,
        applied_at   timestamptz,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, phase_index)
      )`);
    await q.query(`CREATE INDEX lifecycle_transitions_due ON lifecycle_transitions (effective_at) WHERE applied_at IS NULL`);
    await q.query(`
      CREATE TABLE lifecycle_notices (
        sandbox_id          text NOT NULL,
        id                  text NOT NULL,
        transition_id       text NOT NULL,
        published_at        timestamptz NOT NULL,
        termination_at      timestamptz NOT NULL,
        refund_claims_from  timestamptz NOT NULL,
        refund_claims_until timestamptz NOT NULL,
        title               text NOT NULL,
        body                text NOT NULL,
        fanout_after        text,
        fanout_sent         integer NOT NULL DEFAULT 0,
        fanout_done_at      timestamptz,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id)
      )`);
    await q.query(`
      CREATE TABLE lifecycle_refund_claims (
        sandbox_id      text NOT NULL,
        id              text NOT NULL,
        wallet_id       text NOT NULL,
        user_id         text,
        method          text NOT NULL CHECK (method IN ('bank_transfer', 'postal_payout')),
        bank_account    text,
        bank_summary    jsonb,
        contact_email   text,
        status          text NOT NULL CHECK (status IN ('submitted', 'on_hold', 'bounced', 'paid')),
        failure_code    text,
        amount          bigint NOT NULL DEFAULT 0,
        paid_amount     bigint NOT NULL DEFAULT 0,
        payouts         integer NOT NULL DEFAULT 0,
        slip_number     text,
        filed_by        text NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        paid_at         timestamptz,
        deferred_run    text,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, wallet_id)
      )`);
    await q.query(`CREATE INDEX lifecycle_refund_claims_due ON lifecycle_refund_claims (sandbox_id, id) WHERE status = 'submitted'`);
    await q.query(`CREATE INDEX lifecycle_refund_claims_by_status ON lifecycle_refund_claims (sandbox_id, status, id DESC)`);
    await q.query(`
      CREATE TABLE lifecycle_payout_runs (
        sandbox_id  text NOT NULL,
        id          text NOT NULL,
        status      text NOT NULL CHECK (status IN ('running', 'completed')),
        trigger     text NOT NULL,
        more_work   boolean NOT NULL DEFAULT false,
        batches     integer NOT NULL DEFAULT 0,
        paid        integer NOT NULL DEFAULT 0,
        amount      bigint NOT NULL DEFAULT 0,
        bounced     integer NOT NULL DEFAULT 0,
        held        integer NOT NULL DEFAULT 0,
        started_at  timestamptz NOT NULL,
        finished_at timestamptz,
        PRIMARY KEY (sandbox_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX lifecycle_payout_runs_one_running ON lifecycle_payout_runs (sandbox_id) WHERE status = 'running'`);

    // What other modules' statements ask: capture checks the phase in the statement that takes the money.
    await q.query(`
      CREATE FUNCTION lifecycle_phase_at(p_sandbox text, p_at timestamptz)
      RETURNS text LANGUAGE sql STABLE AS $$
        SELECT COALESCE(
          (SELECT to_phase FROM lifecycle_transitions WHERE sandbox_id = p_sandbox AND effective_at <= p_at ORDER BY phase_index DESC LIMIT 1),
          'operating')
      $$`);
    await q.query(`
      CREATE FUNCTION lifecycle_payment_open(p_phase text)
      RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT p_phase = ANY (ARRAY[${PAYMENT_PHASES.map((p) => `'${p}'`).join(', ')}]::text[])
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION lifecycle_payment_open(text)`);
    await q.query(`DROP FUNCTION lifecycle_phase_at(text, timestamptz)`);
    for (const table of ['lifecycle_payout_runs', 'lifecycle_refund_claims', 'lifecycle_notices', 'lifecycle_transitions']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
