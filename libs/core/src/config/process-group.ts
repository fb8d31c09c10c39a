import cluster, { type Worker } from 'node:cluster';
import { stopWithLauncher } from './process-main.js';

/** What a forked process sends its supervisor once it serves (the api listens, the worker consumes). */
const READY = 'wallet-sandbox:ready';

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

  // Asked over the channel, not by a signal: a process that got the terminal's Ctrl-C itself must not get a second.
  const stop = (code: number): void => {
    stopping ??= { code };
    if (live.size === 0) process.exit(stopping.code);
    for (const worker of live) if (worker.isConnected()) worker.disconnect();
  };
  const fork = (): void => {
    const worker = cluster.fork();
    live.add(worker);
    worker.on('message', (message) => {
      if (message === READY) serving.add(worker.id);
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

/** Tells the supervisor, if there is one, that this process now serves: from here on a death is replaced. */
export function announceServing(): void {
  if (cluster.isWorker) process.send?.(READY);
}
