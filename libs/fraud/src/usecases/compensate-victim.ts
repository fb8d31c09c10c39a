import { Injectable } from '@nestjs/common';
import { Database, type EventJob, Outbox, type SandboxContext } from '#core';
import { LedgerService, SystemAccount } from '#ledger';
import { VictimsRepository } from '../victims.repository.js';
import { AssessDamage } from './assess-damage.js';

/**
 * Makes a confirmed victim whole: what the attacker spent comes back from
 * the issuer's fraud-loss account, then every card top-up made in the
 * victim's name is reversed (its charge cancelled). Each step is a ledger
 * transfer with a key of its own, so a retried job repeats nothing.
 *
 * The attacker's authorizations still open on the wallet are voided first
 * by the capture module (it hears fraud.confirmed too): until they are,
 * compensation waits, and the last of their voids resumes it.
 */
@Injectable()
export class Compensation {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
    private readonly victims: VictimsRepository,
    private readonly damages: AssessDamage,
  ) {}

  async compensate(sandbox: SandboxContext, event: EventJob<'fraud.confirmed'>): Promise<void> {
    await this.pay(sandbox, event.data.victimId);
  }

  /** A payment of the wallet was voided: its victims waiting on that are paid now. */
  async resume(sandbox: SandboxContext, walletId: string): Promise<void> {
    for (const id of await this.victims.pendingOfWallet(this.db, sandbox.id, walletId)) await this.pay(sandbox, id);
  }

  private async pay(sandbox: SandboxContext, victimId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const victim = await this.victims.findForUpdate(tx, sandbox.id, victimId);
      if (!victim || victim.status === 'paid') return;
      if ((await this.ledger.openReservations(tx, sandbox.id, victim.walletId, 'payment', victim.windowStart)) > 0) return;
      const damage = await this.damages.assess(tx, sandbox.id, victim.walletId, victim.windowStart, victim.confirmedAt);
      const now = sandbox.time.now();
      const available = (await this.ledger.walletBalance(tx, sandbox.id, victim.walletId))?.available ?? 0;
      // Enough to cancel every charge even if the wallet holds less than the attacker topped up,
      // or keeps some of it reserved for an authorization of its owner's from before the case.
      const reimbursed = Math.max(damage.fraudulentPayments, damage.fraudulentTopups - available);
      if (reimbursed > 0) {
        await this.ledger.transfer(tx, {
          sandboxId: sandbox.id,
          key: `compensation/${victimId}/reimburse`,
          debit: SystemAccount.FraudLosses,
          credit: victim.walletId,
          amount: reimbursed,
          code: 'compensation',
          metadata: { victimId, holdId: victim.holdId },
          at: now,
        });
      }
      for (const topup of damage.topups) {
        await this.ledger.transfer(tx, {
          sandboxId: sandbox.id,
          key: `compensation/${victimId}/reverse/${topup.topupId}`,
          debit: victim.walletId,
          credit: SystemAccount.TopupCard,
          amount: topup.amount,
          code: 'reversal',
          metadata: { victimId, topupId: topup.topupId },
          at: now,
        });
      }
      const reversedTopupIds = damage.topups.map((t) => t.topupId);
      await this.victims.markPaid(tx, sandbox.id, victimId, {
        fraudulentTopups: damage.fraudulentTopups,
        fraudulentPayments: damage.fraudulentPayments,
        reimbursed,
        reversed: damage.fraudulentTopups,
        reversedTopupIds,
        at: now,
      });
      await this.outbox.emit(tx, sandbox, 'compensation.paid', {
        victimId,
        holdId: victim.holdId,
        walletId: victim.walletId,
        reimbursed,
        reversed: damage.fraudulentTopups,
        reversedTopupIds,
      });
      // Made whole: the wallet can pay again (the customer signs in anew, with the second factor).
      await this.outbox.emit(tx, sandbox, 'hold.released', {
        holdId: victim.holdId,
        walletId: victim.walletId,
        topupIds: [],
        resolution: 'compensated',
      });
    });
  }
}
