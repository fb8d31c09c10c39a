import { Injectable } from '@nestjs/common';
import { Database, Outbox, SandboxChanges } from '#core';
import { SandboxRepository } from '../sandbox.repository.js';
import { clockOf } from '../sandbox-view.js';

/**
 * Moves a sandbox's clock forward (never back). Whatever waits on time —
 * expiries, schedules — hears of it through the `sandbox.clock_advanced` event.
 */
@Injectable()
export class AdvanceClock {
  constructor(
    private readonly db: Database,
    private readonly sandboxes: SandboxRepository,
    private readonly outbox: Outbox,
    private readonly changes: SandboxChanges,
  ) {}

  async execute(sandboxId: string, seconds: number): Promise<{ now: string; offsetSeconds: number }> {
    return this.db.transaction(async (tx) => {
      await this.sandboxes.lock(tx, sandboxId);
      tx.afterCommit(() => this.changes.announce(sandboxId));
      const time = await this.sandboxes.advanceClock(tx, sandboxId, seconds * 1000);
      const to = time.now();
      const from = new Date(to.getTime() - seconds * 1000);
      await this.outbox.publish(tx, {
        sandboxId,
        type: 'sandbox.clock_advanced',
        data: { sandboxId, from: from.toISOString(), to: to.toISOString(), seconds },
        occurredAt: to,
      });
      return clockOf(time);
    });
  }
}
