import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';

export const REPLAY_PACES = ['fast', 'presenter'] as const;
export type ReplayPace = (typeof REPLAY_PACES)[number];
/** As stored; `lost` is read from a running replay's silence, never stored. */
export type StoredReplayStatus = 'running' | 'completed' | 'failed';
export type ReplayStatus = StoredReplayStatus | 'lost';

export interface ReplayCounters {
  signUps: number;
  victims: number;
  /** Yen charged in the victims' names. */
  damage: number;
  /** Yen paid out on refund claims. */
  refundsPaid: number;
  /** Yen left in the wallets: unclaimed once the service ended. */
  unclaimed: number;
}

/** One point of the charts, at a sandbox time. */
export interface ReplayPoint {
  at: string;
  damage: number;
  refundsPaid: number;
  unclaimed: number;
}

/** A row of the final report, as the runner prints it: each figure as the reports, the ledger and the replay read it. */
export interface ReplayReportRow {
  figure: string;
  report: string | null;
  ledger: string | null;
  replay: string | null;
  ok: boolean;
}

export interface ReplayRecord {
  sandboxId: string;
  status: StoredReplayStatus;
  customers: number;
  seed: number;
  pace: ReplayPace;
  chapter: string | null;
  sandboxAt: Date | null;
  counters: ReplayCounters;
  points: ReplayPoint[];
  report: ReplayReportRow[] | null;
  failure: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date;
}

interface ReplayRow {
  sandbox_id: string;
  status: StoredReplayStatus;
  customers: number;
  seed: number;
  pace: ReplayPace;
  chapter: string | null;
  sandbox_at: Date | null;
  counters: Partial<ReplayCounters>;
  points: ReplayPoint[];
  report: ReplayReportRow[] | null;
  failure: string | null;
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date;
}

export const NO_COUNTERS: ReplayCounters = { signUps: 0, victims: 0, damage: 0, refundsPaid: 0, unclaimed: 0 };

const toRecord = (row: ReplayRow): ReplayRecord => ({
  sandboxId: row.sandbox_id,
  status: row.status,
  customers: row.customers,
  seed: row.seed,
  pace: row.pace,
  chapter: row.chapter,
  sandboxAt: row.sandbox_at,
  counters: { ...NO_COUNTERS, ...row.counters },
  points: row.points,
  // A runner may leave out a source it has no figure from: it reads as null, as the report's rows promise.
  report:
    row.report?.map((r) => ({
      figure: r.figure,
      report: r.report ?? null,
      ledger: r.ledger ?? null,
      replay: r.replay ?? null,
      ok: r.ok,
    })) ?? null,
  failure: row.failure,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  heartbeatAt: row.heartbeat_at,
});

export interface ReplayChange {
  status: StoredReplayStatus;
  chapter?: string;
  sandboxAt?: Date;
  counters?: ReplayCounters;
  /** Appended to the chart points. */
  points?: ReplayPoint[];
  report?: ReplayReportRow[];
  failure?: string;
}

/** The most chart points a replay keeps: one per sandbox moment is far fewer. */
export const MAX_POINTS = 2_000;

/** One replay per sandbox: the newest one started replaces a finished (or lost) one. */
@Injectable()
export class ReplaysRepository {
  async find(q: Queryable, sandboxId: string, lock = false): Promise<ReplayRecord | null> {
    const [row] = await q.rows<ReplayRow>(`SELECT * FROM sandbox_replays WHERE sandbox_id = $1${lock ? ' FOR UPDATE' : ''}`, [sandboxId]);
    return row ? toRecord(row) : null;
  }

  async start(q: Queryable, replay: { sandboxId: string; customers: number; seed: number; pace: ReplayPace }): Promise<ReplayRecord> {
    const [row] = await q.rows<ReplayRow>(
      `INSERT INTO sandbox_replays (sandbox_id, status, customers, seed, pace) VALUES ($1, 'running', $2, $3, $4)
       ON CONFLICT (sandbox_id) DO UPDATE SET status = 'running', customers = $2, seed = $3, pace = $4, chapter = NULL,
         sandbox_at = NULL, counters = '{}', points = '[]', report = NULL, failure = NULL, started_at = EXCLUDED.started_at, finished_at = NULL,
         heartbeat_at = EXCLUDED.heartbeat_at
       RETURNING *`,
      [replay.sandboxId, replay.customers, replay.seed, replay.pace],
    );
    return toRecord(row);
  }

  async update(q: Queryable, sandboxId: string, change: ReplayChange): Promise<ReplayRecord> {
    const [row] = await q.rows<ReplayRow>(
      `UPDATE sandbox_replays SET
         status = $2,
         chapter = coalesce($3, chapter),
         sandbox_at = coalesce($4, sandbox_at),
         counters = coalesce($5::jsonb, counters),
         points = (SELECT coalesce(jsonb_agg(p ORDER BY n), '[]') FROM (
                     SELECT p, n FROM jsonb_array_elements(points || coalesce($6::jsonb, '[]')) WITH ORDINALITY AS e(p, n)
                     ORDER BY n DESC LIMIT ${MAX_POINTS}) kept),
         report = coalesce($7::jsonb, report),
         failure = coalesce($8, failure),
         finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE now() END,
         heartbeat_at = now()
       WHERE sandbox_id = $1 RETURNING *`,
      [
        sandboxId,
        change.status,
        change.chapter ?? null,
        change.sandboxAt ?? null,
        change.counters ? JSON.stringify(change.counters) : null,
        change.points ? JSON.stringify(change.points) : null,
        change.report ? JSON.stringify(change.report) : null,
        change.failure ?? null,
      ],
    );
    return toRecord(row);
  }

  /** A sandbox reset forgets its replay. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM sandbox_replays WHERE sandbox_id = $1`, [sandboxId]);
  }
}
