import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext, type Tx } from '#core';
import { type Topup, TopupsRepository, topupFacts } from '../topups.repository.js';

/** How every pending top-up ends that will never settle: once, under its row lock. */
@Injectable()
export class FailTopup {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
    private readonly outbox: Outbox,
  ) {}

  async fail(sandbox: SandboxContext, topupId: string, failureCode: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Gone with a sandbox reset, or ended another way first: nothing to fail.
      const topup = await this.topups.find(tx, sandbox.id, topupId, {}, true);
      if (topup?.status === 'pending') await this.failIn(tx, sandbox, topup, failureCode);
    });
  }

  /** Fails a locked pending top-up: its daily usage and any points come back. */
  async failIn(tx: Tx, sandbox: SandboxContext, topup: Topup, failureCode: string): Promise<void> {
    const now = sandbox.time.now();
    await this.topups.update(tx, sandbox.id, topup.id, { status: 'failed', failureCode, nextAction: null, threeDsHash: null }, now);
    await this.topups.giveBack(tx, sandbox.id, topup);
    await this.outbox.emit(tx, sandbox, 'topup.failed', { ...topupFacts(topup), failureCode });
  }
}
