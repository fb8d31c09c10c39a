import { newId, sha256Hex } from '#core';
import { MAX_PAYMENT_AMOUNT } from '#capture';
import { cpuBetween, cpuShare, describeCpu } from '../support/cpu.js';
import { type HttpRun, combineHttp, httpDetails, httpLoad, latencyDetails } from '../support/http-load.js';
import { type LoadResult, closedLoop, combine, forEachConcurrently } from '../support/measure.js';
import { PaymentCodeSupply } from '../support/payment-codes.js';
import { say } from '../support/progress.js';
import { type ScenarioResult, metric } from '../support/report.js';
import { type BenchContext, POOL_SIZE, type Scenario, interleave, sandboxClock } from './scenario.js';

export const CONNECTIONS = 50;
const AMOUNT = 100;
/** measureMs per side, taken in two halves (see interleave); the half-rate run lasts measureMs too. */
export const TIMING = {
  full: { warmupMs: 5_000, measureMs: 10_000 },
  quick: { warmupMs: 500, measureMs: 2_000 },
};
/**
 * Codes are prepared before each stretch for twice the rate seen so far, and
 * never fewer than the floor (which covers a warm-up at 8,000 captures/s).
 * A stretch that still runs out is reported and fails the run.
 */
const CODE_MARGIN = 2;
export const MIN_CODES = { full: 40_000, quick: 5_000 };

export function codesFor(context: BenchContext, ratePerSecond: number, durationMs: number): number {
  return Math.max(MIN_CODES[context.quick ? 'quick' : 'full'], Math.ceil(CODE_MARGIN * ratePerSecond * (durationMs / 1000)));
}

export interface OpenedStore {
  id: string;
  apiKey: string;
}

/** Stores opened through the api (POST /v1/stores), each with its register key. */
export async function openStores(context: BenchContext, count: number): Promise<OpenedStore[]> {
  const stores: OpenedStore[] = [];
  const label = count === 1 ? 'open a store (HTTP)' : `open ${count.toLocaleString('en-US')} stores (HTTP)`;
  await forEachConcurrently(
    label,
    Array.from({ length: count }, (_, i) => i),
    10,
    async (i) => {
      stores.push(await context.api.post<OpenedStore>('/v1/stores', context.sandbox.secretKey, { name: `Bench store ${i + 1}` }));
    },
  );
  return stores;
}

export interface CaptureRun extends HttpRun {
  /** The supply ran dry: later requests reused a spent code, so the run is not valid. */
  ranOut: boolean;
}

/**
 * POST /v1/payments { code, amount } from CONNECTIONS keep-alive connections,
 * a fresh code in every request; `storeKey` picks each request's register key.
 */
