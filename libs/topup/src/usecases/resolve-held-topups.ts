import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext } from '#core';
import { LedgerService } from '#ledger';
import { TopupsRepository, topupFacts } from '../topups.repository.js';

/** What becomes of held top-ups when the fraud review ends, and of reversed ones after compensation. */
@Injectable()
export class ResolveHeldTopups {
  constructor(
    private readonly db: Database,
    private readonly topups: TopupsRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  /** The hold was released: each held top-up's reserved funds are posted to the wallet. */
  async settle(sandbox: SandboxContext, topupIds: string[]): Promise<void> {
    for (const id of topupIds) {
      await this.db.transaction(async (tx) => {
        const seen = await this.topups.find(tx, sandbox.id, id);
        if (seen?.status !== 'held') return;
        await this.topups.lockWallet(tx, sandbox.id, seen.walletId);
        const topup = await this.topups.get(tx, sandbox.id, id, {}, true);
        if (topup.status !== 'held') return;
        const pendingId = await this.topups.pendingIdOf(tx, sandbox.id, id);
        const now = sandbox.time.now();
        const transfer = await this.ledger.postPending(tx, sandbox.id, pendingId, null, now);
        await this.topups.update(tx, sandbox.id, id, { status: 'succeeded', transferId: transfer.id }, now);
        const balance = (await this.ledger.walletBalance(tx, sandbox.id, topup.walletId))?.balance ?? 0;
        await this.outbox.emit(tx, sandbox, 'topup.succeeded', { ...topupFacts(topup), transferId: transfer.id, balance });
      });
    }
  }

  /** Fraud was confirmed: held top-ups are cancelled (their reservation voided, their daily usage and points returned). */
  async cancel(sandbox: SandboxContext, topupIds: string[]): Promise<void> {
    for (const id of topupIds) {
      await this.db.transaction(async (tx) => {
        const topup = await this.topups.find(tx, sandbox.id, id, {}, true);
        if (topup?.status !== 'held') return;
        const now = sandbox.time.now();
        await this.ledger.voidPending(tx, sandbox.id, await this.topups.pendingIdOf(tx, sandbox.id, id), now);
        await this.topups.update(tx, sandbox.id, id, { status: 'canceled', failureCode: 'fraud_confirmed' }, now);
        await this.topups.giveBack(tx, sandbox.id, topup);
        await this.outbox.emit(tx, sandbox, 'topup.failed', { ...topupFacts(topup), failureCode: 'fraud_confirmed' });
      });
    }
  }

  /** Compensation reversed these card top-ups: the network cancelled their charges. */
  async markReversed(sandbox: SandboxContext, topupIds: string[]): Promise<void> {
    await this.topups.markReversed(this.db, sandbox.id, topupIds, sandbox.time.now());
  }
}
