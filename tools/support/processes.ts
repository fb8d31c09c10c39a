import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TAIL_LINES = 40;

/** A built process of the project, run as a child with its output kept (the last lines) for error reports. */
export class ServiceProcess {
  private readonly lines: string[] = [];
  private stopping = false;
  readonly exited: Promise<void>;
  /** Set when the process ended without being asked to. */
  crash?: string;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => this.keep(chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.crash = `${name} exited unexpectedly (${signal ?? `code ${code}`})`;
        resolve();
      });
    });
  }

  static start(name: string, root: string, script: string, env: NodeJS.ProcessEnv): ServiceProcess {
    const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist', script)], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  tail(): string {
    return this.lines.map((line) => `    ${this.name}| ${line}`).join('\n');
  }

  /** SIGTERM (graceful: active jobs finish, pools close); SIGKILL if it is still there after the grace period. */
  async stop(graceMs = 10_000): Promise<string> {
    if (!this.running) return `${this.name} had already stopped`;
    this.stopping = true;
    const started = Date.now();
    this.child.kill('SIGTERM');
    // Unreferenced: a process that stops at once must not keep the caller's event loop alive for the grace period.
    const gone = await Promise.race([this.exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
    if (gone) return `${this.name} stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`;
    this.child.kill('SIGKILL');
    await this.exited;
    return `${this.name} ignored SIGTERM for ${graceMs / 1000} s and was killed`;
  }

  private keep(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.lines.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
    }
  }
}

/** Polls GET /health/ready; fails at once if a process dies while starting. */
export async function waitUntilReady(baseUrl: string, processes: ServiceProcess[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = processes.find((p) => !p.running);
    if (dead) throw new Error(`${dead.crash ?? `${dead.name} stopped`} while starting:\n${dead.tail()}`);
    try {
      if ((await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the api was not ready at ${baseUrl}/health/ready within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}