export async function captureHttp(
  context: BenchContext,
  supply: PaymentCodeSupply,
  storeKey: () => string,
  label: string,
  durationMs: number,
  overallRate?: number,
): Promise<CaptureRun> {
  let stop = (): void => undefined;
  let ranOut = false;
  let last = '';
  const run = await httpLoad({
    baseUrl: context.api.baseUrl,
    label,
    connections: CONNECTIONS,
    durationMs,
    overallRate,
    onStart: (stopRun) => (stop = stopRun),
    request: {
      method: 'POST',
      path: '/v1/payments',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        const code = supply.take();
        if (code === undefined && !ranOut) {
          ranOut = true;
          say(`  (${label}: out of prepared codes; stopping)`);
          stop();
        }
        // autocannon needs a request even now (it stops at its next one-second tick): a spent code answers
        // code_used and counts as non-2xx (an invalid one would count toward the register's guessing limit).
        last = code ?? last;
        return {
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${storeKey()}` },
          body: JSON.stringify({ code: last, amount: AMOUNT }),
        };
      },
    },
  });
  return { ...run, ranOut };
}

/** The one statement CapturePayment.execute sends, with the arguments it passes for { code, amount }. */
const CAPTURE = `SELECT * FROM capture_payment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`;

async function captureRaw(context: BenchContext, storeId: string, code: string): Promise<void> {
  const { rows } = await context.pool.query<{ o_outcome: string }>(CAPTURE, [
    context.sandbox.id,
    storeId,
    null,
    sha256Hex(code),
    AMOUNT,
    true,
    false,
    null,
    null,
    MAX_PAYMENT_AMOUNT,
    newId('pay'),
    newId('trf'),
    newId('pnd'),
    newId('evt'),
    newId('req'),
  ]);
  if (rows[0]?.o_outcome !== 'captured') throw new Error(`capture_payment answered ${rows[0]?.o_outcome}`);
}

interface RawRun extends LoadResult {
  ranOut: boolean;
}

/** The same statement, autocommit, over the plain pg Pool with CONNECTIONS in flight; stops if the codes run out. */
async function captureRawLoop(
  context: BenchContext,
  supply: PaymentCodeSupply,
  storeId: string,
  label: string,
  durationMs: number,
): Promise<RawRun> {
  const result = await closedLoop({
    label,
    concurrency: CONNECTIONS,
    durationMs,
    stop: () => supply.left === 0,
    op: async () => {
      const code = supply.take();
      if (code === undefined) throw new Error('out of prepared codes');
      await captureRaw(context, storeId, code);
    },
  });
  return { ...result, ranOut: supply.left === 0 };
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const timing = context.quick ? TIMING.quick : TIMING.full;
  const [store] = await openStores(context, 1);
  const supply = new PaymentCodeSupply(context.pool, context.sandbox.id, await sandboxClock(context.pool, context.sandbox.id));
  const storeKey = (): string => store.apiKey;

  // Warm both paths (the api's JIT, its key cache, pool connections) before anything counts. Freshly
  // loaded tables are analysed first (settle), as before every measured stretch.
  await supply.topUp(codesFor(context, 0, 0));
  await context.settle();
  const warmHttp = await captureHttp(context, supply, storeKey, 'warm-up HTTP', timing.warmupMs);
  await supply.topUp(codesFor(context, 0, 0));
  await context.settle();
  // Out of codes here only ends the warm-up early: its rate still sizes what follows.
  const warmRaw = await captureRawLoop(context, supply, store.id, 'warm-up raw pg', timing.warmupMs / 2);

  // Each half gets codes for twice the rate its side last ran at (the warm-ups' at first).
  const rates = { subject: warmHttp.load.opsPerSecond, baseline: warmRaw.opsPerSecond };
  const sides = await interleave(context, timing.measureMs / 2, {
    prepare: (side) => supply.topUp(codesFor(context, rates[side], timing.measureMs / 2)),
    subject: async (ms) => {
      const half = await captureHttp(context, supply, storeKey, 'HTTP capture (half)', ms);
      rates.subject = half.load.opsPerSecond;
      return half;
    },
    baseline: async (ms) => {
      const half = await captureRawLoop(context, supply, store.id, 'raw pg baseline (half)', ms);
      rates.baseline = half.opsPerSecond;
      return half;
    },
  });
  const http = combineHttp(sides.subject.runs);
  const raw = combine(sides.baseline.runs);
  say(`  CPU, % of one core: HTTP ${describeCpu(sides.subject.cpu)}; raw pg ${describeCpu(sides.baseline.cpu)}`);

  // Latency under moderate load: half the throughput just measured, spread by autocannon over the connections.
  const halfRate = Math.max(1, Math.floor(http.load.opsPerSecond / 2));
  await supply.topUp(codesFor(context, halfRate, timing.measureMs));
  await context.settle();
  const cpuBefore = context.cpu();
  const half = await captureHttp(context, supply, storeKey, `HTTP at half rate (${halfRate}/s)`, timing.measureMs, halfRate);
  const halfCpu = cpuBetween(cpuBefore, context.cpu());
  say(
    `  half rate: ${Math.round(half.load.opsPerSecond)}/s achieved, p50 ${half.load.p50Ms.toFixed(1)} ms, p99 ${half.load.p99Ms.toFixed(1)} ms`,
  );

  const allHttp = [warmHttp, ...sides.subject.runs, half];
  const non2xx = allHttp.reduce((total, r) => total + r.non2xx, 0);
  const connectionErrors = allHttp.reduce((total, r) => total + r.connectionErrors, 0);
  const ranOut = [...sides.subject.runs, ...sides.baseline.runs, half].some((r) => r.ranOut) || warmHttp.ranOut;
  const rawFailures = [warmRaw, raw].filter((r) => r.errors > 0);
  const problems = [
    ...(ranOut ? [`ran out of prepared payment codes (${supply.prepared} prepared): the figures are not valid`] : []),
    ...rawFailures.map((r) => `${r.errors} raw baseline captures failed (first: ${r.firstError})`),
    ...(connectionErrors > 0 ? [`${connectionErrors} connection errors over HTTP`] : []),
  ];
  return {
    scenario: 'capture',
    measures:
      `POST /v1/payments { code, amount: ${AMOUNT} } with one store's register key over HTTP (autocannon, ${CONNECTIONS} connections), ` +
      `a fresh code per request; then the same at half the throughput measured (autocannon overallRate). ` +
      `Non-2xx counts every HTTP run, warm-up included`,
    baseline: `the api's one statement, SELECT * FROM capture_payment(…) with the same arguments, autocommit, over a plain pg Pool of ${POOL_SIZE} with ${CONNECTIONS} in flight`,
    metrics: [
      metric('captures/s (HTTP vs raw pg)', 'ops/s', http.load.opsPerSecond, raw.opsPerSecond, {
        on: 'ratio',
        op: '>=',
        target: 0.5,
        required: false,
      }),
      metric('p50 latency', 'ms', http.load.p50Ms, raw.p50Ms),
      metric('p99 latency', 'ms', http.load.p99Ms, raw.p99Ms),
      metric('half rate: captures/s (vs target)', 'ops/s', half.load.opsPerSecond, halfRate),
      metric('half rate: p99 (vs p99 at peak)', 'ms', half.load.p99Ms, http.load.p99Ms, {
        on: 'value',
        op: '<=',
        target: 50,
        required: false,
      }),
      metric('non-2xx responses', 'count', non2xx, raw.errors + warmRaw.errors, { on: 'value', op: '=', target: 0, required: true }),
    ],
    problems,
    details: {
      storeId: store.id,
      connections: CONNECTIONS,
      amount: AMOUNT,
      codes: supply.summary(),
      // Each side's two halves in the order measured: how far they agree says how noisy the run was.
      halvesPerSecond: {
        http: sides.subject.runs.map((r) => Math.round(r.load.opsPerSecond)),
        raw: sides.baseline.runs.map((r) => Math.round(r.opsPerSecond)),
      },
      http: { ...httpDetails(http), cpuPercentOfOneCore: cpuShare(sides.subject.cpu) },
      raw: {
        captures: raw.ops,
        errors: raw.errors,
        seconds: raw.seconds,
        latencyMs: latencyDetails(raw),
        cpuPercentOfOneCore: cpuShare(sides.baseline.cpu),
      },
      halfRate: { targetPerSecond: halfRate, ...httpDetails(half), cpuPercentOfOneCore: cpuShare(halfCpu) },
      warmUp: { http: httpDetails(warmHttp), raw: { captures: warmRaw.ops, errors: warmRaw.errors, seconds: warmRaw.seconds } },
    },
  };
}

export const captureScenario: Scenario = { name: 'capture', run };
