import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs that failed for good (their last attempt threw, or their error said
 * retrying was useless), kept where operators query everything else: Redis
 * forgets failed jobs after a week. A sandbox's go with its reset.
 */
export class FailedJobs1764000010200 implements MigrationInterface {
  name = 'FailedJobs1764000010200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE failed_jobs (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue            text NOT NULL,
        name             text NOT NULL,
        job_id           text NOT NULL,
        sandbox_id       text,
        payload          jsonb NOT NULL,
        error            text NOT NULL,
        attempts         integer NOT NULL,
        on_failure_error text,
        failed_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX failed_jobs_by_time ON failed_jobs (failed_at DESC)`);
    await q.query(`CREATE INDEX failed_jobs_by_sandbox ON failed_jobs (sandbox_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE failed_jobs`);
  }
}
