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
 * A process its launcher started with an IPC channel (`npm start`) stops,
 * gracefully, when the launcher goes away however it ended: a launcher
 * killed outright leaves no api or worker behind.
 */
export function stopWithLauncher(): void {
  if (!process.channel) return;
  // The channel alone must not keep the process alive.
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
