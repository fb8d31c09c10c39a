import { type RecordableHistogram, createHistogram, performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { cpuParts, machineBusy } from '../support/bounds.js';
import { type CpuUse, cpuPerOperation, cpuShare, describeCpu } from '../support/cpu.js';
import { KeepAliveClient, type RawResponse } from '../support/api.js';
import { type CardCustomer, onboardCardCustomers } from '../support/customers.js';
import { addStatusCodes, latencyDetails } from '../support/http-load.js';
import { type LoadResult, closedLoop, combine, summarize } from '../support/measure.js';
import { say } from '../../tools/support/progress.js';
import { QueueRoundTrip } from '../support/queue-round-trip.js';
import { type ScenarioResult, metric } from '../support/report.js';
import { type BenchContext, type Scenario, WORKER_CONCURRENCY, interleave, roundRobin, sandboxOffsetMs } from './scenario.js';

/** Customers onboarded through the api; each in-flight loop owns CUSTOMERS / CONCURRENCY of them. */
const CUSTOMERS = 200;
/** Top-ups in flight at once (each loop waits for its top-up to succeed before the next), and round trips in flight in the baseline. */
const CONCURRENCY = 50;
/** The card channel's unit. */
const AMOUNT = 1_000;
/** Succeeds, without 3-D Secure (docs/top-ups.md). */
const CARD = '4242424242424242';
/** measureMs per side, taken in two halves (see interleave). */
const TIMING = {
  full: { warmupMs: 5_000, measureMs: 10_000 },
  quick: { warmupMs: 500, measureMs: 2_000 },
};
/** How often the runner looks for top-ups that left `pending`, and how long one may stay there before it counts as stuck. */
const POLL_MS = 5;
const PATIENCE_MS = 30_000;
/**
 * Velocity rules count a wallet's top-ups (more than 2 a minute, 5 an hour, 10 or ¥100,000 a day): every
 * bench customer tops up dozens of times a minute and would be held. They are switched off for the bench
 * sandbox; screening still runs their query (the engine counts before it looks at the switches) and every
 * other rule. The daily cap and the maximum balance are raised past reach for the same reason; their
 * guarded statements run as ever.
 */
const FRAUD_RULES_OFF = ['topup.velocity_minute', 'topup.velocity_hour', 'topup.velocity_day', 'topup.amount_day'] as const;
const LIMITS = { dailyCap: 1_000_000_000, maxBalance: 1_000_000_000 };

/** What the runner saw of one top-up once it left `pending`. */
interface Outcome {
  status: string;
  /** updated_at of the top-up's last change, on the machine's clock: for `succeeded`, taken by the worker in the settling transaction just before its ledger transfer. */
  changedAtMs: number;
  /** When the runner's poll returned it. */
  seenAtMs: number;
}

interface Waiter {
  sinceMs: number;
  resolve: (outcome: Outcome | null) => void;
}

/**
 * Tells each top-up's sender when it left `pending`: one indexed query for
 * every top-up in flight, at most every POLL_MS, on the runner's pool. A
 * top-up still pending after PATIENCE_MS resolves to null.
 */
class SettlementWatch {
  private readonly waiting = new Map<string, Waiter>();
  private running = true;
  private readonly loop: Promise<void>;
  polls = 0;
  pollErrors = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly sandboxId: string,
    private readonly offsetMs: number,
  ) {
    this.loop = this.run();
  }

  outcome(topupId: string): Promise<Outcome | null> {
    return new Promise((resolve) => this.waiting.set(topupId, { sinceMs: performance.now(), resolve }));
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      if (this.waiting.size > 0) await this.poll(started);
      await sleep(Math.max(0, POLL_MS - (performance.now() - started)));
    }
  }

  private async poll(started: number): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ id: string; status: string; updated_at: Date }>({
        // Named, so each connection parses and plans it once: the poll runs hundreds of times a second.
        name: 'bench-topup-outcomes',
        text: `SELECT id, status, updated_at FROM topup_topups WHERE sandbox_id = $1 AND id = ANY($2::text[]) AND status <> 'pending'`,
        values: [this.sandboxId, [...this.waiting.keys()]],
      });
      this.polls += 1;
      const seenAtMs = Date.now();
      for (const row of rows) {
        this.waiting.get(row.id)?.resolve({ status: row.status, changedAtMs: row.updated_at.getTime() - this.offsetMs, seenAtMs });
        this.waiting.delete(row.id);
      }
    } catch {
      this.pollErrors += 1;
    }
    for (const [id, waiter] of this.waiting) {
      if (started - waiter.sinceMs < PATIENCE_MS) continue;
      waiter.resolve(null);
      this.waiting.delete(id);
    }
  }
}

