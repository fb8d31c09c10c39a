import { cpuShare, describeCpu } from '../support/cpu.js';
import { combineHttp, httpDetails } from '../support/http-load.js';
import { PaymentCodeSupply } from '../support/payment-codes.js';
import { say } from '../../tools/support/progress.js';
import { type ScenarioResult, metric } from '../support/report.js';
import { CONNECTIONS, type CaptureRun, TIMING, captureHttp, codesFor, openStores } from './capture.js';
import { type BenchContext, type Scenario, interleave, roundRobin, sandboxClock } from './scenario.js';

const STORES = 1_000;

async function run(context: BenchContext): Promise<ScenarioResult> {
  const timing = context.quick ? TIMING.quick : TIMING.full;
  const stores = await openStores(context, STORES);
  const keys = stores.map((store) => store.apiKey);
  const hotKey = (): string => keys[0];
  const spreadKey = roundRobin(keys);
  const supply = new PaymentCodeSupply(context.pool, context.sandbox.id, await sandboxClock(context.pool, context.sandbox.id));

  // The spread warm-up also puts every register key in the api's key cache, as a chain's registers would keep it.
  await supply.topUp(codesFor(context, 0, 0));
  await context.settle();
  const warm = await captureHttp(context, supply, spreadKey, `warm-up (${STORES.toLocaleString('en-US')} stores)`, timing.warmupMs);
  // Each half gets codes for twice the rate seen last.
  let rate = warm.load.opsPerSecond;
  const measured = async (key: () => string, label: string, ms: number): Promise<CaptureRun> => {
    const half = await captureHttp(context, supply, key, label, ms);
    rate = half.load.opsPerSecond;
    return half;
  };
  const sides = await interleave(context, timing.measureMs / 2, {
    prepare: () => supply.topUp(codesFor(context, rate, timing.measureMs / 2)),
    subject: (ms) => measured(hotKey, 'one store (hot, half)', ms),
    baseline: (ms) => measured(spreadKey, `${STORES.toLocaleString('en-US')} stores (spread, half)`, ms),
  });
  const hot = combineHttp(sides.subject.runs);
  const spread = combineHttp(sides.baseline.runs);
  say(`  CPU, % of one core: hot ${describeCpu(sides.subject.cpu)}; spread ${describeCpu(sides.baseline.cpu)}`);

  const runs = [warm, ...sides.subject.runs, ...sides.baseline.runs];
  const connectionErrors = runs.reduce((total, r) => total + r.connectionErrors, 0);
  const problems = [
    ...(runs.some((r) => r.ranOut) ? [`ran out of prepared payment codes (${supply.prepared} prepared): the figures are not valid`] : []),
    ...(spread.non2xx > 0 ? [`${spread.non2xx} non-2xx responses in the spread runs`] : []),
    ...(warm.non2xx > 0 ? [`${warm.non2xx} non-2xx responses in the warm-up`] : []),
    ...(connectionErrors > 0 ? [`${connectionErrors} connection errors over HTTP`] : []),
  ];
  return {
    scenario: 'hot-store-capture',
    measures: `POST /v1/payments over HTTP (autocannon, ${CONNECTIONS} connections), every capture at one store (one register key), a fresh code per request`,
    baseline: `the same captures spread over ${STORES.toLocaleString('en-US')} stores, the register key round-robin per request`,
    metrics: [
      metric(`captures/s (1 store vs ${STORES.toLocaleString('en-US')})`, 'ops/s', hot.load.opsPerSecond, spread.load.opsPerSecond, {
        on: 'ratio',
        op: '>=',
        target: 0.7,
        required: false,
      }),
      metric('p50 latency', 'ms', hot.load.p50Ms, spread.load.p50Ms),
      metric('p99 latency', 'ms', hot.load.p99Ms, spread.load.p99Ms),
      metric('non-2xx responses', 'count', hot.non2xx, spread.non2xx, { on: 'value', op: '=', target: 0, required: true }),
    ],
    problems,
    details: {
      stores: STORES,
      connections: CONNECTIONS,
      codes: supply.summary(),
      // Each side's two halves in the order measured: how far they agree says how noisy the run was.
      halvesPerSecond: {
        hot: sides.subject.runs.map((r) => Math.round(r.load.opsPerSecond)),
        spread: sides.baseline.runs.map((r) => Math.round(r.load.opsPerSecond)),
      },
      hot: { storeId: stores[0].id, ...httpDetails(hot), cpuPercentOfOneCore: cpuShare(sides.subject.cpu) },
      spread: { ...httpDetails(spread), cpuPercentOfOneCore: cpuShare(sides.baseline.cpu) },
      warmUp: httpDetails(warm),
    },
  };
}

export const hotStoreCaptureScenario: Scenario = { name: 'hot-store-capture', run };
