/**
 * The customer's side of a payment, as the app and the register see it:
 * issuing a one-time code, reading the wallet, and the round of both with
 * the register's capture. Every measured request goes through the api;
 * each has a bare baseline of its own (bench/bare/service.ts) measured in
 * the same run with the same load generator.
 */
import { randomUUID } from 'node:crypto';
import { createHistogram } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import { BareService } from '../support/bare-service.js';
import { cpuRatioBound, halfRateBound, memoryBound } from '../support/bounds.js';
import { KeepAliveClient, type RawResponse } from '../support/api.js';
import { type CpuUse, cpuPerOperation, processCpuSeconds } from '../support/cpu.js';
import { type CardCustomer, onboardCardCustomers, signInAgain } from '../support/customers.js';
import { latencyDetails } from '../support/http-load.js';
import { type LoadResult, closedLoop, combine, forEachConcurrently, summarize } from '../support/measure.js';
import { MemoryWatch } from '../support/memory.js';
import { type PacedRun, pacedLoop } from '../support/paced-load.js';
import { type Metric, type ScenarioResult, metric } from '../support/report.js';
import { say } from '../../tools/support/progress.js';
import { type OpenedStore, openStores } from './capture.js';
import { type BenchContext, POOL_SIZE, RSS_GOAL_MB, type Scenario, type SideName, interleave } from './scenario.js';

/** Customers signed in at once, each one loop: a wallet has one live code at a time. */
const CUSTOMERS = 50;
const STORES = 10;
/** A small purchase, so that the step-up allowance covers every round of a run. */
const AMOUNT = 10;
const FUNDING = 30_000;
/** Numbered after the topup scenario's customers, in the same sandbox. */
const FIRST_CUSTOMER = 1_000;
/** Access tokens live 15 minutes of sandbox time: the customers sign in again after 10. */
const SIGN_IN_AGAIN_MS = 10 * 60 * 1000;
const TIMING = {
  full: { warmupMs: 5_000, measureMs: 10_000 },
  quick: { warmupMs: 500, measureMs: 2_000 },
};
const CARD = '4242424242424242';

/** A signed-in customer as both sides see them. */
interface Shopper {
  customer: CardCustomer;
  /** The api's access token, from a sign-in on the trusted phone without a second factor. */
  token: string;
  /** The same session's token for the bare baseline. */
  bareToken: string;
  /** Where the customer shops: the stores take the customers in turn. */
  store: OpenedStore;
}

interface Rig {
  sandboxId: string;
  shoppers: Shopper[];
  signedInAt: number;
}

let rig: Rig | null = null;

/** The customers and stores every scenario here uses, prepared once per sandbox (through the api) and signed in again when their tokens age. */
async function prepare(context: BenchContext, bare: BareService): Promise<Rig> {
  if (rig?.sandboxId !== context.sandbox.id) {
    const customers = await onboardCardCustomers(context.api, context.sandbox, CUSTOMERS, CARD, FIRST_CUSTOMER);
    await forEachConcurrently(`fund ${CUSTOMERS} wallets (HTTP)`, customers, 10, async (customer) => {
      await context.api.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, context.sandbox.secretKey, { amount: FUNDING });
    });
    const stores = await openStores(context, STORES);
    rig = {
      sandboxId: context.sandbox.id,
      shoppers: customers.map((customer, n) => ({ customer, token: '', bareToken: '', store: stores[n % STORES] })),
      signedInAt: 0,
    };
  }
  if (Date.now() - rig.signedInAt > SIGN_IN_AGAIN_MS) {
    await forEachConcurrently(`sign ${CUSTOMERS} customers in on their trusted phones (HTTP)`, rig.shoppers, 8, async (shopper) => {
      shopper.token = await signInAgain(context.api, context.sandbox, shopper.customer);
    });
    rig.signedInAt = Date.now();
  }
  // Each bare service signs with a key of its own.
  const { rows } = await context.pool.query<{ step_up_allowance: string | null }>('SELECT step_up_allowance FROM sandboxes WHERE id = $1', [
    context.sandbox.id,
  ]);
  const allowance = rows[0].step_up_allowance === null ? null : Number(rows[0].step_up_allowance);
  for (const shopper of rig.shoppers) {
    const claims = jwt.decode(shopper.token, { json: true }) as { sbx: string; sub: string; wal: string; sid: string; did: string };
    shopper.bareToken = bare.token({
      sandboxId: claims.sbx,
      userId: claims.sub,
      walletId: claims.wal,
      sessionId: claims.sid,
      deviceId: claims.did,
      allowance,
    });
  }
  return rig;
}

