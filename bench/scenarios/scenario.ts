import type pg from 'pg';
import type { Environment, Secrets } from '#core';
import type { ApiClient, Sandbox } from '../support/api.js';
import { type CpuSample, type CpuUse, addCpu, cpuBetween } from '../support/cpu.js';
import type { ScenarioResult } from '../support/report.js';

/** The api's DB_POOL_SIZE default; the runner pins the api to it and the baselines use the same. */
export const POOL_SIZE = 20;
/** Goals: the most resident memory each process should hold under any scenario, MB. */
export const RSS_GOAL_MB = { api: 250, worker: 400 } as const;
/** The worker's WORKER_CONCURRENCY default (jobs each queue runs at once); pinned the same way, and used by the queue baseline. */
export const WORKER_CONCURRENCY = 16;

export interface BenchContext {
  api: ApiClient;
  sandbox: Sandbox;
  /** A plain pg Pool of POOL_SIZE connections to the bench database, for baselines and setup. */
  pool: pg.Pool;
  /** The api's and the worker's settings, whose queue backend and namespace the queue baseline uses too. */
  queues: Environment;
  /** Shorter measurements for a smoke run. */
  quick: boolean;
  /** The admin token the api was started with, for sandboxes of a scenario's own. */
  adminToken: string;
  /** Seals and opens as the api and worker do (keys derived from the same SECRETS_KEY), for rows prepared straight in the database. */
  secrets: Secrets;
  /** The api and worker processes, for their memory. */
  apiPid: number | undefined;
  workerPid: number | undefined;
  /** `--refund-wallets N`: the wallets the refund-campaign scenario pays; null for its default. */
  refundWallets: number | null;
  /** CPU used so far by the api, the worker, this runner (autocannon and the baselines run here), the bench database's PostgreSQL backends and the whole machine. */
  cpu(): CpuSample;
  /** Lets the worker relay the outbox backlog and finish the jobs it started, refreshes planner statistics and flushes dirty pages, so measurements start alike. */
  settle(): Promise<void>;
}

export interface Scenario {
  name: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}

export interface Side<T> {
  runs: T[];
  cpu: CpuUse;
}

export type SideName = 'subject' | 'baseline';

/** The usual order of the halves: each side's two halves straddle the other's. */
export const HALVES: readonly SideName[] = ['baseline', 'subject', 'subject', 'baseline'];

/**
 * Measures the subject and its baseline in halves, in the order baseline,
 * subject, subject, baseline, each after a settle: drift during the run
 * (growing tables, a neighbour waking up) then favours neither side.
 * `prepare` runs before each half's settle, so what it writes is settled
 * too and never overlaps a measurement (e.g. topping up single-use codes).
 * Another `order` works the same way, e.g. baseline, subject, baseline for
 * a subject that is measured in one piece between two baseline halves.
 */
export async function interleave<S, B>(
  context: BenchContext,
  halfMs: number,
  measure: {
    subject: (halfMs: number) => Promise<S>;
    baseline: (halfMs: number) => Promise<B>;
    prepare?: (side: SideName) => Promise<void>;
    /** After the half's CPU is read: what reads counters of its own stays out of the half's figures. */
    finish?: (side: SideName) => Promise<void>;
  },
  order: readonly SideName[] = HALVES,
): Promise<{ subject: Side<S>; baseline: Side<B> }> {
  const subject: S[] = [];
  const baseline: B[] = [];
  const cpu: Record<SideName, CpuUse | null> = { subject: null, baseline: null };
  for (const side of order) {
    await measure.prepare?.(side);
    await context.settle();
    const before = context.cpu();
    if (side === 'subject') subject.push(await measure.subject(halfMs));
    else baseline.push(await measure.baseline(halfMs));
    const used = cpuBetween(before, context.cpu());
    cpu[side] = cpu[side] ? addCpu(cpu[side], used) : used;
    await measure.finish?.(side);
  }
  return { subject: { runs: subject, cpu: cpu.subject as CpuUse }, baseline: { runs: baseline, cpu: cpu.baseline as CpuUse } };
}

/** How far the sandbox's clock runs ahead of the machine's (ms): sandbox time is real time plus this. */
export async function sandboxOffsetMs(pool: pg.Pool, sandboxId: string): Promise<number> {
  const { rows } = await pool.query<{ clock_offset_ms: string }>('SELECT clock_offset_ms FROM sandboxes WHERE id = $1', [sandboxId]);
  return Number(rows[0].clock_offset_ms);
}

/** The sandbox's clock (real time plus its offset), read once: postings carry sandbox time as the api's do. */
export async function sandboxClock(pool: pg.Pool, sandboxId: string): Promise<() => Date> {
  const offsetMs = await sandboxOffsetMs(pool, sandboxId);
  return () => new Date(Date.now() + offsetMs);
}

/** Cycles through `items` forever. */
export function roundRobin<T>(items: readonly T[]): () => T {
  let next = 0;
  return () => items[next++ % items.length];
}
