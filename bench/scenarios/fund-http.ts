import type pg from 'pg';
import { newId, sha256Hex } from '#core';
import { SystemAccount } from '#ledger';
import { cpuShare, describeCpu } from '../support/cpu.js';
import { inTransaction } from '../support/infra.js';
import { type HttpRun, combineHttp, httpLoad, latencyDetails } from '../support/http-load.js';
import { type LoadResult, closedLoop, combine, forEachConcurrently } from '../support/measure.js';
import { say } from '../../tools/support/progress.js';
import { type ScenarioResult, metric } from '../support/report.js';
import { type BenchContext, POOL_SIZE, type Scenario, interleave, roundRobin } from './scenario.js';

const WALLETS = 1_000;
const CONNECTIONS = 50;
const AMOUNT = 100;
/** measureMs per side, taken in two halves (see interleave). */
const TIMING = {
  full: { warmupMs: 5_000, measureMs: 10_000 },
  quick: { warmupMs: 500, measureMs: 2_000 },
};

/**
 * The statements the api runs for one fund request, copied from
 * SandboxRepository.findByKeyHash, LedgerService.accountExists,
 * LedgerService.transfer and Outbox.publish.
 */
const SQL = {
  keyLookup: `SELECT k.id AS key_id, k.kind, s.* FROM sandbox_api_keys k JOIN sandboxes s ON s.id = k.sandbox_id
               WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
  walletExists: `SELECT 1 FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND kind = $3`,
  transfer: `SELECT * FROM ledger_transfer($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  outbox: `INSERT INTO outbox_events (id, sandbox_id, type, data, request_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)`,
};

interface KeyRow {
  id: string;
  clock_offset_ms: string;
}

interface TransferRow {
  o_outcome: string;
  o_transfer_id: string | null;
  o_credit_balance: string | null;
}

/** One fund request's database work over plain pg: one transaction, the api's statements in the api's order. */
async function fundRaw(pool: pg.Pool, secretKey: string, walletId: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    const [sandbox] = (await client.query<KeyRow>(SQL.keyLookup, [sha256Hex(secretKey)])).rows;
    if (!sandbox) throw new Error('the secret key resolved to no sandbox');
    const now = new Date(Date.now() + Number(sandbox.clock_offset_ms));
    const exists = await client.query(SQL.walletExists, [sandbox.id, walletId, 'wallet']);
    if (exists.rowCount !== 1) throw new Error(`no wallet ${walletId}`);
    const [transfer] = (
      await client.query<TransferRow>(SQL.transfer, [
        sandbox.id,
        newId('trf'),
        `sandbox_funding:${newId('req')}`,
        SystemAccount.SandboxFunding,
        walletId,
        AMOUNT,
        'sandbox_funding',
        '{}',
        now,
      ])
    ).rows;
    if (transfer.o_outcome !== 'posted') throw new Error(`ledger_transfer answered ${transfer.o_outcome}`);
    const data = { walletId, amount: AMOUNT, transferId: transfer.o_transfer_id, balance: Number(transfer.o_credit_balance) };
    await client.query(SQL.outbox, [newId('evt'), sandbox.id, 'wallet.funded', JSON.stringify(data), newId('req'), now]);
  });
}

function fundRawLoop(context: BenchContext, wallets: string[], label: string, durationMs: number): Promise<LoadResult> {
  const nextWallet = roundRobin(wallets);
  return closedLoop({
    label,
    concurrency: CONNECTIONS,
    durationMs,
    op: () => fundRaw(context.pool, context.sandbox.secretKey, nextWallet()),
  });
}

/** POST /v1/sandbox/wallets/:walletId/fund from CONNECTIONS keep-alive connections, walking the wallets in turn. */
function fundHttp(context: BenchContext, wallets: string[], label: string, durationMs: number): Promise<HttpRun> {
  const nextWallet = roundRobin(wallets);
  return httpLoad({
    baseUrl: context.api.baseUrl,
    label,
    connections: CONNECTIONS,
    durationMs,
    request: {
      method: 'POST',
      headers: { authorization: `Bearer ${context.sandbox.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: AMOUNT }),
      setupRequest: (request) => ({ ...request, path: `/v1/sandbox/wallets/${nextWallet()}/fund` }),
    },
  });
}

async function createWallets(context: BenchContext): Promise<string[]> {
  const wallets: string[] = [];
  await forEachConcurrently('create 1,000 wallets (HTTP)', Array.from({ length: WALLETS }), 10, async () => {
    const wallet = await context.api.post<{ id: string }>('/v1/sandbox/wallets', context.sandbox.secretKey, {});
    wallets.push(wallet.id);
  });
  return wallets;
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const timing = context.quick ? TIMING.quick : TIMING.full;
  const wallets = await createWallets(context);
  // Warm both paths (the api's JIT, pool connections, caches) before anything counts.
  await fundHttp(context, wallets, 'warm-up HTTP', timing.warmupMs);
  await fundRawLoop(context, wallets, 'warm-up raw pg', timing.warmupMs / 2);
  const sides = await interleave(context, timing.measureMs / 2, {
    subject: (ms) => fundHttp(context, wallets, 'HTTP fund (half)', ms),
    baseline: (ms) => fundRawLoop(context, wallets, 'raw pg baseline (half)', ms),
  });
  const http = combineHttp(sides.subject.runs);
  const raw = combine(sides.baseline.runs);
  say(`  CPU, % of one core: HTTP ${describeCpu(sides.subject.cpu)}; raw pg ${describeCpu(sides.baseline.cpu)}`);

  const problems = [
    ...(raw.errors > 0 ? [`${raw.errors} raw baseline operations failed (first: ${raw.firstError})`] : []),
    ...(http.connectionErrors > 0 ? [`${http.connectionErrors} connection errors over HTTP (${http.timeouts} of them timeouts)`] : []),
  ];
  return {
    scenario: 'fund-http',
    measures: `POST /v1/sandbox/wallets/:walletId/fund over HTTP (autocannon, ${CONNECTIONS} connections) across ${WALLETS} wallets`,
    baseline: `the same statements, one transaction per operation, over a plain pg Pool of ${POOL_SIZE} with ${CONNECTIONS} operations in flight`,
    metrics: [
      metric('throughput (HTTP vs raw pg)', 'ops/s', http.load.opsPerSecond, raw.opsPerSecond),
      metric('p50 latency', 'ms', http.load.p50Ms, raw.p50Ms),
      metric('p99 latency', 'ms', http.load.p99Ms, raw.p99Ms),
      metric('non-2xx responses', 'count', http.non2xx, raw.errors, { on: 'value', op: '=', target: 0, required: true }),
    ],
    problems,
    details: {
      wallets: WALLETS,
      connections: CONNECTIONS,
      http: {
        responses2xx: http.load.ops,
        seconds: http.load.seconds,
        statusCodes: http.statusCodes,
        connectionErrors: http.connectionErrors,
        timeouts: http.timeouts,
        latencyMs: latencyDetails(http.load),
        cpuPercentOfOneCore: cpuShare(sides.subject.cpu),
      },
      raw: {
        operations: raw.ops,
        errors: raw.errors,
        seconds: raw.seconds,
        latencyMs: latencyDetails(raw),
        cpuPercentOfOneCore: cpuShare(sides.baseline.cpu),
      },
    },
  };
}

export const fundHttpScenario: Scenario = { name: 'fund-http', run };