const NS_PER_MS = 1e6;
const recordMs = (histogram: RecordableHistogram, ms: number): void => histogram.record(Math.max(1, Math.round(ms * NS_PER_MS)));

function combineHistograms(histograms: RecordableHistogram[]): RecordableHistogram {
  const out = createHistogram();
  for (const histogram of histograms) out.add(histogram);
  return out;
}

/** What the senders of one stretch of top-ups counted. */
interface TopupCounts {
  /** POST sent → the settling transaction's updated_at: the same latency less the rest of that transaction and the poll. */
  toSettled: RecordableHistogram;
  /** The settling transaction's updated_at → seen by the runner: what the poll adds. */
  seenAfter: RecordableHistogram;
  /** POST sent → 202. */
  accepted: RecordableHistogram;
  statusCodes: Record<string, number>;
  non2xx: number;
  connectionErrors: number;
  /** Ended failed or held, or still pending after PATIENCE_MS. */
  notSucceeded: number;
  /** The top-ups that succeeded, for the breakdown by stage. */
  succeeded: string[];
}

/** One stretch of top-ups. */
interface TopupRun extends TopupCounts {
  /** Per top-up, POST sent → `succeeded` seen by the runner (closedLoop's latency); ops are top-ups that succeeded. */
  load: LoadResult;
}

/** What the top-up loops share. */
interface Rig {
  context: BenchContext;
  http: KeepAliveClient;
  watch: SettlementWatch;
  customers: CardCustomer[];
}

/** POST /v1/topups as the customer's app sends it, then the wait for `succeeded`; throws on anything else. */
async function topUp(rig: Rig, customer: CardCustomer, counts: TopupCounts): Promise<void> {
  const sentAtMs = Date.now();
  const sent = performance.now();
  let response: RawResponse;
  try {
    response = await rig.http.post(
      '/v1/topups',
      { authorization: `Bearer ${customer.accessToken}`, 'x-forwarded-for': customer.ip },
      JSON.stringify({ amount: AMOUNT, channel: 'card', cardId: customer.cardId }),
    );
  } catch (error) {
    counts.connectionErrors += 1;
    throw error;
  }
  recordMs(counts.accepted, performance.now() - sent);
  counts.statusCodes[response.status] = (counts.statusCodes[response.status] ?? 0) + 1;
  if (response.status < 200 || response.status > 299) counts.non2xx += 1;
  if (response.status !== 202) throw new Error(`POST /v1/topups answered ${response.status}: ${response.body.slice(0, 300)}`);
  const { id } = JSON.parse(response.body) as { id: string };
  const outcome = await rig.watch.outcome(id);
  if (outcome?.status !== 'succeeded') {
    counts.notSucceeded += 1;
    throw new Error(`top-up ${id} ${outcome ? `ended ${outcome.status}` : `was still pending after ${PATIENCE_MS / 1000} s`}`);
  }
  recordMs(counts.toSettled, outcome.changedAtMs - sentAtMs);
  recordMs(counts.seenAfter, outcome.seenAtMs - outcome.changedAtMs);
  counts.succeeded.push(id);
}

/** `concurrency` loops, each topping up its own share of the customers in turn, one top-up at a time: no customer has two in flight. */
async function topUpLoop(rig: Rig, concurrency: number, label: string, durationMs: number): Promise<TopupRun> {
  const next = Array.from({ length: concurrency }, (_, loop) => roundRobin(rig.customers.filter((_, n) => n % concurrency === loop)));
  const counts: TopupCounts = {
    toSettled: createHistogram(),
    seenAfter: createHistogram(),
    accepted: createHistogram(),
    statusCodes: {},
    non2xx: 0,
    connectionErrors: 0,
    notSucceeded: 0,
    succeeded: [],
  };
  const load = await closedLoop({ label, concurrency, durationMs, op: (loop) => topUp(rig, next[loop](), counts) });
  return { load, ...counts };
}

