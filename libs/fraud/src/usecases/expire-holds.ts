import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext } from '#core';
import { HoldsRepository } from '../holds.repository.js';

const BATCH = 500;

/** Holds nobody reviewed in time are released, as an operator would: on a clock advance for its sandbox, or by the periodic sweep. */
@Injectable()
export class ExpireHolds {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly holds: HoldsRepository,
  ) {}

  async expireDue(sandbox: SandboxContext): Promise<number> {
    const now = sandbox.time.now();
    const due = await this.holds.dueIds(this.db, sandbox.id, now, BATCH);
    for (const id of due) {
      await this.db.transaction(async (tx) => {
        // Checked again under the row lock: a review that came first wins.
        const hold = await this.holds.find(tx, sandbox.id, id, true);
        if (hold?.status !== 'open') return;
        await this.holds.resolve(tx, sandbox.id, id, {
          status: 'expired',
          at: sandbox.time.now(),
          actor: 'policy',
          reason: 'not reviewed in time',
        });
        await this.outbox.emit(tx, sandbox, 'hold.released', {
          holdId: id,
          walletId: hold.walletId,
          topupIds: await this.holds.topupIdsOf(tx, sandbox.id, id),
          resolution: 'expired',
        });
      });
    }
    return due.length;
  }

  /** Sandboxes with a hold due, by their own clocks. */
  sandboxesDue(): Promise<string[]> {
    return this.holds.sandboxesWithDue(this.db);
  }
}
