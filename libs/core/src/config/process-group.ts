import cluster, { type Worker } from 'node:cluster';
import { stopWithLauncher } from './process-main.js';

/** What a forked process sends its supervisor once it serves (the api listens, the worker consumes). */
const READY = 'wallet-sandbox:ready';
/** A process asking its supervisor for every process's metrics, and the answer. */
const METRICS = 'wallet-sandbox:metrics';

interface MetricsMessage {
  type: typeof METRICS;
  id: string;
  text?: string;
  error?: string;
}

const isMetricsMessage = (message: unknown): message is MetricsMessage =>
  typeof message === 'object' && message !== null && (message as MetricsMessage).type === METRICS;

/**
 * Several processes of one program (API_PROCESSES, WORKER_PROCESSES): the
 * process started becomes their supervisor, through Node's cluster module.
 * It forks `count` of them (the api's share its port: the supervisor hands
 * each new connection to the next, round-robin), starts a replacement for
 * one that dies once it was serving, stops them all when one fails before
 * it served (a setting or a service that is wrong for one is wrong for
 * every replacement), and on SIGTERM or SIGINT asks each to stop (each then
 * stops as on SIGTERM, gracefully: see stopWithLauncher), ending once they
 * have. Returns true in the supervisor, false where the
 * program itself runs: a forked process, or a count of one.
 */
export function superviseProcesses(name: string, count: number): boolean {
  if (count <= 1 || !cluster.isPrimary) return false;
  const serving = new Set<number>();
  const live = new Set<Worker>();
  let stopping: { code: number } | null = null;

  // A serving process is asked over its channel, not by a signal: one that got the terminal's Ctrl-C itself must
  // not get a second. One still starting has no one listening on its channel yet: SIGTERM ends it.
  const stop = (code: number): void => {
    stopping ??= { code };
    if (live.size === 0) process.exit(stopping.code);
    for (const worker of live) {
      if (!serving.has(worker.id)) worker.process.kill('SIGTERM');
      else if (worker.isConnected()) worker.disconnect();
    }
  };
  const fork = (): void => {
    const worker = cluster.fork();
    live.add(worker);
    worker.on('message', (message) => {
      if (message === READY) serving.add(worker.id);
      else if (isMetricsMessage(message)) void answerMetrics(worker, message.id);
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const served = serving.delete(worker.id);
    if (stopping) {
      if (live.size === 0) process.exit(stopping.code);
      return;
    }
    const how = signal ?? `exit code ${code}`;
    if (!served) {
      process.stderr.write(`${name} process ${worker.process.pid} ended before it served (${how}); stopping the others\n`);
      stop(1);
      return;
    }
    process.stderr.write(`${name} process ${worker.process.pid} ended (${how}); starting another in its place\n`);
    fork();
  });
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  stopWithLauncher();
  for (let i = 0; i < count; i += 1) fork();
  return true;
}

let aggregator: { clusterMetrics(): Promise<string> } | undefined;

/** Every process's metrics added up (prom-client's AggregatorRegistry asks each), for the one that was scraped. */
async function answerMetrics(worker: Worker, id: string): Promise<void> {
  try {
    // Loaded when first asked: a supervisor is otherwise only this module.
    const { AggregatorRegistry } = await import('prom-client');
    aggregator ??= new AggregatorRegistry();
    worker.send({ type: METRICS, id, text: await aggregator.clusterMetrics() } satisfies MetricsMessage);
  } catch (error) {
    worker.send({ type: METRICS, id, error: (error as Error).message } satisfies MetricsMessage);
  }
}

let asked = 0;

/**
 * In a supervised process: the metrics of every process of the group, as the
 * supervisor added them up. Rejects when one did not answer (one starting
 * in place of another, say), so that a scrape never passes a part for the
 * whole.
 */
export function groupMetrics(): Promise<string> {
  const id = String((asked += 1));
  return new Promise((resolve, reject) => {
    const settle = (message: unknown): void => {
      if (!isMetricsMessage(message) || message.id !== id) return;
      process.off('message', settle);
      clearTimeout(timer);
      if (message.text === undefined) reject(new Error(`the supervisor could not gather metrics: ${message.error}`));
      else resolve(message.text);
    };
    const timer = setTimeout(() => {
      process.off('message', settle);
      reject(new Error('the supervisor did not answer with metrics'));
    }, 10_000);
    process.on('message', settle);
    process.send?.({ type: METRICS, id } satisfies MetricsMessage);
  });
}

/** True in a process a supervisor started (API_PROCESSES or WORKER_PROCESSES above one). */
export const isSupervised = (): boolean => cluster.isWorker;

/** Tells the supervisor, if there is one, that this process now serves: from here on a death is replaced. */
export function announceServing(): void {
  if (cluster.isWorker) process.send?.(READY);
}
