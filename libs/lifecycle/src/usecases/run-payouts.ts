import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  Database,
  DomainError,
  Environment,
  type EventJob,
  JobName,
  Outbox,
  type Page,
  Queues,
  type SandboxContext,
  Topic,
  type Tx,
  newId,
} from '#core';
import { LedgerService, type PayoutResult, SystemAccount, toYen } from '#ledger';
import { type NewMessage, Messages } from '#sandbox';
import { BOUNCING_ACCOUNT_NUMBER, type PayoutMethod, RefundClaims, claimFacts } from './refund-claims.js';

export interface PayoutRun {
  id: string;
  status: 'running' | 'completed';
  trigger: string;
  batches: number;
  paid: number;
  amount: number;
  bounced: number;
  /** Claims left for later because the wallet is held for fraud review. */
  held: number;
  startedAt: string;
  finishedAt: string | null;
}

/** Where a run stands, and the wallets it paid over sandbox time (a point per batch). */
export interface PayoutRunProgress {
  runId: string;
  status: PayoutRun['status'];
  /** Claims the run must reach: those it paid, bounced or left held, and those still waiting for it. */
  payable: number;
  paid: number;
  amount: number;
  bounced: number;
  held: number;
  /** Claims reached of those payable, 0 to 100; 100 once the run completed. */
  percent: number;
  /** Cumulative wallets paid and yen paid, at each sandbox time the ledger posted payouts of the run. */
  points: Array<{ at: string; paid: number; amount: number }>;
  startedAt: string;
  finishedAt: string | null;
  asOf: string;
}

/** A row of lifecycle_payout_runs. */
export interface PayoutRunRow {
  id: string;
  status: 'running' | 'completed';
  trigger: string;
  more_work: boolean;
  batches: number;
  paid: number;
  amount: string;
  bounced: number;
  held: number;
  started_at: Date;
  finished_at: Date | null;
}

interface DueClaim {
  id: string;
  wallet_id: string;
  user_id: string | null;
  method: PayoutMethod;
  bank_account: string | null;
  contact_email: string | null;
  amount: string;
  payouts: number;
}