/** One side's view of the api or the bare service: the same requests, its own paths and tokens. */
interface Target {
  client: KeepAliveClient;
  paths: { issue: string; capture: string; wallet: string };
  token: (shopper: Shopper) => string;
}

function targets(context: BenchContext, bare: BareService): { subject: Target; baseline: Target } {
  return {
    subject: {
      client: new KeepAliveClient(context.api.baseUrl, CUSTOMERS),
      paths: { issue: '/v1/payment-codes', capture: '/v1/payments', wallet: '/v1/wallet' },
      token: (shopper) => shopper.token,
    },
    baseline: {
      client: new KeepAliveClient(bare.baseUrl, CUSTOMERS),
      paths: { issue: '/payment-codes', capture: '/payments', wallet: '/wallet' },
      token: (shopper) => shopper.bareToken,
    },
  };
}

function expectStatus(response: RawResponse, status: number, what: string): RawResponse {
  if (response.status !== status) throw new Error(`${what} answered ${response.status}: ${response.body.slice(0, 300)}`);
  return response;
}

/** The customer's app: a fresh Idempotency-Key per call, as the client library sends. */
async function issueCode(target: Target, shopper: Shopper): Promise<string> {
  const response = await target.client.post(target.paths.issue, {
    authorization: `Bearer ${target.token(shopper)}`,
    'idempotency-key': randomUUID(),
    'x-forwarded-for': shopper.customer.ip,
  });
  return (JSON.parse(expectStatus(response, 201, 'issuing a code').body) as { code: string }).code;
}

async function capture(target: Target, store: OpenedStore, code: string): Promise<void> {
  const response = await target.client.post(
    target.paths.capture,
    { authorization: `Bearer ${store.apiKey}`, 'idempotency-key': randomUUID() },
    JSON.stringify({ code, amount: AMOUNT }),
  );
  expectStatus(response, 201, 'the capture');
}

async function readWallet(target: Target, shopper: Shopper): Promise<void> {
  const response = await target.client.get(target.paths.wallet, {
    authorization: `Bearer ${target.token(shopper)}`,
    'x-forwarded-for': shopper.customer.ip,
  });
  expectStatus(response, 200, 'the wallet');
}

/** Per-step latencies of the payment round. */
interface Steps {
  issue: ReturnType<typeof createHistogram>;
  capture: ReturnType<typeof createHistogram>;
}

const newSteps = (): Steps => ({ issue: createHistogram(), capture: createHistogram() });

async function timed<T>(histogram: ReturnType<typeof createHistogram>, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await work();
  } finally {
    histogram.record(process.hrtime.bigint() - started || 1n);
  }
}

/** What one request of a scenario does, given the customer making it. */
type Operation = (target: Target, shopper: Shopper, steps: Steps) => Promise<void>;

interface Kind {
  name: string;
  operation: Operation;
  measures: string;
  baseline: string;
  /** The goal on throughput against the baseline. */
  ratioGoal: number;
  /** Outbox events each request is expected to write (the capture's payment.captured), for the report. */
  queueHopsNote: string;
}

/** Customers not making a request right now, for the paced stretch, which does not tie a customer to a loop. */
class IdleShoppers {
  private readonly idle: Shopper[];
  private readonly waiting: Array<(shopper: Shopper) => void> = [];

  constructor(shoppers: Shopper[]) {
    this.idle = [...shoppers];
  }

  take(): Promise<Shopper> {
    const shopper = this.idle.pop();
    return shopper ? Promise.resolve(shopper) : new Promise((resolve) => this.waiting.push(resolve));
  }