function combineTopups(runs: TopupRun[]): TopupRun {
  const merged = (pick: (run: TopupRun) => RecordableHistogram): RecordableHistogram => combineHistograms(runs.map(pick));
  const sum = (pick: (run: TopupRun) => number): number => runs.reduce((total, run) => total + pick(run), 0);
  return {
    load: combine(runs.map((run) => run.load)),
    toSettled: merged((run) => run.toSettled),
    seenAfter: merged((run) => run.seenAfter),
    accepted: merged((run) => run.accepted),
    statusCodes: addStatusCodes(runs.map((run) => run.statusCodes)),
    non2xx: sum((run) => run.non2xx),
    connectionErrors: sum((run) => run.connectionErrors),
    notSucceeded: sum((run) => run.notSucceeded),
    succeeded: runs.flatMap((run) => run.succeeded),
  };
}

/** One stretch of bare round trips. */
interface RoundTripRun {
  /** Per job, added → completion reported by the worker (recorded in the backend). */
  load: LoadResult;
  /** Added → the worker's processor returned: the same less recording the completion. */
  toWorkerDone: RecordableHistogram;
}

async function roundTripLoop(trips: QueueRoundTrip, concurrency: number, label: string, durationMs: number): Promise<RoundTripRun> {
  const toWorkerDone = createHistogram();
  const load = await closedLoop({
    label,
    concurrency,
    durationMs,
    op: async () => {
      const trip = await trips.run();
      recordMs(toWorkerDone, trip.workerDoneAtMs - trip.addedAtMs);
    },
  });
  return { load, toWorkerDone };
}

/** Top-ups against round trips at one concurrency, in interleaved halves. */
interface Comparison {
  concurrency: number;
  topups: TopupRun;
  trips: RoundTripRun;
  topupHalves: number[];
  tripHalves: number[];
  topupCpu: CpuUse;
  tripCpu: CpuUse;
}

async function compare(rig: Rig, trips: QueueRoundTrip, concurrency: number, halfMs: number): Promise<Comparison> {
  const inFlight = `${concurrency} in flight`;
  const sides = await interleave(rig.context, halfMs, {
    subject: (ms) => topUpLoop(rig, concurrency, `top-ups, ${inFlight} (half)`, ms),
    baseline: (ms) => roundTripLoop(trips, concurrency, `BullMQ, ${inFlight} (half)`, ms),
  });
  say(`  CPU, % of one core, ${inFlight}: top-ups ${describeCpu(sides.subject.cpu)}; BullMQ ${describeCpu(sides.baseline.cpu)}`);
  return {
    concurrency,
    topups: combineTopups(sides.subject.runs),
    trips: {
      load: combine(sides.baseline.runs.map((r) => r.load)),
      toWorkerDone: combineHistograms(sides.baseline.runs.map((r) => r.toWorkerDone)),
    },
    topupHalves: sides.subject.runs.map((r) => Math.round(r.load.opsPerSecond)),
    tripHalves: sides.baseline.runs.map((r) => Math.round(r.load.opsPerSecond)),
    topupCpu: sides.subject.cpu,
    tripCpu: sides.baseline.cpu,
  };
}

/** p50, p90, p99 and max of a histogram in ms, for the JSON report. */
const percentiles = (histogram: RecordableHistogram) => latencyDetails(summarize(histogram, histogram.count, 0, 0));

const cpuDetails = (use: CpuUse, ops: number) => ({ percentOfOneCore: cpuShare(use), msPerOperation: cpuPerOperation(use, ops) });

/** The JSON report's view of a comparison. */
const comparisonDetails = (c: Comparison) => ({
  concurrency: c.concurrency,
  // Each side's two halves in the order measured: how far they agree says how noisy the run was.
  halvesPerSecond: { topups: c.topupHalves, roundTrips: c.tripHalves },
  topups: {
    succeeded: c.topups.load.ops,
    errors: c.topups.load.errors,
    seconds: c.topups.load.seconds,
    statusCodes: c.topups.statusCodes,
    latencyMs: {
      requestToSeenSucceeded: latencyDetails(c.topups.load),
      requestToSettlingTransaction: percentiles(c.topups.toSettled),
      settlingTransactionToSeen: percentiles(c.topups.seenAfter),
      requestTo202: percentiles(c.topups.accepted),
    },
    cpu: cpuDetails(c.topupCpu, c.topups.load.ops),
  },
  roundTrips: {
    completed: c.trips.load.ops,
    errors: c.trips.load.errors,
    seconds: c.trips.load.seconds,
    latencyMs: { addToCompleted: latencyDetails(c.trips.load), addToWorkerDone: percentiles(c.trips.toWorkerDone) },
    cpu: cpuDetails(c.tripCpu, c.trips.load.ops),
  },
});

