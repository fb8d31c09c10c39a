import { type RecordableHistogram, createHistogram, performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { startBar } from '../../tools/support/progress.js';

/** What a closed-loop measurement saw. Latencies are per operation, queueing for a pool connection included. */
export interface LoadResult {
  ops: number;
  errors: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
  histogram: RecordableHistogram;
}

export interface LoadOptions {
  label: string;
  /** Operations in flight at once: each loop starts its next as soon as its last one ends. */
  concurrency: number;
  durationMs: number;
  /** One operation; `loop` is the index of the loop running it (0..concurrency-1). */
  op: (loop: number) => Promise<void>;
  /** Ends every loop early once true (nothing left to send); checked before each operation. */
  stop?: () => boolean;
}

const NS_PER_MS = 1e6;

/** Runs `op` in `concurrency` loops until the time is up (or `stop`); operations in flight at the deadline finish and count. */
export async function closedLoop(options: LoadOptions): Promise<LoadResult> {
  const histogram = createHistogram();
  const state = { ops: 0, errors: 0, firstError: undefined as string | undefined };
  const bar = startBar(options.label, options.durationMs);
  const started = performance.now();
  const deadline = started + options.durationMs;
  const ticker = setInterval(() => {
    const elapsed = performance.now() - started;
    bar.update(elapsed, `${state.ops} ops, ${Math.round(state.ops / (elapsed / 1000))}/s`);
  }, 250);

  const run = async (loop: number): Promise<void> => {
    while (performance.now() < deadline && !options.stop?.()) {
      const t0 = process.hrtime.bigint();
      try {
        await options.op(loop);
        state.ops += 1;
      } catch (error) {
        state.errors += 1;
        state.firstError ??= error instanceof Error ? error.message : String(error);
      }
      histogram.record(process.hrtime.bigint() - t0 || 1n);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, loop) => run(loop)));
  } finally {
    clearInterval(ticker);
  }
  const seconds = (performance.now() - started) / 1000;
  bar.stop(`${state.ops} ops, ${Math.round(state.ops / seconds)}/s`);
  return summarize(histogram, state.ops, state.errors, seconds, state.firstError);
}

/** Folds measurements of the same thing taken in parts (see interleave) into one. */
export function combine(parts: LoadResult[]): LoadResult {
  const histogram = createHistogram();
  for (const part of parts) histogram.add(part.histogram);
  const sum = (pick: (r: LoadResult) => number): number => parts.reduce((total, part) => total + pick(part), 0);
  return summarize(
    histogram,
    sum((r) => r.ops),
    sum((r) => r.errors),
    sum((r) => r.seconds),
    parts.find((r) => r.firstError)?.firstError,
  );
}

/** A LoadResult from a histogram of latencies in ns and the counts around it. */
export function summarize(histogram: RecordableHistogram, ops: number, errors: number, seconds: number, firstError?: string): LoadResult {
  const empty = histogram.count === 0;
  return {
    ops,
    errors,
    seconds,
    opsPerSecond: ops / seconds,
    p50Ms: empty ? 0 : histogram.percentile(50) / NS_PER_MS,
    p99Ms: empty ? 0 : histogram.percentile(99) / NS_PER_MS,
    firstError,
    histogram,
  };
}

/** Runs `work` over `items`, `concurrency` at a time, with a bar; the first failure stops it. */
export async function forEachConcurrently<T>(
  label: string,
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const bar = startBar(label, items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const loop = async (): Promise<void> => {
    while (next < items.length && !failed) {
      try {
        await work(items[next++]);
      } catch (error) {
        failed = true;
        throw error;
      }
      bar.update(++done, `${done}/${items.length}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, loop));
  } finally {
    bar.stop(`${done}/${items.length}`);
  }
}