  give(shopper: Shopper): void {
    const next = this.waiting.shift();
    if (next) next(shopper);
    else this.idle.push(shopper);
  }
}

/** The api's db_round_trips_total. */
async function apiRoundTrips(context: BenchContext): Promise<number> {
  const text = await (await fetch(`${context.api.baseUrl}/metrics`)).text();
  return Number(/^db_round_trips_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

async function outboxEvents(context: BenchContext): Promise<number> {
  const { rows } = await context.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox_events WHERE sandbox_id = $1', [
    context.sandbox.id,
  ]);
  return Number(rows[0].n);
}

interface SideRun {
  load: LoadResult;
  steps: Steps;
  /** CPU seconds of the bare service over the stretch (baseline only). */
  bareCpuSeconds: number;
}

async function measured(bare: BareService, run: (steps: Steps) => Promise<LoadResult>): Promise<SideRun> {
  const steps = newSteps();
  const bareBefore = processCpuSeconds(bare.pid) ?? 0;
  const load = await run(steps);
  return { load, steps, bareCpuSeconds: (processCpuSeconds(bare.pid) ?? 0) - bareBefore };
}

/**
 * The round trips to PostgreSQL the api made and the outbox events written over the subject's halves,
 * read before each half settles and after its CPU is taken, so the reads cost the subject nothing.
 */
class SubjectCounts {
  roundTrips = 0;
  events = 0;
  private before = { roundTrips: 0, events: 0 };

  constructor(private readonly context: BenchContext) {}

  readonly start = async (side: SideName): Promise<void> => {
    if (side === 'subject') this.before = { roundTrips: await apiRoundTrips(this.context), events: await outboxEvents(this.context) };
  };

  readonly finish = async (side: SideName): Promise<void> => {
    if (side !== 'subject') return;
    this.roundTrips += (await apiRoundTrips(this.context)) - this.before.roundTrips;
    this.events += (await outboxEvents(this.context)) - this.before.events;
  };
}

function closedRun(kind: Kind, target: Target, shoppers: Shopper[], label: string, durationMs: number, steps: Steps): Promise<LoadResult> {
  return closedLoop({ label, concurrency: shoppers.length, durationMs, op: (loop) => kind.operation(target, shoppers[loop], steps) });
}

function pacedRun(
  kind: Kind,
  target: Target,
  idle: IdleShoppers,
  label: string,
  rate: number,
  durationMs: number,
  steps: Steps,
): Promise<PacedRun> {
  return pacedLoop({
    label,
    ratePerSecond: rate,
    durationMs,
    op: async () => {
      const shopper = await idle.take();
      try {
        await kind.operation(target, shopper, steps);
      } finally {
        idle.give(shopper);
      }
    },
  });
}

const mergeSteps = (runs: SideRun[]): { issue: LoadResult; capture: LoadResult } => {
  const merged = newSteps();
  for (const run of runs) {
    merged.issue.add(run.steps.issue);
    merged.capture.add(run.steps.capture);
  }
  return {
    issue: summarize(merged.issue, merged.issue.count, 0, 0),
    capture: summarize(merged.capture, merged.capture.count, 0, 0),
  };
};

const sum = (runs: SideRun[], pick: (run: SideRun) => number): number => runs.reduce((total, run) => total + pick(run), 0);

/** CPU milliseconds per request by process; the baseline's "api" is the bare service. */
function cpuPerRequest(cpu: CpuUse, runs: SideRun[], ops: number, bare: boolean): Record<string, number | null> {
  const perOp = cpuPerOperation(cpu, ops);
  const bareMs = ops === 0 ? null : Math.round((sum(runs, (r) => r.bareCpuSeconds) * 1e6) / ops) / 1000;
  return {
    api: bare ? bareMs : perOp.api,
    worker: bare ? null : perOp.worker,
    postgres: perOp.postgres,
    runner: perOp.runner,
    machine: perOp.machine,
  };
}

