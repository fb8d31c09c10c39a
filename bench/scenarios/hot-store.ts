import type pg from 'pg';
import { newId } from '#core';
import { SystemAccount } from '#ledger';
import { cpuShare, describeCpu } from '../support/cpu.js';
import { type LoadResult, closedLoop, combine, forEachConcurrently } from '../support/measure.js';
import { say } from '../../tools/support/progress.js';
import { type ScenarioResult, metric } from '../support/report.js';
import { type BenchContext, POOL_SIZE, type Scenario, interleave, roundRobin, sandboxClock } from './scenario.js';

const ACCOUNTS = 1_000;
const CONCURRENCY = 50;
const AMOUNT = 100;
const FUNDING = 1_000_000;
/** measureMs per side, taken in two halves (see interleave). */
const TIMING = {
  full: { warmupMs: 1_000, measureMs: 5_000 },
  quick: { warmupMs: 300, measureMs: 1_000 },
};

const TRANSFER = `SELECT o_outcome FROM ledger_transfer($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

interface Accounts {
  wallets: string[];
  stores: string[];
}

async function transfer(
  pool: pg.Pool,
  sandboxId: string,
  debit: string,
  credit: string,
  amount: number,
  code: string,
  at: Date,
): Promise<void> {
  const { rows } = await pool.query<{ o_outcome: string }>(TRANSFER, [
    sandboxId,
    newId('trf'),
    `bench_${code}:${newId('req')}`,
    debit,
    credit,
    amount,
    code,
    '{}',
    at,
  ]);
  if (rows[0].o_outcome !== 'posted') throw new Error(`ledger_transfer answered ${rows[0].o_outcome}`);
}

/** Opens the wallets and stores straight in the ledger and funds each wallet from the sandbox's funding account. */
async function openAccounts(context: BenchContext, now: () => Date): Promise<Accounts> {
  const accounts = {
    wallets: Array.from({ length: ACCOUNTS }, () => newId('wal')),
    stores: Array.from({ length: ACCOUNTS }, () => newId('str')),
  };
  for (const [kind, ids] of [
    ['wallet', accounts.wallets],
    ['store', accounts.stores],
  ] as const) {
    await context.pool.query(`INSERT INTO ledger_accounts (sandbox_id, id, kind, created_at) SELECT $1, unnest($2::text[]), $3, $4`, [
      context.sandbox.id,
      ids,
      kind,
      now(),
    ]);
  }
  await forEachConcurrently('fund 1,000 wallets (pg)', accounts.wallets, POOL_SIZE, (wallet) =>
    transfer(context.pool, context.sandbox.id, SystemAccount.SandboxFunding, wallet, FUNDING, 'sandbox_funding', now()),
  );
  return accounts;
}

/**
 * Payments at CONCURRENCY. Each loop owns its own slice of wallets, so no
 * two payments ever wait on the same wallet row: the store side is the
 * only thing the hot and spread runs differ in.
 */
function pay(
  context: BenchContext,
  accounts: Accounts,
  now: () => Date,
  store: () => string,
  label: string,
  durationMs: number,
): Promise<LoadResult> {
  const perLoop = ACCOUNTS / CONCURRENCY;
  const turns = new Array<number>(CONCURRENCY).fill(0);
  return closedLoop({
    label,
    concurrency: CONCURRENCY,
    durationMs,
    op: (loop) => {
      const wallet = accounts.wallets[loop + CONCURRENCY * (turns[loop]++ % perLoop)];
      return transfer(context.pool, context.sandbox.id, wallet, store(), AMOUNT, 'payment', now());
    },
  });
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const timing = context.quick ? TIMING.quick : TIMING.full;
  const now = await sandboxClock(context.pool, context.sandbox.id);
  const accounts = await openAccounts(context, now);
  const hotStore = (): string => accounts.stores[0];
  const spreadStore = roundRobin(accounts.stores);

  await pay(context, accounts, now, spreadStore, 'warm-up (spread)', timing.warmupMs);
  const sides = await interleave(context, timing.measureMs / 2, {
    subject: (ms) => pay(context, accounts, now, hotStore, 'one store (hot, half)', ms),
    baseline: (ms) => pay(context, accounts, now, spreadStore, '1,000 stores (spread, half)', ms),
  });
  const hot = combine(sides.subject.runs);
  const spread = combine(sides.baseline.runs);
  say(`  CPU, % of one core: hot ${describeCpu(sides.subject.cpu)}; spread ${describeCpu(sides.baseline.cpu)}`);

  const problems = [hot, spread].filter((r) => r.errors > 0).map((r) => `${r.errors} payments failed (first: ${r.firstError})`);
  return {
    scenario: 'hot-store',
    measures: `ledger_transfer payments, each wallet → one store account, ${CONCURRENCY} in flight over a plain pg Pool of ${POOL_SIZE}`,
    baseline: `the same payments spread over ${ACCOUNTS} store accounts`,
    metrics: [
      metric('transfers/s (1 store vs 1,000)', 'ops/s', hot.opsPerSecond, spread.opsPerSecond, {
        on: 'ratio',
        op: '>=',
        target: 0.7,
        required: false,
      }),
      metric('p50 latency', 'ms', hot.p50Ms, spread.p50Ms),
      metric('p99 latency', 'ms', hot.p99Ms, spread.p99Ms),
    ],
    problems,
    details: {
      accounts: ACCOUNTS,
      concurrency: CONCURRENCY,
      poolSize: POOL_SIZE,
      hot: {
        transfers: hot.ops,
        errors: hot.errors,
        seconds: hot.seconds,
        latencyMs: { p50: hot.p50Ms, p99: hot.p99Ms },
        cpuPercentOfOneCore: cpuShare(sides.subject.cpu),
      },
      spread: {
        transfers: spread.ops,
        errors: spread.errors,
        seconds: spread.seconds,
        latencyMs: { p50: spread.p50Ms, p99: spread.p99Ms },
        cpuPercentOfOneCore: cpuShare(sides.baseline.cpu),
      },
    },
  };
}

export const hotStoreScenario: Scenario = { name: 'hot-store', run };
