import { EnvironmentError } from './environment.js';

/**
 * Runs a process's main. A configuration problem ends it with its message
 * alone; anything else is a bug, told with its stack.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof EnvironmentError ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
    process.exit(1);
  });
}

/**
 * A process its launcher started with an IPC channel (`npm start`, or the
 * supervisor of several processes) stops, gracefully, when the launcher
 * goes away however it ended, or closes the channel to ask it to: a launcher
 * killed outright leaves no api or worker behind. A process already
 * stopping on a signal of its own is left to finish.
 */
export function stopWithLauncher(): void {
  if (!process.channel) return;
  // The channel alone must not keep the process alive.
  process.channel.unref();
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => (stopping = true));
  process.once('disconnect', () => {
    if (!stopping) process.kill(process.pid, 'SIGTERM');
  });
}
