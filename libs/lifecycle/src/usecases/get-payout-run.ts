import { Injectable } from '@nestjs/common';
import { Database, DomainError, type SandboxContext } from '#core';
import { type PayoutRun, PayoutRunsRepository } from '../payout-runs.repository.js';
import { RefundClaimsRepository } from '../refund-claims.repository.js';

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

/** One payout run, and its progress. */
@Injectable()
export class GetPayoutRun {
  constructor(
    private readonly db: Database,
    private readonly runs: PayoutRunsRepository,
    private readonly claims: RefundClaimsRepository,
  ) {}

  async execute(sandboxId: string, id: string): Promise<PayoutRun> {
    const run = await this.runs.find(this.db, sandboxId, id);
    if (!run) throw DomainError.notFound('payout run', id);
    return run;
  }

  /**
   * The run's progress from the ledger: the payouts its paid events name,
   * each at the time and for the yen the ledger posted it. What is left is
   * the claims still submitted that the run has not set aside.
   */
  async progress(sandbox: SandboxContext, id: string): Promise<PayoutRunProgress> {
    const run = await this.execute(sandbox.id, id);
    const batches = await this.runs.payoutsOverTime(this.db, sandbox.id, id);
    let paid = 0;
    let amount = 0;
    const points = batches.map((b) => {
      paid += b.paid;
      amount += b.amount;
      return { at: b.at.toISOString(), paid, amount };
    });
    const waiting = run.status === 'running' ? await this.claims.countWaiting(this.db, sandbox.id, id) : 0;
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
}
