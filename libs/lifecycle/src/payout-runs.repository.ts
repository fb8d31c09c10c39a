import { Injectable } from '@nestjs/common';
import { type Page, type Queryable } from '#core';
import { toYen } from '#ledger';

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

/** Payout runs, one running per sandbox at a time. */
@Injectable()
export class PayoutRunsRepository {
  /** Runs of one sandbox start, batch and finish one at a time, until the transaction ends. */
  async lockRuns(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`payout-runs/${sandboxId}`]);
  }

  /** Tells the running run, if any, that there is more to pay; returns its id. */
  async flagRunning(q: Queryable, sandboxId: string): Promise<string | null> {
    const [running] = await q.rows<{ id: string }>(
      `UPDATE lifecycle_payout_runs SET more_work = true WHERE sandbox_id = $1 AND status = 'running' RETURNING id`,
      [sandboxId],
    );
    return running?.id ?? null;
  }

  async insert(q: Queryable, sandboxId: string, id: string, trigger: string, at: Date): Promise<void> {
    await q.rows(`INSERT INTO lifecycle_payout_runs (sandbox_id, id, status, trigger, started_at) VALUES ($1, $2, 'running', $3, $4)`, [
      sandboxId,
      id,
      trigger,
      at,
    ]);
  }

  async find(q: Queryable, sandboxId: string, id: string): Promise<PayoutRun | null> {
    const [row] = await q.rows<PayoutRunRow>(`SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND id = $2`, [sandboxId, id]);
    return row ? toRun(row) : null;
  }

  /** Locks a run for one batch; `moreWork`: something payable came in since its last batch began. */
  async lock(q: Queryable, sandboxId: string, id: string): Promise<(PayoutRun & { moreWork: boolean }) | null> {
    const [row] = await q.rows<PayoutRunRow>(`SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [
      sandboxId,
      id,
    ]);
    return row ? { ...toRun(row), moreWork: row.more_work } : null;
  }

  /** Newest first. */
  async list(q: Queryable, sandboxId: string, query: { limit: number; starting_after?: string }): Promise<Page<PayoutRun>> {
    const rows = await q.rows<PayoutRunRow>(
      `SELECT * FROM lifecycle_payout_runs WHERE sandbox_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [sandboxId, query.starting_after ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toRun), has_more: rows.length > query.limit };
  }

  /** Counts a batch into its run, and completes the run when `finished`; returns the run after it. */
  async recordBatch(
    q: Queryable,
    sandboxId: string,
    id: string,
    batch: { paid: number; amount: number; bounced: number; held: number; finished: boolean; at: Date },
  ): Promise<PayoutRun> {
    const [after] = await q.rows<PayoutRunRow>(
      `UPDATE lifecycle_payout_runs SET batches = batches + 1, paid = paid + $3, amount = amount + $4, bounced = bounced + $5, held = held + $6,
              more_work = false, status = CASE WHEN $7 THEN 'completed' ELSE status END, finished_at = CASE WHEN $7 THEN $8::timestamptz END
        WHERE sandbox_id = $1 AND id = $2 RETURNING *`,
      [sandboxId, id, batch.paid, batch.amount, batch.bounced, batch.held, batch.finished, batch.at],
    );
    return toRun(after);
  }

  /**
   * The run's payouts by the time the ledger posted them (the event's time
   * while the transfer is unknown): how many wallets, and the yen.
   */
  async payoutsOverTime(q: Queryable, sandboxId: string, id: string): Promise<Array<{ at: Date; paid: number; amount: number }>> {
    const rows = await q.rows<{ at: Date; paid: string; amount: string | null }>(
      `SELECT COALESCE(t.posted_at, e.occurred_at) AS at, count(*) AS paid, sum(t.amount) AS amount
         FROM outbox_events e
         LEFT JOIN ledger_transfers t ON t.sandbox_id = e.sandbox_id AND t.id = e.data->>'transferId'
        WHERE e.sandbox_id = $1 AND e.type = $2 AND e.data->>'runId' = $3
        GROUP BY 1 ORDER BY 1`,
      [sandboxId, 'refund_claim.paid', id],
    );
    return rows.map((row) => ({ at: row.at, paid: Number(row.paid), amount: toYen(row.amount) }));
  }

  /** Deletes the sandbox's payout runs (sandbox reset). */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM lifecycle_payout_runs WHERE sandbox_id = $1`, [sandboxId]);
  }
}
