import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The replay of 2019 told on a sandbox, as its runner reports it: chapter, counters, chart points, the final report. */
export class SandboxReplays1764000010100 implements MigrationInterface {
  name = 'SandboxReplays1764000010100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sandbox_replays (
        sandbox_id   text PRIMARY KEY REFERENCES sandboxes (id) ON DELETE CASCADE,
        status       text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        customers    integer NOT NULL,
        seed         integer NOT NULL,
        pace         text NOT NULL CHECK (pace IN ('fast', 'presenter')),
        chapter      text,
        sandbox_at   timestamptz,
        counters     jsonb NOT NULL DEFAULT '{}',
        points       jsonb NOT NULL DEFAULT '[]',
        report       jsonb,
        failure      text,
        started_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sandbox_replays`);
  }
}
