import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The installed command, as npm links it (`npx wallet-sandbox`), built by `npm run build`. */
export const WALLET_SANDBOX = resolve('node_modules/.bin/wallet-sandbox');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  errors: () => string;
  done: Promise<Run>;
}

/** Runs `wallet-sandbox <args>` against an api; only PATH is passed on, so no key comes from the environment. */
export function startCli(url: string | null, args: string[]): Running {
  const started = performance.now();
  const child = spawn(WALLET_SANDBOX, [...(url ? ['--url', url] : []), ...args], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Run>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) })),
  );
  return { child, output: () => stdout, errors: () => stderr, done };
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
