import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A sandbox's clock may start in the past (a replay of 2019): its offset may be negative; it still only moves forward. */
export class SandboxClockStart1764000009400 implements MigrationInterface {
  name = 'SandboxClockStart1764000009400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sandboxes DROP CONSTRAINT sandboxes_clock_offset_ms_check`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sandboxes ADD CONSTRAINT sandboxes_clock_offset_ms_check CHECK (clock_offset_ms >= 0)`);
  }
}
