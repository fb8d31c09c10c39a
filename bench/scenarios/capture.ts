import { newId, sha256Hex } from '#core';
import { MAX_PAYMENT_AMOUNT } from '#capture';
import { cpuRatioBound, halfRateBound } from '../support/bounds.js';
import { cpuShare, describeCpu } from '../support/cpu.js';
import { type HttpRun, combineHttp, httpDetails, httpLoad, latencyDetails } from '../support/http-load.js';
import { type LoadResult, closedLoop, combine, forEachConcurrently } from '../support/measure.js';
import { type PacedHttpRun, type PacedRequest, type PacedRun, paceDetails, pacedHttp, pacedLoop } from '../support/paced-load.js';
import { PaymentCodeSupply } from '../support/payment-codes.js';
import { say } from '../../tools/support/progress.js';
import { type ScenarioResult, metric } from '../support/report.js';
import { type BenchContext, POOL_SIZE, type Scenario, interleave, sandboxClock } from './scenario.js';

export const CONNECTIONS = 50;
const AMOUNT = 100;
/** measureMs per side, taken in two halves (see interleave), at the peak and again at half of it. */
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

/** POST /v1/payments { code, amount } with a register key. */
const captureRequest = (code: string, storeKey: string): PacedRequest => ({
  method: 'POST',
  path: '/v1/payments',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${storeKey}` },
  body: JSON.stringify({ code, amount: AMOUNT }),
});

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
): Promise<CaptureRun> {
  let stop = (): void => undefined;
  let ranOut = false;
  let last = '';
  const run = await httpLoad({
    baseUrl: context.api.baseUrl,
    label,
    connections: CONNECTIONS,
    durationMs,
    onStart: (stopRun) => (stop = stopRun),
    request: {
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
        return { ...request, ...captureRequest(last, storeKey()) };
      },
    },
  });
  return { ...run, ranOut };
}

/** The next prepared code (every loop stops before the supply runs dry). */
function nextCode(supply: PaymentCodeSupply): string {
  const code = supply.take();
  if (code === undefined) throw new Error('out of prepared codes');
  return code;
}

type PacedCaptureRun = PacedHttpRun & { ranOut: boolean };

/** The same captures evenly paced at `ratePerSecond` over at most CONNECTIONS keep-alive connections. */
async function captureHttpPaced(
  context: BenchContext,
  supply: PaymentCodeSupply,
  storeKey: () => string,
  ratePerSecond: number,
  durationMs: number,
): Promise<PacedCaptureRun> {
  const run = await pacedHttp({
    baseUrl: context.api.baseUrl,
    label: `HTTP paced (${ratePerSecond}/s, half)`,
    connections: CONNECTIONS,
    ratePerSecond,
    durationMs,
    stop: () => supply.left === 0,
    request: () => captureRequest(nextCode(supply), storeKey()),
  });
  return { ...run, ranOut: supply.left === 0 };
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

/** The JSON report's view of a raw baseline run. */
const rawDetails = (load: LoadResult) => ({
  captures: load.ops,
  errors: load.errors,
  seconds: load.seconds,
  latencyMs: latencyDetails(load),
});

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
    op: () => captureRaw(context, storeId, nextCode(supply)),
  });
  return { ...result, ranOut: supply.left === 0 };
}

/** The same statement evenly paced at `ratePerSecond` over the plain pg Pool (its POOL_SIZE connections bound it). */
async function captureRawPaced(
  context: BenchContext,
  supply: PaymentCodeSupply,
  storeId: string,
  ratePerSecond: number,
  durationMs: number,
): Promise<PacedRun & { ranOut: boolean }> {
  const run = await pacedLoop({
    label: `raw pg paced (${ratePerSecond}/s, half)`,
    ratePerSecond,
    durationMs,
    stop: () => supply.left === 0,
    op: () => captureRaw(context, storeId, nextCode(supply)),
  });
  return { ...run, ranOut: supply.left === 0 };
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

  // Latency at half load, evenly paced (autocannon's overallRate sends each second's share in a burst): each side
  // at half its own peak just measured, so both keep the machine about as busy, in halves like the peaks.
  const halfRates = {
    subject: Math.max(1, Math.floor(http.load.opsPerSecond / 2)),
    baseline: Math.max(1, Math.floor(raw.opsPerSecond / 2)),
  };
  const paced = await interleave(context, timing.measureMs / 2, {
    prepare: (side) => supply.topUp(codesFor(context, halfRates[side], timing.measureMs / 2)),
    subject: (ms) => captureHttpPaced(context, supply, storeKey, halfRates.subject, ms),
    baseline: (ms) => captureRawPaced(context, supply, store.id, halfRates.baseline, ms),
  });
  const pacedHttpRuns = combineHttp(paced.subject.runs);
  const pacedRaw = combine(paced.baseline.runs.map((r) => r.load));
  const achieved = (load: LoadResult, target: number): string =>
    `${Math.round(load.opsPerSecond)}/s of ${target}/s, p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms`;
  say(`  half rate, paced: HTTP ${achieved(pacedHttpRuns.load, halfRates.subject)}; raw pg ${achieved(pacedRaw, halfRates.baseline)}`);
  say(`  CPU, % of one core: HTTP paced ${describeCpu(paced.subject.cpu)}; raw pg paced ${describeCpu(paced.baseline.cpu)}`);

  const allHttp = [warmHttp, ...sides.subject.runs, ...paced.subject.runs];
  const non2xx = allHttp.reduce((total, r) => total + r.non2xx, 0);
  const connectionErrors = allHttp.reduce((total, r) => total + r.connectionErrors, 0);
  const ranOut = [warmHttp, ...sides.subject.runs, ...sides.baseline.runs, ...paced.subject.runs, ...paced.baseline.runs].some(
    (r) => r.ranOut,
  );
  const rawFailures = [warmRaw, raw, pacedRaw].filter((r) => r.errors > 0);
  const problems = [
    ...(ranOut ? [`ran out of prepared payment codes (${supply.prepared} prepared): the figures are not valid`] : []),
    ...rawFailures.map((r) => `${r.errors} raw baseline captures failed (first: ${r.firstError})`),
    ...(connectionErrors > 0 ? [`${connectionErrors} connection errors over HTTP`] : []),
  ];
  return {
    scenario: 'capture',
    measures:
      `POST /v1/payments { code, amount: ${AMOUNT} } with one store's register key over HTTP (autocannon, ${CONNECTIONS} connections), ` +
      `a fresh code per request; then the same evenly paced at half the throughput measured, over at most ${CONNECTIONS} keep-alive ` +
      `connections, latencies from each request's scheduled time. Non-2xx counts every HTTP run, warm-up included`,
    baseline:
      `the api's one statement, SELECT * FROM capture_payment(…) with the same arguments, autocommit, over a plain pg Pool of ${POOL_SIZE} ` +
      `with ${CONNECTIONS} in flight; then the same evenly paced at half its own throughput`,
    metrics: [
      metric('captures/s (HTTP vs raw pg)', 'ops/s', http.load.opsPerSecond, raw.opsPerSecond, {
        on: 'ratio',
        op: '>=',
        target: 0.7,
        required: false,
        bound: cpuRatioBound(
          'capture',
          { name: 'HTTP', cpu: sides.subject.cpu, ops: http.load.ops },
          { name: 'the raw statement', cpu: sides.baseline.cpu, ops: raw.ops },
        ),
      }),
      metric('p50 latency', 'ms', http.load.p50Ms, raw.p50Ms),
      metric('p99 latency', 'ms', http.load.p99Ms, raw.p99Ms),
      metric('half rate, paced: target/s', 'ops/s', halfRates.subject, halfRates.baseline),
      metric('half rate, paced: achieved/s', 'ops/s', pacedHttpRuns.load.opsPerSecond, pacedRaw.opsPerSecond),
      metric('half rate, paced: p50', 'ms', pacedHttpRuns.load.p50Ms, pacedRaw.p50Ms),
      metric('half rate, paced: p99', 'ms', pacedHttpRuns.load.p99Ms, pacedRaw.p99Ms, {
        on: 'value',
        op: '<=',
        target: 50,
        required: false,
        bound: halfRateBound(pacedRaw.p99Ms, 'the raw statement', paced.subject.cpu),
      }),
      metric('non-2xx responses', 'count', non2xx, warmRaw.errors + raw.errors + pacedRaw.errors, {
        on: 'value',
        op: '=',
        target: 0,
        required: true,
      }),
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
      raw: { ...rawDetails(raw), cpuPercentOfOneCore: cpuShare(sides.baseline.cpu) },
      // Each side evenly paced at half its own peak above; latencies from each capture's scheduled time.
      halfRate: {
        http: {
          targetPerSecond: halfRates.subject,
          achievedPerSecond: pacedHttpRuns.load.opsPerSecond,
          ...httpDetails(pacedHttpRuns),
          cpuPercentOfOneCore: cpuShare(paced.subject.cpu),
          halves: paced.subject.runs.map((r) => ({ ...paceDetails(r), ...httpDetails(r) })),
        },
        raw: {
          targetPerSecond: halfRates.baseline,
          achievedPerSecond: pacedRaw.opsPerSecond,
          ...rawDetails(pacedRaw),
          cpuPercentOfOneCore: cpuShare(paced.baseline.cpu),
          halves: paced.baseline.runs.map((r) => ({
            ...paceDetails(r),
            ...rawDetails(r.load),
            busiest100msPerSecond: Math.round(r.busiestRate),
          })),
        },
      },
      warmUp: { http: httpDetails(warmHttp), raw: rawDetails(warmRaw) },
    },
  };
}

export const captureScenario: Scenario = { name: 'capture', run };
