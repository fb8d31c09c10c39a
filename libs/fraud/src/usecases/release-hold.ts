import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext } from '#core';
import { type Hold, underReview } from '../holds.js';
import { HoldsRepository } from '../holds.repository.js';
import { ReadHolds } from './read-holds.js';

/** The operator releases the hold: payments resume and held top-ups settle. */
@Injectable()
export class ReleaseHold {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly holds: HoldsRepository,
    private readonly reads: ReadHolds,
  ) {}

  async release(sandbox: SandboxContext, holdId: string, actor: string, reason: string): Promise<Hold> {
    await this.db.transaction(async (tx) => {
      const hold = underReview(await this.holds.find(tx, sandbox.id, holdId, true), holdId);
      await this.holds.resolve(tx, sandbox.id, hold.id, { status: 'released', at: sandbox.time.now(), actor, reason });
      await this.outbox.emit(tx, sandbox, 'hold.released', {
        holdId,
        walletId: hold.walletId,
        topupIds: await this.holds.topupIdsOf(tx, sandbox.id, holdId),
        resolution: 'released',
      });
    });
    return this.reads.get(sandbox.id, holdId);
  }
}
