import autocannon from 'autocannon';
import { createHistogram, performance } from 'node:perf_hooks';
import { type LoadResult, combine, summarize } from './measure.js';
import { startBar } from '../../tools/support/progress.js';

/** What one autocannon run saw. */
export interface HttpRun {
  /** ops are 2xx responses; errors are non-2xx responses and connection errors. */
  load: LoadResult;
  non2xx: number;
  /** Connection errors, timeouts included. */
  connectionErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Responses in the busiest 100 ms, as a rate per second: far above the mean rate when the load comes in bursts. */
  busiestRate: number;
}

export interface HttpLoadOptions {
  baseUrl: string;
  label: string;
  connections: number;
  durationMs: number;
  /** The request; its setupRequest, if any, runs before every request sent. */
  request: autocannon.Request;
  /** Called with a stop function once the run is set up (each connection's first request is already built), for a setupRequest with nothing left to send. */
  onStart?: (stop: () => void) => void;
}

/** Keep-alive connections sending `request` for `durationMs`, with a bar; latencies in our own histogram. */
export async function httpLoad(options: HttpLoadOptions): Promise<HttpRun> {
  const bar = startBar(options.label, options.durationMs);
  // Our own histogram (ns, like the raw baselines') rather than autocannon's whole milliseconds.
  const latencies = createHistogram();
  const started = performance.now();
  let responses = 0;
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationMs / 1000,
    timeout: 10,
    requests: [options.request],
  });
  options.onStart?.(() => instance.stop());
  const per100ms: number[] = [];
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    latencies.record(Math.max(1, Math.round(ms * 1e6)));
    const slot = Math.floor((performance.now() - started) / 100);
    per100ms[slot] = (per100ms[slot] ?? 0) + 1;
  });
  instance.on('tick', ({ counter }: { counter: number }) => {
    responses += counter;
    const elapsed = performance.now() - started;
    bar.update(elapsed, `${responses} req, ${Math.round(responses / (elapsed / 1000))}/s`);
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  bar.stop(`${result['2xx']} req, ${Math.round(result['2xx'] / seconds)}/s${result.non2xx > 0 ? `, ${result.non2xx} non-2xx` : ''}`);
  return {
    load: summarize(latencies, result['2xx'], result.non2xx + result.errors, seconds),
    non2xx: result.non2xx,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    busiestRate: 10 * Math.max(0, ...per100ms.filter((count) => count !== undefined)),
  };
}

/** Responses by status code over several runs. */
export function addStatusCodes(counts: Array<Record<string, number>>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const byCode of counts) for (const [code, count] of Object.entries(byCode)) total[code] = (total[code] ?? 0) + count;
  return total;
}

/** Folds runs of the same thing (see interleave) into one. */
export function combineHttp(runs: HttpRun[]): HttpRun {
  const statusCodes = addStatusCodes(runs.map((run) => run.statusCodes));
  const sum = (pick: (run: HttpRun) => number): number => runs.reduce((total, run) => total + pick(run), 0);
  return {
    load: combine(runs.map((run) => run.load)),
    non2xx: sum((run) => run.non2xx),
    connectionErrors: sum((run) => run.connectionErrors),
    timeouts: sum((run) => run.timeouts),
    statusCodes,
    busiestRate: Math.max(0, ...runs.map((run) => run.busiestRate)),
  };
}

/** Percentiles for the JSON report, in ms. */
export const latencyDetails = (load: LoadResult) => ({
  p50: load.p50Ms,
  p90: load.histogram.count ? load.histogram.percentile(90) / 1e6 : 0,
  p99: load.p99Ms,
  max: load.histogram.count ? load.histogram.max / 1e6 : 0,
});

/** The JSON report's view of an HTTP run. */
export const httpDetails = (run: HttpRun) => ({
  responses2xx: run.load.ops,
  seconds: run.load.seconds,
  statusCodes: run.statusCodes,
  connectionErrors: run.connectionErrors,
  timeouts: run.timeouts,
  latencyMs: latencyDetails(run.load),
  busiest100msPerSecond: Math.round(run.busiestRate),
});