/**
 * Where the time of the top-ups went, from the pipeline's own outbox rows: each
 * event's occurred_at (sandbox time, taken as the row is written, just before
 * its transaction commits) and relayed_at (PostgreSQL's clock as the relay
 * marks it, after the job is queued, so a relay figure includes that mark).
 * The sandbox's offset is taken off occurred_at; both clocks are this machine's.
 */
async function stages(context: BenchContext, offsetMs: number, topupIds: string[]) {
  const { rows } = await context.pool.query<{ topup_id: string; type: string; occurred_at: Date; relayed_at: Date | null }>(
    `SELECT data->>'topupId' AS topup_id, type, occurred_at, relayed_at FROM outbox_events
      WHERE sandbox_id = $1 AND type IN ('topup.requested', 'fraud.topup_screened', 'topup.succeeded') AND data->>'topupId' = ANY($2::text[])`,
    [context.sandbox.id, topupIds],
  );
  const events = new Map<string, Map<string, { at: number; relayedAt: number | null }>>();
  for (const row of rows) {
    const byType = events.get(row.topup_id) ?? new Map<string, { at: number; relayedAt: number | null }>();
    byType.set(row.type, { at: row.occurred_at.getTime() - offsetMs, relayedAt: row.relayed_at?.getTime() ?? null });
    events.set(row.topup_id, byType);
  }
  const span = { requestedToScreened: createHistogram(), screenedToSucceeded: createHistogram(), relay: createHistogram() };
  for (const byType of events.values()) {
    const [requested, screened, succeeded] = ['topup.requested', 'fraud.topup_screened', 'topup.succeeded'].map((type) => byType.get(type));
    if (!requested || !screened || !succeeded) continue;
    recordMs(span.requestedToScreened, screened.at - requested.at);
    recordMs(span.screenedToSucceeded, succeeded.at - screened.at);
    for (const event of [requested, screened]) if (event.relayedAt !== null) recordMs(span.relay, event.relayedAt - event.at);
  }
  return {
    topups: events.size,
    requestedToScreenedMs: percentiles(span.requestedToScreened),
    screenedToSucceededMs: percentiles(span.screenedToSucceeded),
    writtenToRelayedMs: percentiles(span.relay),
  };
}

/** QUEUE_HOPS BullMQ jobs carry a card top-up: the screening, the settlement and the success observed. */
const QUEUE_HOPS = 3;

/** What stops the top-up goals, from the run's CPU figures and the pipeline's own stages with one in flight. */
function topupBounds(loaded: Comparison, alone: Comparison, stagesAlone: Awaited<ReturnType<typeof stages>>) {
  const cpu = cpuPerOperation(loaded.topupCpu, loaded.topups.load.ops);
  const hop = cpuPerOperation(loaded.tripCpu, loaded.trips.load.ops).machine;
  const cores = cpus().length;
  const most = cpu.machine === null || cpu.machine === 0 ? '?' : `${Math.round((cores * 1000) / cpu.machine)}/s`;
  const hops =
    hop === null
      ? ''
      : `; its ${QUEUE_HOPS} queue hops cost at least ${(QUEUE_HOPS * hop).toFixed(2)} ms of that, the bare BullMQ round trip's ` +
        `${hop.toFixed(2)} ms each`;
  const p50 = (details: { p50: number }): string => `${details.p50.toFixed(1)} ms`;
  const accepted = summarize(alone.topups.accepted, alone.topups.accepted.count, 0, 0);
  const seen = summarize(alone.topups.seenAfter, alone.topups.seenAfter.count, 0, 0);
  return {
    stages: stagesAlone,
    rate:
      `CPU: the machine was ${machineBusy(loaded.topupCpu)} busy and spent ${cpu.machine?.toFixed(2) ?? '?'} ms per top-up ` +
      `(${cpuParts(cpu)}): ${cores} cores allow at most ${most}${hops}`,
    cpu: `per top-up in ms: ${cpuParts(cpu)}${hops}, and each of its commits flushes the WAL`,
    latency:
      `the pipeline's stages, p50 with one in flight: the 202 in ${accepted.p50Ms.toFixed(1)} ms, requested → screened ` +
      `${p50(stagesAlone.requestedToScreenedMs)} and screened → succeeded ${p50(stagesAlone.screenedToSucceededMs)} ` +
      `(each event written → relayed ${p50(stagesAlone.writtenToRelayedMs)}), then ${seen.p50Ms.toFixed(1)} ms until the ` +
      `runner's poll (every ${POLL_MS} ms) saw it`,
  };
}

