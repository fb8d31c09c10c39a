import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database, Environment, type EventJob, Outbox, Queues, type SandboxContext, Secrets, type Tx, newId } from '#core';
import { LedgerService, type PayoutResult, SystemAccount } from '#ledger';
import { type NewMessage, Messages } from '#sandbox';
import { type PayoutRun, PayoutRunsRepository } from '../payout-runs.repository.js';
import { BOUNCING_ACCOUNT_NUMBER, accountNumberOf, claimFacts } from '../refund-claims.js';
import { type DueClaim, RefundClaimsRepository } from '../refund-claims.repository.js';
import { GetPayoutRun } from './get-payout-run.js';

/**
 * Pays verified claims in batches. One run per sandbox at a time walks the
 * submitted claims a batch per job: each batch is one transaction in which
 * the ledger pays every wallet (a transfer each, keyed by claim and payout
 * number), so a worker that dies mid-batch pays nothing of it and the
 * retried job pays it exactly once. A claim made during a run is picked up
 * by it; a wallet held for fraud review waits for its release.
 */
@Injectable()
export class PayoutRuns {
  constructor(
    private readonly db: Database,
    private readonly runs: PayoutRunsRepository,
    private readonly claims: RefundClaimsRepository,
    private readonly getRun: GetPayoutRun,
    private readonly ledger: LedgerService,
    private readonly secrets: Secrets,
    private readonly messages: Messages,
    private readonly outbox: Outbox,
    private readonly queues: Queues,
    private readonly env: Environment,
  ) {}

  /** Makes sure a run will reach what is payable now: the running one, told there is more, or a new one. */
  async ensure(sandbox: SandboxContext, trigger: string): Promise<PayoutRun> {
    const id = await this.db.transaction(async (tx) => {
      await this.runs.lockRuns(tx, sandbox.id);
      const running = await this.runs.flagRunning(tx, sandbox.id);
      if (running) return running;
      const runId = newId('prn');
      await this.runs.insert(tx, sandbox.id, runId, trigger, sandbox.time.now());
      await this.outbox.emit(tx, sandbox, 'refund_payout.run_started', { runId, trigger });
      return runId;
    });
    return this.getRun.execute(sandbox.id, id);
  }

  /** One batch of a run; the next batch is queued while there is more. */
  async batch(sandbox: SandboxContext, job: EventJob<'refund_payout.run_started'> & { batch?: number }): Promise<void> {
    const more = await this.db.transaction((tx) => this.payBatch(tx, sandbox, job.data.runId));
    if (more) {
      const next = (job.batch ?? 0) + 1;
      await this.queues.add('lifecycle.payout-batch', { ...job, batch: next }, [job.eventId, next]);
    }
  }

  private async payBatch(tx: Tx, sandbox: SandboxContext, runId: string): Promise<boolean> {
    await this.runs.lockRuns(tx, sandbox.id);
    const run = await this.runs.lock(tx, sandbox.id, runId);
    if (!run || run.status === 'completed') return false;
    const due = await this.claims.lockDue(tx, sandbox.id, runId, this.env.PAYOUT_BATCH_SIZE);
    const now = sandbox.time.now();
    // The bank refuses a transfer to an account it does not know; nothing moves.
    const bounces = due.filter(
      (c) =>
        c.method === 'bank_transfer' &&
        c.bankAccount &&
        accountNumberOf(this.secrets, { sandboxId: sandbox.id, id: c.id }, c.bankAccount) === BOUNCING_ACCOUNT_NUMBER,
    );
    const payable = due.filter((c) => !bounces.includes(c));
    const results = new Map<string, PayoutResult>(
      (
        await this.ledger.payoutBatch(
          tx,
          sandbox.id,
          payable.map((c) => ({ walletId: c.walletId, key: `refund_payout/${c.id}/${c.payouts + 1}` })),
          SystemAccount.RefundPayouts,
          'payout',
          now,
        )
      ).map((r) => [r.walletId, r]),
    );
    const held = payable.filter((c) => results.get(c.walletId)?.outcome === 'wallet_on_hold');
    const paid = payable.filter((c) => !held.includes(c));
    const paidAmount = (c: DueClaim) => results.get(c.walletId)?.amount ?? 0;
    const slips = new Map(paid.filter((c) => c.method === 'postal_payout').map((c) => [c.id, String(randomInt(10 ** 11, 10 ** 12))]));

    await this.claims.markPaid(
      tx,
      sandbox.id,
      paid.map((c) => ({ id: c.id, amount: paidAmount(c), slip: slips.get(c.id) ?? null })),
      now,
    );
    await this.claims.markBounced(
      tx,
      sandbox.id,
      bounces.map((c) => c.id),
      now,
    );
    await this.claims.defer(
      tx,
      sandbox.id,
      held.map((c) => c.id),
      runId,
    );
    await this.outbox.emitMany(
      tx,
      sandbox,
      'refund_claim.paid',
      paid.map((c) => ({ ...claimFacts(c), paidAmount: paidAmount(c), transferId: results.get(c.walletId)?.transferId ?? '', runId })),
    );
    await this.outbox.emitMany(
      tx,
      sandbox,
      'refund_claim.bounced',
      bounces.map((c) => ({ ...claimFacts(c), failureCode: 'account_not_found', runId })),
    );
    await this.messages.sendMany(tx, [
      ...paid
        .filter((c) => c.contactEmail && paidAmount(c) > 0)
        .map((c) => paidMessage(sandbox.id, c, paidAmount(c), slips.get(c.id), now)),
      ...bounces.filter((c) => c.contactEmail).map((c) => bouncedMessage(sandbox.id, c, now)),
    ]);

    const amount = paid.reduce((sum, c) => sum + paidAmount(c), 0);
    const last = due.length < this.env.PAYOUT_BATCH_SIZE;
    const finished = last && !run.moreWork;
    const after = await this.runs.recordBatch(tx, sandbox.id, runId, {
      paid: paid.length,
      amount,
      bounced: bounces.length,
      held: held.length,
      finished,
      at: now,
    });
    if (finished) {
      await this.outbox.emit(tx, sandbox, 'refund_payout.run_completed', {
        runId,
        batches: after.batches,
        paid: after.paid,
        amount: after.amount,
        bounced: after.bounced,
        held: after.held,
      });
    }
    return !finished;
  }
}

function paidMessage(sandboxId: string, c: DueClaim, amount: number, slip: string | undefined, at: Date): NewMessage {
  const how = slip ? `Your postal payout slip number is ${slip}: cash it at any post office.` : 'It was transferred to your bank account.';
  return {
    sandboxId,
    channel: 'email',
    to: c.contactEmail as string,
    subject: 'Your refund was paid',
    body: `Your refund claim ${c.id} was paid: ¥${amount.toLocaleString('en-US')}. ${how}`,
    at,
  };
}

function bouncedMessage(sandboxId: string, c: DueClaim, at: Date): NewMessage {
  return {
    sandboxId,
    channel: 'email',
    to: c.contactEmail as string,
    subject: 'We could not transfer your refund',
    body: `The bank returned the transfer for your refund claim ${c.id}: the account does not exist. Correct the bank account in the app and we will pay again.`,
    at,
  };
}