async function runKind(kind: Kind, context: BenchContext): Promise<ScenarioResult> {
  const timing = context.quick ? TIMING.quick : TIMING.full;
  const bare = await BareService.start(context.pool.options.connectionString as string, context.queues.DATABASE_TOPOLOGY);
  const memory = { api: new MemoryWatch(context.apiPid), worker: new MemoryWatch(context.workerPid) };
  const { subject, baseline } = targets(context, bare);
  try {
    const { shoppers } = await prepare(context, bare);
    await context.settle();
    const warm = {
      subject: await closedRun(kind, subject, shoppers, 'warm-up HTTP', timing.warmupMs, newSteps()),
      baseline: await closedRun(kind, baseline, shoppers, 'warm-up bare', timing.warmupMs / 2, newSteps()),
    };
    const counts = new SubjectCounts(context);
    const sides = await interleave(context, timing.measureMs / 2, {
      subject: (ms) => measured(bare, (steps) => closedRun(kind, subject, shoppers, 'HTTP (half)', ms, steps)),
      baseline: (ms) => measured(bare, (steps) => closedRun(kind, baseline, shoppers, 'bare baseline (half)', ms, steps)),
      prepare: counts.start,
      finish: counts.finish,
    });
    const peak = { subject: combine(sides.subject.runs.map((r) => r.load)), baseline: combine(sides.baseline.runs.map((r) => r.load)) };
    const halfRates = {
      subject: Math.max(1, Math.floor(peak.subject.opsPerSecond / 2)),
      baseline: Math.max(1, Math.floor(peak.baseline.opsPerSecond / 2)),
    };
    const idle = new IdleShoppers(shoppers);
    const paced = await interleave(context, timing.measureMs / 2, {
      subject: (ms) =>
        measured(
          bare,
          async (steps) =>
            (await pacedRun(kind, subject, idle, `HTTP paced (${halfRates.subject}/s, half)`, halfRates.subject, ms, steps)).load,
        ),
      baseline: (ms) =>
        measured(
          bare,
          async (steps) =>
            (await pacedRun(kind, baseline, idle, `bare paced (${halfRates.baseline}/s, half)`, halfRates.baseline, ms, steps)).load,
        ),
    });
    const half = { subject: combine(paced.subject.runs.map((r) => r.load)), baseline: combine(paced.baseline.runs.map((r) => r.load)) };
    const memoryUse = { api: memory.api.stop(), worker: memory.worker.stop() };
    const stepsOf = { subject: mergeSteps(sides.subject.runs), baseline: mergeSteps(sides.baseline.runs) };
    const halfStepsOf = { subject: mergeSteps(paced.subject.runs), baseline: mergeSteps(paced.baseline.runs) };
    const ops = peak.subject.ops;
    const tripsPerRequest = counts.roundTrips / Math.max(1, ops);
    const eventsPerRequest = counts.events / Math.max(1, ops);
    const cpu = {
      subject: cpuPerRequest(sides.subject.cpu, sides.subject.runs, ops, false),
      baseline: cpuPerRequest(sides.baseline.cpu, sides.baseline.runs, peak.baseline.ops, true),
    };
    say(
      `  per request: ${tripsPerRequest.toFixed(1)} round trips to PostgreSQL, ${eventsPerRequest.toFixed(2)} outbox events; ` +
        `CPU ms api ${cpu.subject.api} worker ${cpu.subject.worker} postgres ${cpu.subject.postgres} (bare: service ${cpu.baseline.api} postgres ${cpu.baseline.postgres})`,
    );
    // The bare service is a process of its own: in the baseline's CPU it takes the api's place.
    const bareCpu = {
      ...sides.baseline.cpu,
      seconds: { ...sides.baseline.cpu.seconds, api: sum(sides.baseline.runs, (r) => r.bareCpuSeconds) },
    };
    const round = kind.name === 'payment-round';
    const halfBound = (baselineP99Ms: number) => halfRateBound(baselineP99Ms, 'the bare service', paced.subject.cpu);
    const errors = [warm.subject, warm.baseline, peak.subject, peak.baseline, half.subject, half.baseline];
    const stepMetrics: Metric[] = round
      ? [
          metric('issue step: p50', 'ms', stepsOf.subject.issue.p50Ms, stepsOf.baseline.issue.p50Ms),
          metric('issue step: p99', 'ms', stepsOf.subject.issue.p99Ms, stepsOf.baseline.issue.p99Ms),
          metric('capture step: p50', 'ms', stepsOf.subject.capture.p50Ms, stepsOf.baseline.capture.p50Ms),
          metric('capture step: p99', 'ms', stepsOf.subject.capture.p99Ms, stepsOf.baseline.capture.p99Ms),
          metric('half rate: issue p99', 'ms', halfStepsOf.subject.issue.p99Ms, halfStepsOf.baseline.issue.p99Ms, {
            on: 'value',
            op: '<=',
            target: 50,
            required: false,
            bound: halfBound(halfStepsOf.baseline.issue.p99Ms),
          }),
          metric('half rate: capture p99', 'ms', halfStepsOf.subject.capture.p99Ms, halfStepsOf.baseline.capture.p99Ms, {
            on: 'value',
            op: '<=',
            target: 50,
            required: false,
            bound: halfBound(halfStepsOf.baseline.capture.p99Ms),
          }),
        ]
      : [];
    const unit = round ? 'rounds/s' : 'requests/s';
    return {
      scenario: kind.name,
      measures: kind.measures,
      baseline: kind.baseline,
      metrics: [
        metric(`${unit} (HTTP vs bare)`, 'ops/s', peak.subject.opsPerSecond, peak.baseline.opsPerSecond, {
          on: 'ratio',
          op: '>=',
          target: kind.ratioGoal,
          required: false,
          bound: cpuRatioBound(
            round ? 'round' : 'request',
            { name: 'HTTP', cpu: sides.subject.cpu, ops },
            { name: 'the bare service', cpu: bareCpu, ops: peak.baseline.ops, names: { api: 'bare service' } },
          ),
        }),
        metric('p50 latency', 'ms', peak.subject.p50Ms, peak.baseline.p50Ms),
        metric('p99 latency', 'ms', peak.subject.p99Ms, peak.baseline.p99Ms),
        ...stepMetrics,
        metric('half rate, paced: achieved/s', 'ops/s', half.subject.opsPerSecond, half.baseline.opsPerSecond),
        metric('half rate, paced: p99', 'ms', half.subject.p99Ms, half.baseline.p99Ms, {
          on: 'value',
          op: '<=',
          target: 50,
          required: false,
          bound: halfBound(half.baseline.p99Ms),
        }),
        metric('round trips to PostgreSQL per request', 'count', Math.round(tripsPerRequest * 10) / 10, 1),
        metric('api peak RSS', 'MB', memoryUse.api.peakMb ?? Number.NaN, null, {
          on: 'value',
          op: '<=',
          target: RSS_GOAL_MB.api,
          required: false,
          bound: memoryBound('api', memoryUse.api.startMb, memoryUse.api.peakMb),
        }),
        metric('worker peak RSS', 'MB', memoryUse.worker.peakMb ?? Number.NaN, null, {
          on: 'value',
          op: '<=',
          target: RSS_GOAL_MB.worker,
          required: false,
          bound: memoryBound('worker', memoryUse.worker.startMb, memoryUse.worker.peakMb),
        }),
        metric(
          'failed requests',
          'count',
          sum([...sides.subject.runs, ...paced.subject.runs], (r) => r.load.errors) + warm.subject.errors,
          0,
          {
            on: 'value',
            op: '=',
            target: 0,
            required: true,
          },
        ),
      ],
      problems: errors.filter((run) => run.errors > 0).map((run) => `${run.errors} requests failed (first: ${run.firstError})`),
      details: {
        customers: CUSTOMERS,
        stores: round ? STORES : undefined,
        amount: round ? AMOUNT : undefined,
        poolSize: POOL_SIZE,
        halvesPerSecond: {
          http: sides.subject.runs.map((r) => Math.round(r.load.opsPerSecond)),
          bare: sides.baseline.runs.map((r) => Math.round(r.load.opsPerSecond)),
        },
        perRequest: {
          roundTripsToPostgres: { http: Math.round(tripsPerRequest * 100) / 100, bare: 1 },
          outboxEvents: Math.round(eventsPerRequest * 100) / 100,
          queueHops: kind.queueHopsNote,
          cpuMs: cpu,
        },
        latencyMs: { http: latencyDetails(peak.subject), bare: latencyDetails(peak.baseline) },
        steps: round
          ? {
              peak: {
                http: { issue: latencyDetails(stepsOf.subject.issue), capture: latencyDetails(stepsOf.subject.capture) },
                bare: { issue: latencyDetails(stepsOf.baseline.issue), capture: latencyDetails(stepsOf.baseline.capture) },
              },
              halfRate: {
                http: { issue: latencyDetails(halfStepsOf.subject.issue), capture: latencyDetails(halfStepsOf.subject.capture) },
                bare: { issue: latencyDetails(halfStepsOf.baseline.issue), capture: latencyDetails(halfStepsOf.baseline.capture) },
              },
            }
          : undefined,
        halfRate: { targetPerSecond: halfRates, http: latencyDetails(half.subject), bare: latencyDetails(half.baseline) },
        memoryMb: memoryUse,
      },
    };
  } finally {
    memory.api.stop();
    memory.worker.stop();
    subject.client.close();
    baseline.client.close();
    await bare.stop();
  }
}