const toRun = (row: PayoutRunRow): PayoutRun => ({
  id: row.id,
  status: row.status,
  trigger: row.trigger,
  batches: row.batches,
  paid: row.paid,
  amount: Number(row.amount),
  bounced: row.bounced,
  held: row.held,
  startedAt: row.started_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
});

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
    private readonly ledger: LedgerService,
    private readonly claims: RefundClaims,
    private readonly messages: Messages,
    private readonly outbox: Outbox,
    private readonly queues: Queues,
    private readonly env: Environment,
  ) {}

  /** Makes sure a run will reach what is payable now: the running one, told there is more, or a new one. */
  async ensure(sandbox: SandboxContext, trigger: string): Promise<PayoutRun> {
    const id = await this.db.transaction(async (tx) => {
      await this.serialize(tx, sandbox.id);
      const [running] = await tx.rows<{ id: string }>(
        `UPDATE lifecycle_payout_runs SET more_work = true WHERE sandbox_id = $1 AND status = 'running' RETURNING id`,
        [sandbox.id],
      );
      if (running) return running.id;
      const runId = newId('prn');
      await tx.rows(`INSERT INTO lifecycle_payout_runs (sandbox_id, id, status, trigger, started_at) VALUES ($1, $2, 'running', $3, $4)`, [
        sandbox.id,
        runId,
        trigger,
        sandbox.time.now(),
      ]);
      await this.outbox.emit(tx, sandbox, Topic.PayoutRunStarted, { runId, trigger });
      return runId;
    });
    return this.get(sandbox.id, id);
  }

  async get(sandboxId: string, id: string): Promise<PayoutRun> {
    const [row] = await this.db.rows<PayoutRunRow>(`SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      id,
    ]);
    if (!row) throw DomainError.notFound('payout run', id);
    return toRun(row);
  }

  /**
   * The run's progress from the ledger: the payouts its paid events name,
   * each at the time and for the yen the ledger posted it. What is left is
   * the claims still submitted that the run has not set aside.
   */
  async progress(sandbox: SandboxContext, id: string): Promise<PayoutRunProgress> {
    const run = await this.get(sandbox.id, id);
    const batches = await this.db.rows<{ at: Date; paid: string; amount: string | null }>(
      `SELECT COALESCE(t.posted_at, e.occurred_at) AS at, count(*) AS paid, sum(t.amount) AS amount
         FROM outbox_events e
         LEFT JOIN ledger_transfers t ON t.sandbox_id = e.sandbox_id AND t.id = e.data->>'transferId'
        WHERE e.sandbox_id = $1 AND e.type = $2 AND e.data->>'runId' = $3
        GROUP BY 1 ORDER BY 1`,
      [sandbox.id, Topic.RefundClaimPaid, id],
    );
    let paid = 0;
    let amount = 0;
    const points = batches.map((b) => {
      paid += Number(b.paid);
      amount += toYen(b.amount);
      return { at: b.at.toISOString(), paid, amount };
    });
    let waiting = 0;
    if (run.status === 'running') {
      const [row] = await this.db.rows<{ n: string }>(
        `SELECT count(*) AS n FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND status = 'submitted' AND deferred_run IS DISTINCT FROM $2`,
        [sandbox.id, id],
      );
      waiting = Number(row.n);
    }
    const reached = paid + run.bounced + run.held;
    const payable = reached + waiting;
    // 100 means done: a running run that reached every claim still has its last batch to close.
    const percent = run.status === 'completed' ? 100 : payable === 0 ? 0 : Math.min(99, Math.floor((100 * reached) / payable));
    return {
      runId: run.id,
      status: run.status,
      payable,
      paid,
      amount,
      bounced: run.bounced,
      held: run.held,
      percent,
      points,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      asOf: sandbox.time.now().toISOString(),
    };
  }

  async list(sandboxId: string, query: { limit: number; starting_after?: string }): Promise<Page<PayoutRun>> {
    const rows = await this.db.rows<PayoutRunRow>(
      `SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [sandboxId, query.starting_after ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toRun), has_more: rows.length > query.limit };
  }

  /** One batch of a run; the next batch is queued while there is more. */
  async batch(sandbox: SandboxContext, job: EventJob<Topic.PayoutRunStarted> & { batch?: number }): Promise<void> {
    const more = await this.db.transaction((tx) => this.payBatch(tx, sandbox, job.data.runId));
    if (more) {
      const next = (job.batch ?? 0) + 1;
      await this.queues.add(JobName.LifecyclePayoutBatch, { ...job, batch: next }, [job.eventId, next]);
    }
  }

  private async payBatch(tx: Tx, sandbox: SandboxContext, runId: string): Promise<boolean> {
    await this.serialize(tx, sandbox.id);
    const [run] = await tx.rows<PayoutRunRow>(`SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [
      sandbox.id,
      runId,
    ]);
    if (!run || run.status === 'completed') return false;
    const due = await tx.rows<DueClaim>(
      `SELECT id, wallet_id, user_id, method, bank_account, contact_email, amount, payouts FROM lifecycle_refund_claims
        WHERE sandbox_id = $1 AND status = 'submitted' AND deferred_run IS DISTINCT FROM $2 ORDER BY id LIMIT $3 FOR UPDATE`,
      [sandbox.id, runId, this.env.PAYOUT_BATCH_SIZE],
    );
    const now = sandbox.time.now();
    // The bank refuses a transfer to an account it does not know; nothing moves.
    const bounces = due.filter(
      (c) => c.method === 'bank_transfer' && c.bank_account && this.claims.accountNumber(c.bank_account) === BOUNCING_ACCOUNT_NUMBER,
    );
    const payable = due.filter((c) => !bounces.includes(c));
    const results = new Map<string, PayoutResult>(
      (
        await this.ledger.payoutBatch(
          tx,
          sandbox.id,
          payable.map((c) => ({ walletId: c.wallet_id, key: `refund_payout/${c.id}/${c.payouts + 1}` })),
          SystemAccount.RefundPayouts,
          'payout',
          now,
        )
      ).map((r) => [r.walletId, r]),
    );
    const held = payable.filter((c) => results.get(c.wallet_id)?.outcome === 'wallet_on_hold');
    const paid = payable.filter((c) => !held.includes(c));
    const paidAmount = (c: DueClaim) => results.get(c.wallet_id)?.amount ?? 0;
    const slips = new Map(paid.filter((c) => c.method === 'postal_payout').map((c) => [c.id, String(randomInt(10 ** 11, 10 ** 12))]));

    await tx.rows(
      `UPDATE lifecycle_refund_claims c SET status = 'paid', paid_amount = c.paid_amount + u.amount, payouts = c.payouts + CASE WHEN u.amount > 0 THEN 1 ELSE 0 END,
              slip_number = COALESCE(c.slip_number, u.slip), failure_code = NULL, deferred_run = NULL, paid_at = $2, updated_at = $2
         FROM unnest($3::text[], $4::bigint[], $5::text[]) AS u(id, amount, slip)
        WHERE c.sandbox_id = $1 AND c.id = u.id`,
      [sandbox.id, now, paid.map((c) => c.id), paid.map(paidAmount), paid.map((c) => slips.get(c.id) ?? null)],
    );
    await tx.rows(
      `UPDATE lifecycle_refund_claims SET status = 'bounced', failure_code = 'account_not_found', updated_at = $2 WHERE sandbox_id = $1 AND id = ANY ($3::text[])`,
      [sandbox.id, now, bounces.map((c) => c.id)],
    );
    await tx.rows(`UPDATE lifecycle_refund_claims SET deferred_run = $2 WHERE sandbox_id = $1 AND id = ANY ($3::text[])`, [
      sandbox.id,
      runId,
      held.map((c) => c.id),
    ]);
    const facts = (c: DueClaim) =>
      claimFacts({ id: c.id, walletId: c.wallet_id, userId: c.user_id, method: c.method, amount: Number(c.amount) });
    await this.outbox.emitMany(
      tx,
      sandbox,
      Topic.RefundClaimPaid,
      paid.map((c) => ({ ...facts(c), paidAmount: paidAmount(c), transferId: results.get(c.wallet_id)?.transferId ?? '', runId })),
    );
    await this.outbox.emitMany(
      tx,
      sandbox,
      Topic.RefundClaimBounced,
      bounces.map((c) => ({ ...facts(c), failureCode: 'account_not_found', runId })),
    );
    await this.messages.sendMany(tx, [
      ...paid
        .filter((c) => c.contact_email && paidAmount(c) > 0)
        .map((c) => paidMessage(sandbox.id, c, paidAmount(c), slips.get(c.id), now)),
      ...bounces.filter((c) => c.contact_email).map((c) => bouncedMessage(sandbox.id, c, now)),
    ]);

    const amount = paid.reduce((sum, c) => sum + paidAmount(c), 0);
    const last = due.length < this.env.PAYOUT_BATCH_SIZE;
    const finished = last && !run.more_work;
    const [after] = await tx.rows<PayoutRunRow>(
      `UPDATE lifecycle_payout_runs SET batches = batches + 1, paid = paid + $3, amount = amount + $4, bounced = bounced + $5, held = held + $6,
              more_work = false, status = CASE WHEN $7 THEN 'completed' ELSE status END, finished_at = CASE WHEN $7 THEN $8::timestamptz END
        WHERE sandbox_id = $1 AND id = $2 RETURNING *`,
      [sandbox.id, runId, paid.length, amount, bounces.length, held.length, finished, now],
    );
    if (finished) {
      await this.outbox.emit(tx, sandbox, Topic.PayoutRunCompleted, {
        runId,
        batches: after.batches,
        paid: after.paid,
        amount: Number(after.amount),
        bounced: after.bounced,
        held: after.held,
      });
    }
    return !finished;
  }

  /** Runs of one sandbox start, batch and finish one at a time, so no claim made meanwhile is left out. */
  private async serialize(tx: Tx, sandboxId: string): Promise<void> {
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`payout-runs/${sandboxId}`]);
  }
}

function paidMessage(sandboxId: string, c: DueClaim, amount: number, slip: string | undefined, at: Date): NewMessage {
  const how = slip ? `Your postal payout slip number is ${slip}: cash it at any post office.` : 'It was transferred to your bank account.';
  return {
    sandboxId,
    channel: 'email',
    to: c.contact_email as string,
    subject: 'Your refund was paid',
    body: `Your refund claim ${c.id} was paid: ¥${amount.toLocaleString('en-US')}. ${how}`,
    at,
  };
}

function bouncedMessage(sandboxId: string, c: DueClaim, at: Date): NewMessage {
  return {
    sandboxId,
    channel: 'email',
    to: c.contact_email as string,
    subject: 'We could not transfer your refund',
    body: `The bank returned the transfer for your refund claim ${c.id}: the account does not exist. Correct the bank account in the app and we will pay again.`,
    at,
  };
}
