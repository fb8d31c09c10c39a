import { Agent, type OutgoingHttpHeaders, request } from 'node:http';
import { type RecordableHistogram, createHistogram, performance } from 'node:perf_hooks';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { type HttpRun, latencyDetails } from './http-load.js';
import { type LoadResult, summarize } from './measure.js';
import { startBar } from '../../tools/support/progress.js';

/** How the schedule went: compare the achieved rate (load.opsPerSecond) with the target. */
export interface Pace {
  targetPerSecond: number;
  /** How late the runner started operations after their scheduled times: its own lag, already in the latencies. */
  lateMs: ReturnType<typeof latencyDetails>;
}

export interface PacedRun extends Pace {
  /** Latencies run from each operation's scheduled time, so a wait for a free connection counts. */
  load: LoadResult;
  /** Completions in the busiest 100 ms, as a rate per second: near the target when the pace held. */
  busiestRate: number;
}

export interface PacedOptions {
  label: string;
  ratePerSecond: number;
  durationMs: number;
  /** One operation; it fails by throwing. */
  op: () => Promise<void>;
  /** Ends the schedule early once true (nothing left to send); checked before each operation. */
  stop?: () => boolean;
}

const msToNs = (ms: number): number => Math.max(1, Math.round(ms * 1e6));
const percentilesMs = (histogram: RecordableHistogram) => latencyDetails(summarize(histogram, histogram.count, 0, 0));

/**
 * Open loop at an even pace: operation i is due at start + i / rate and is
 * started then whatever is still in flight, unlike autocannon's overallRate,
 * which sends each connection's share of a second in a burst at its start.
 * Each latency runs from the due time, not from the actual start, so a late
 * runner or a saturated pool cannot hide the wait (coordinated omission).
 * Operations in flight at the end finish and count.
 */
export async function pacedLoop(options: PacedOptions): Promise<PacedRun> {
  const intervalMs = 1000 / options.ratePerSecond;
  const scheduled = Math.floor((options.durationMs / 1000) * options.ratePerSecond);
  const latencies = createHistogram();
  const lateness = createHistogram();
  const per100ms: number[] = [];
  const state = { next: 0, ops: 0, errors: 0, firstError: undefined as string | undefined };
  const inFlight: Array<Promise<void>> = [];
  const bar = startBar(options.label, options.durationMs);
  const started = performance.now();
  const dueAt = (i: number): number => started + i * intervalMs;
  const progress = (seconds: number): string =>
    `${state.ops} ops, ${Math.round(state.ops / seconds)}/s of ${Math.round(options.ratePerSecond)}/s`;
  const ticker = setInterval(() => {
    const elapsed = performance.now() - started;
    bar.update(elapsed, progress(elapsed / 1000));
  }, 250);

  // Async, so an operation that throws at once fails like one that rejects.
  const run = async (due: number): Promise<void> => {
    lateness.record(msToNs(performance.now() - due));
    try {
      await options.op();
      state.ops += 1;
    } catch (error) {
      state.errors += 1;
      state.firstError ??= error instanceof Error ? error.message : String(error);
    }
    const now = performance.now();
    latencies.record(msToNs(now - due));
    const slot = Math.floor((now - started) / 100);
    per100ms[slot] = (per100ms[slot] ?? 0) + 1;
  };
  try {
    await new Promise<void>((resolve) => {
      // Starts every operation now due (several when the timer fired late), then sleeps until the next one is.
      const tick = (): void => {
        while (state.next < scheduled && dueAt(state.next) <= performance.now() && !options.stop?.())
          inFlight.push(run(dueAt(state.next++)));
        if (state.next >= scheduled || options.stop?.()) resolve();
        else setTimeout(tick, dueAt(state.next) - performance.now());
      };
      tick();
    });
    await Promise.all(inFlight);
  } finally {
    clearInterval(ticker);
  }
  // n operations own n intervals of the schedule: a run that kept pace achieves the target, one that fell behind ends later.
  const seconds = Math.max(performance.now() - started, state.next * intervalMs) / 1000;
  bar.stop(progress(seconds));
  return {
    load: summarize(latencies, state.ops, state.errors, seconds, state.firstError),
    busiestRate: 10 * Math.max(0, ...per100ms.filter((count) => count !== undefined)),
    targetPerSecond: options.ratePerSecond,
    lateMs: percentilesMs(lateness),
  };
}

/** One HTTP request of a paced run. */
export interface PacedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface PacedHttpOptions extends Omit<PacedOptions, 'op'> {
  baseUrl: string;
  /** The keep-alive connections at most: requests beyond them wait for one, and the wait counts. */
  connections: number;
  /** Built when the request is due. */
  request: () => PacedRequest;
}

export type PacedHttpRun = HttpRun & Pace;

/** As autocannon's timeout: a connection silent this long fails its request. */
const TIMEOUT_MS = 10_000;

class TimeoutError extends Error {
  constructor() {
    super(`no answer within ${TIMEOUT_MS} ms`);
  }
}

const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** The answer's status, and its body when it is not 2xx (to name the first failure). */
function send(agent: Agent, url: URL, paced: PacedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...paced.headers, 'content-length': Buffer.byteLength(paced.body) };
    const outgoing = request(
      { agent, hostname: url.hostname, port: url.port, method: paced.method, path: paced.path, headers },
      (answer) => {
        const status = answer.statusCode ?? 0;
        const chunks: Buffer[] = [];
        if (is2xx(status)) answer.resume();
        else answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString() }));
        answer.on('error', reject);
      },
    );
    outgoing.setTimeout(TIMEOUT_MS, () => outgoing.destroy(new TimeoutError()));
    outgoing.on('error', reject);
    outgoing.end(paced.body);
  });
}

/** pacedLoop over at most `connections` keep-alive connections (node:http Agent), counted like httpLoad's runs. */
export async function pacedHttp(options: PacedHttpOptions): Promise<PacedHttpRun> {
  const url = new URL(options.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const statusCodes: Record<string, number> = {};
  const counts = { non2xx: 0, connectionErrors: 0, timeouts: 0 };
  try {
    const run = await pacedLoop({
      ...options,
      op: async () => {
        const { status, body } = await send(agent, url, options.request()).catch((error: unknown) => {
          counts.connectionErrors += 1;
          if (error instanceof TimeoutError) counts.timeouts += 1;
          throw error;
        });
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        if (!is2xx(status)) {
          counts.non2xx += 1;
          throw new Error(`HTTP ${status}: ${body.slice(0, 200)}`);
        }
      },
    });
    return { ...run, ...counts, statusCodes };
  } finally {
    agent.destroy();
  }
}

/** The JSON report's view of how a paced run kept its schedule. */
export const paceDetails = (run: Pace & { load: LoadResult }) => ({
  targetPerSecond: run.targetPerSecond,
  achievedPerSecond: run.load.opsPerSecond,
  lateMs: run.lateMs,
});