const BARE =
  'a minimal Fastify + pg service of its own process (bench/bare/service.ts), Pool of 20, the same customers and sessions: ' +
  'an HS256 token verified in the process, then one statement per request doing the same checks';

const codeIssue: Kind = {
  name: 'code-issue',
  operation: async (target, shopper) => {
    await issueCode(target, shopper);
  },
  measures:
    `POST /v1/payment-codes (a fresh Idempotency-Key each) from ${CUSTOMERS} customers signed in on their trusted phones through the api ` +
    `(no second factor in the session, so the step-up allowance is read), each its own loop; then evenly paced at half the peak`,
  baseline: `${BARE}: the session open, the wallet not on hold, its allowance left, the live code retired, the new one inserted and the idempotency key recorded with its answer`,
  ratioGoal: 0.7,
  queueHopsNote: 'none: issuing a code writes no event',
};

const walletRead: Kind = {
  name: 'wallet-read',
  operation: (target, shopper) => readWallet(target, shopper),
  measures: `GET /v1/wallet from ${CUSTOMERS} signed-in customers, each its own loop; then evenly paced at half the peak`,
  baseline: `${BARE}: the session open joined with the wallet's balance and holds`,
  ratioGoal: 0.8,
  queueHopsNote: 'none',
};

const paymentRound: Kind = {
  name: 'payment-round',
  operation: async (target, shopper, steps) => {
    const code = await timed(steps.issue, () => issueCode(target, shopper));
    await timed(steps.capture, () => capture(target, shopper.store, code));
  },
  measures:
    `a payment as a register line sees it: the app issues a code (POST /v1/payment-codes) and a register captures it ` +
    `(POST /v1/payments { code, amount: ${AMOUNT} }, a fresh Idempotency-Key, each customer at one of ${STORES} stores), ${CUSTOMERS} customers each ` +
    `their own loop; rounds/s and each step's p50/p99; then evenly paced at half the peak`,
  baseline: `${BARE}: issuance as in code-issue; the capture is the api's capture_payment(…) with the idempotency key recorded in the same statement`,
  ratioGoal: 0.6,
  queueHopsNote: 'one per capture: its payment.captured event, relayed from the outbox to the webhooks queue after the answer',
};

const scenarioOf = (kind: Kind): Scenario => ({ name: kind.name, run: (context) => runKind(kind, context) });

export const codeIssueScenario = scenarioOf(codeIssue);
export const walletReadScenario = scenarioOf(walletRead);
export const paymentRoundScenario = scenarioOf(paymentRound);
