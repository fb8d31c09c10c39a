import { Injectable } from '@nestjs/common';
import { Database, type EventJob, Outbox, type Queryable, type SandboxContext, Topic } from '#core';
import { LedgerService, SystemAccount, toYen } from '#ledger';

export interface Damage {
  /** Card top-ups made in the victim's name (each charge is cancelled). */
  topups: Array<{ topupId: string; amount: number }>;
  fraudulentTopups: number;
  /** What was spent from the wallet in the case's window, less refunds. */
  fraudulentPayments: number;
}

/** The damage of a case: what the fraud module observed on the wallet from the window's start until confirmation. */
export async function assessDamage(q: Queryable, sandboxId: string, walletId: string, from: Date, until: Date): Promise<Damage> {
  const topups = await q.rows<{ ref_id: string; amount: string }>(
    `SELECT ref_id, amount FROM fraud_observations
      WHERE sandbox_id = $1 AND wallet_id = $2 AND kind = 'topup_succeeded' AND channel = 'card' AND occurred_at >= $3 AND occurred_at <= $4
      ORDER BY ref_id`,
    [sandboxId, walletId, from, until],
  );
  const [spent] = await q.rows<{ paid: string | null; refunded: string | null }>(
    `SELECT sum(amount) FILTER (WHERE kind = 'payment') AS paid, sum(amount) FILTER (WHERE kind = 'refund') AS refunded FROM fraud_observations
      WHERE sandbox_id = $1 AND wallet_id = $2 AND kind IN ('payment', 'refund') AND occurred_at >= $3 AND occurred_at <= $4`,
    [sandboxId, walletId, from, until],
  );
  const list = topups.map((t) => ({ topupId: t.ref_id, amount: toYen(t.amount) }));
  return {
    topups: list,
    fraudulentTopups: list.reduce((sum, t) => sum + t.amount, 0),
    fraudulentPayments: Math.max(0, toYen(spent.paid) - toYen(spent.refunded)),
  };
}

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
  ) {}

  async compensate(sandbox: SandboxContext, event: EventJob<Topic.FraudConfirmed>): Promise<void> {
    await this.pay(sandbox, event.data.victimId);
  }

  /** A payment of the wallet was voided: its victims waiting on that are paid now. */
  async resume(sandbox: SandboxContext, walletId: string): Promise<void> {
    const waiting = await this.db.rows<{ id: string }>(
      `SELECT id FROM fraud_victims WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'pending' ORDER BY id`,
      [sandbox.id, walletId],
    );
    for (const { id } of waiting) await this.pay(sandbox, id);
  }

  private async pay(sandbox: SandboxContext, victimId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [victim] = await tx.rows<{ wallet_id: string; hold_id: string; window_start: Date; confirmed_at: Date; status: string }>(
        `SELECT wallet_id, hold_id, window_start, confirmed_at, status FROM fraud_victims WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`,
        [sandbox.id, victimId],
      );
      if (!victim || victim.status === 'paid') return;
      if ((await this.ledger.openReservations(tx, sandbox.id, victim.wallet_id, 'payment', victim.window_start)) > 0) return;
      const damage = await assessDamage(tx, sandbox.id, victim.wallet_id, victim.window_start, victim.confirmed_at);
      const now = sandbox.time.now();
      const available = (await this.ledger.walletBalance(tx, sandbox.id, victim.wallet_id))?.available ?? 0;
      // Enough to cancel every charge even if the wallet holds less than the attacker topped up,
      // or keeps some of it reserved for an authorization of its owner's from before the case.
      const reimbursed = Math.max(damage.fraudulentPayments, damage.fraudulentTopups - available);
      if (reimbursed > 0) {
        await this.ledger.transfer(tx, {
          sandboxId: sandbox.id,
          key: `compensation/${victimId}/reimburse`,
          debit: SystemAccount.FraudLosses,
          credit: victim.wallet_id,
          amount: reimbursed,
          code: 'compensation',
          metadata: { victimId, holdId: victim.hold_id },
          at: now,
        });
      }
      for (const topup of damage.topups) {
        await this.ledger.transfer(tx, {
          sandboxId: sandbox.id,
          key: `compensation/${victimId}/reverse/${topup.topupId}`,
          debit: victim.wallet_id,
          credit: SystemAccount.TopupCard,
          amount: topup.amount,
          code: 'reversal',
          metadata: { victimId, topupId: topup.topupId },
          at: now,
        });
      }
      const reversedTopupIds = damage.topups.map((t) => t.topupId);
      await tx.rows(
        `UPDATE fraud_victims SET status = 'paid', fraudulent_topups = $3, fraudulent_payments = $4, reimbursed = $5, reversed = $6, reversed_topups = $7, paid_at = $8
          WHERE sandbox_id = $1 AND id = $2`,
        [
          sandbox.id,
          victimId,
          damage.fraudulentTopups,
          damage.fraudulentPayments,
          reimbursed,
          damage.fraudulentTopups,
          JSON.stringify(reversedTopupIds),
          now,
        ],
      );
      await this.outbox.emit(tx, sandbox, Topic.CompensationPaid, {
        victimId,
        holdId: victim.hold_id,
        walletId: victim.wallet_id,
        reimbursed,
        reversed: damage.fraudulentTopups,
        reversedTopupIds,
      });
      // Made whole: the wallet can pay again (the customer signs in anew, with the second factor).
      await this.outbox.emit(tx, sandbox, Topic.HoldReleased, {
        holdId: victim.hold_id,
        walletId: victim.wallet_id,
        topupIds: [],
        resolution: 'compensated',
      });
    });
  }
}