/** Turns the velocity rules off and lifts the per-wallet limits for the bench sandbox (see FRAUD_RULES_OFF). */
async function configureSandbox(context: BenchContext): Promise<void> {
  const { api, sandbox } = context;
  await api.post('/v1/fraud/settings', sandbox.secretKey, {
    rules: Object.fromEntries(FRAUD_RULES_OFF.map((rule) => [rule, { enabled: false }])),
  });
  await api.post('/v1/topup-settings', sandbox.secretKey, { limits: LIMITS });
}

/** Top-ups in the sandbox by status. */
async function statuses(context: BenchContext): Promise<Record<string, number>> {
  const { rows } = await context.pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM topup_topups WHERE sandbox_id = $1 GROUP BY status`,
    [context.sandbox.id],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const timing = context.quick ? TIMING.quick : TIMING.full;
  await configureSandbox(context);
  const onboardStarted = performance.now();
  const customers = await onboardCardCustomers(context.api, context.sandbox, CUSTOMERS, CARD);
  const onboardSeconds = (performance.now() - onboardStarted) / 1000;
  const offsetMs = await sandboxOffsetMs(context.pool, context.sandbox.id);
  const rig: Rig = {
    context,
    http: new KeepAliveClient(context.api.baseUrl, CONCURRENCY),
    watch: new SettlementWatch(context.pool, context.sandbox.id, offsetMs),
    customers,
  };
  const trips = await QueueRoundTrip.start(context.queues, WORKER_CONCURRENCY);
  try {
    // Warm both paths (JIT, pools, the worker's queues) before anything counts; the onboarding's
    // events are screened and relayed first (settle).
    await context.settle();
    const warmTopups = await topUpLoop(rig, CONCURRENCY, 'warm-up top-ups', timing.warmupMs);
    const warmTrips = await roundTripLoop(trips, CONCURRENCY, 'warm-up BullMQ round trips', timing.warmupMs / 2);
    const loaded = await compare(rig, trips, CONCURRENCY, timing.measureMs / 2);
    // The same with one in flight: the pipeline's own latency, without queueing behind other top-ups.
    const alone = await compare(rig, trips, 1, timing.measureMs / 2);
    await context.settle();

    const all = combineTopups([warmTopups, loaded.topups, alone.topups]);
    const byStatus = await statuses(context);
    const recorded = Object.values(byStatus).reduce((total, n) => total + n, 0);
    const notSucceeded = recorded - (byStatus.succeeded ?? 0);
    const accepted = all.statusCodes['202'] ?? 0;
    const tripRuns = [warmTrips, loaded.trips, alone.trips];
    const tripErrors = tripRuns.reduce((total, r) => total + r.load.errors, 0);
    const problems = [
      ...(recorded !== accepted ? [`the sandbox holds ${recorded} top-ups but ${accepted} were accepted (202)`] : []),
      ...(all.notSucceeded > notSucceeded ? [`${all.notSucceeded} top-ups were not seen succeeded within ${PATIENCE_MS / 1000} s`] : []),
      ...(all.connectionErrors > 0 ? [`${all.connectionErrors} connection errors over HTTP`] : []),
      ...(rig.watch.pollErrors > 0 ? [`${rig.watch.pollErrors} polls for settled top-ups failed`] : []),
      ...(tripErrors > 0
        ? [`${tripErrors} BullMQ round trips failed (first: ${tripRuns.find((r) => r.load.firstError)?.load.firstError})`]
        : []),
    ];
    const p50Goal = { on: 'ratio', op: '<=', target: 3, required: false } as const;
    const cpu = cpuPerOperation(loaded.topupCpu, loaded.topups.load.ops);
    // The product's processes; the runner (load generator and poll) is left out.
    const productCpu = cpu.api === null || cpu.worker === null || cpu.postgres === null ? Number.NaN : cpu.api + cpu.worker + cpu.postgres;
    const bounds = topupBounds(loaded, alone, await stages(context, offsetMs, alone.topups.succeeded));
    return {
      scenario: 'topup',
      measures:
        `POST /v1/topups { amount: ${AMOUNT}, channel: card } (test card ${CARD}) from ${CUSTOMERS} signed-in customers, ${CONCURRENCY} in flight, ` +
        `each loop sending its next top-up once the last is seen succeeded (the runner polls topup_topups every ${POLL_MS} ms): ` +
        `top-ups/s end to end and latency from sending the request to seeing it succeeded; then the same with one in flight. ` +
        `Non-2xx counts every run, warm-up included`,
      baseline:
        `a bare BullMQ round trip on the same queue backend (${context.queues.queueBackend()}) and namespace, in the runner process: ` +
        `Queue.add → a Worker (concurrency ${WORKER_CONCURRENCY}) whose processor only returns → the completion recorded ` +
        `in the backend, as the Worker reports it; as many in flight`,
      metrics: [
        metric('top-ups/s (vs BullMQ round trips/s)', 'ops/s', loaded.topups.load.opsPerSecond, loaded.trips.load.opsPerSecond, {
          on: 'value',
          op: '>=',
          target: 600,
          required: false,
          bound: bounds.rate,
        }),
        metric(
          'CPU per top-up, api + worker + PostgreSQL (vs round trip, machine)',
          'ms',
          productCpu,
          cpuPerOperation(loaded.tripCpu, loaded.trips.load.ops).machine,
          {
            on: 'value',
            op: '<=',
            target: 3,
            required: false,
            bound: bounds.cpu,
          },
        ),
        metric('p50 request → succeeded (vs round trip)', 'ms', loaded.topups.load.p50Ms, loaded.trips.load.p50Ms, p50Goal),
        metric('p99 request → succeeded (vs round trip)', 'ms', loaded.topups.load.p99Ms, loaded.trips.load.p99Ms),
        metric('one in flight: p50 (vs round trip)', 'ms', alone.topups.load.p50Ms, alone.trips.load.p50Ms, {
          on: 'value',
          op: '<=',
          target: 10,
          required: false,
          bound: bounds.latency,
        }),
        metric('one in flight: p99 (vs round trip)', 'ms', alone.topups.load.p99Ms, alone.trips.load.p99Ms),
        metric('non-2xx responses', 'count', all.non2xx, tripErrors, { on: 'value', op: '=', target: 0, required: true }),
        metric('top-ups not succeeded', 'count', notSucceeded, null, { on: 'value', op: '=', target: 0, required: true }),
      ],
      problems,
      details: {
        customers: CUSTOMERS,
        amount: AMOUNT,
        card: CARD,
        fraudRulesOff: FRAUD_RULES_OFF,
        limits: LIMITS,
        onboardSeconds: Math.round(onboardSeconds * 10) / 10,
        pollMs: POLL_MS,
        polls: rig.watch.polls,
        topupsByStatus: byStatus,
        firstError: all.load.firstError ?? null,
        loaded: { ...comparisonDetails(loaded), stages: await stages(context, offsetMs, loaded.topups.succeeded) },
        oneInFlight: { ...comparisonDetails(alone), stages: bounds.stages },
        warmUp: {
          topups: { succeeded: warmTopups.load.ops, errors: warmTopups.load.errors, perSecond: Math.round(warmTopups.load.opsPerSecond) },
          roundTrips: { completed: warmTrips.load.ops, errors: warmTrips.load.errors, perSecond: Math.round(warmTrips.load.opsPerSecond) },
        },
      },
    };
  } finally {
    await trips.close();
    await rig.watch.close();
    rig.http.close();
  }
}

export const topupScenario: Scenario = { name: 'topup', run };
