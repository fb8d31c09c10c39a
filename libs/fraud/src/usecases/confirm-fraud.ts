import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext, newId } from '#core';
import { type Hold, underReview } from '../holds.js';
import { HoldsRepository } from '../holds.repository.js';
import { VictimsRepository } from '../victims.repository.js';
import { ReadHolds } from './read-holds.js';

/** The operator confirms fraud: the victim is recorded and compensation starts; held top-ups are cancelled. */
@Injectable()
export class ConfirmFraud {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly holds: HoldsRepository,
    private readonly victims: VictimsRepository,
    private readonly reads: ReadHolds,
  ) {}

  async confirm(
    sandbox: SandboxContext,
    holdId: string,
    actor: string,
    reason: string,
    since?: Date,
  ): Promise<Hold & { victimId: string }> {
    const victimId = await this.db.transaction(async (tx) => {
      const hold = underReview(await this.holds.find(tx, sandbox.id, holdId, true), holdId);
      const now = sandbox.time.now();
      const windowStart = since ?? hold.windowStart;
      await this.holds.resolve(tx, sandbox.id, hold.id, { status: 'confirmed', at: now, actor, reason });
      const id = newId('vic');
      await this.victims.insert(tx, {
        sandboxId: sandbox.id,
        id,
        holdId,
        walletId: hold.walletId,
        userId: hold.userId,
        windowStart,
        confirmedAt: now,
      });
      await this.outbox.emit(tx, sandbox, 'fraud.confirmed', {
        holdId,
        victimId: id,
        walletId: hold.walletId,
        userId: hold.userId,
        windowStart: windowStart.toISOString(),
        topupIds: await this.holds.topupIdsOf(tx, sandbox.id, holdId),
      });
      return id;
    });
    return { ...(await this.reads.get(sandbox.id, holdId)), victimId };
  }
}
