import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One screening decision per subject (a top-up, for now), with what it was based on. */
export class FraudScreenings1764000007500 implements MigrationInterface {
  name = 'FraudScreenings1764000007500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fraud_screenings (
        sandbox_id   text NOT NULL,
        id           text NOT NULL,
        subject_type text NOT NULL CHECK (subject_type IN ('topup')),
        subject_id   text NOT NULL,
        decision     text NOT NULL CHECK (decision IN ('approve', 'hold', 'decline')),
        score        integer NOT NULL,
        reasons      jsonb NOT NULL DEFAULT '[]',
        inputs       jsonb NOT NULL,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, subject_type, subject_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fraud_screenings`);
  }
}
