import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A sandbox may take its client's IP from the Sandbox-Client-Ip header: a replay names each simulated customer's network. */
export class SandboxSimulatedClientIps1764000010000 implements MigrationInterface {
  name = 'SandboxSimulatedClientIps1764000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sandboxes ADD COLUMN simulated_client_ips boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sandboxes DROP COLUMN simulated_client_ips`);
  }
}
