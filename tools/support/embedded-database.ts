import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The superuser, and the system user that owns the cluster when started as root. */
export const POSTGRES_USER = 'postgres';

/** `durable`: a developer's data, kept between runs. `scratch`: a test run's, fast and thrown away. */
export type KeeperMode = 'durable' | 'scratch';

export type KeeperMessage = { type: 'ready'; port: number; password: string } | { type: 'failed'; message: string };

export function stateFiles(stateDir: string): { data: string; password: string; log: string } {
  return { data: join(stateDir, 'postgres'), password: join(stateDir, 'postgres.password'), log: join(stateDir, 'postgres.log') };
}

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** The compiled keeper, whether this module runs compiled or from source (Jest). */
function keeperScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'dist', 'tools', 'support', 'database-keeper.js');
}

/**
 * A PostgreSQL server of the sandbox's own, for machines without one:
 * started by a keeper process (database-keeper.ts) in a process group of
 * its own, so Ctrl-C reaches the api and the worker first and the database
 * stops after them, and so the server stops when this process dies.
 */
export class EmbeddedDatabase {
  private stopping = false;

  private constructor(
    private readonly keeper: ChildProcess,
    private readonly exited: Promise<void>,
    readonly port: number,
    private readonly password: string,
    readonly dataDir: string,
    readonly logFile: string,
  ) {}

  static async start(stateDir: string, mode: KeeperMode): Promise<EmbeddedDatabase> {
    const absolute = resolve(stateDir);
    mkdirSync(absolute, { recursive: true });
    const files = stateFiles(absolute);
    const keeper = spawn(process.execPath, [keeperScript(), absolute, mode], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true,
    });
    let stderr = '';
    keeper.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<void>((done) => keeper.once('exit', () => done()));
    const answer = await Promise.race([
      new Promise<KeeperMessage>((done) => keeper.once('message', (message) => done(message as KeeperMessage))),
      exited.then((): KeeperMessage => ({ type: 'failed', message: stderr.trim() || 'its keeper exited' })),
      sleep(START_TIMEOUT_MS, undefined, { ref: false }).then((): KeeperMessage => ({
        type: 'failed',
        message: `not ready within ${START_TIMEOUT_MS / 1000} s`,
      })),
    ]);
    if (answer.type === 'failed') {
      keeper.kill('SIGTERM');
      throw new Error(
        `The embedded PostgreSQL did not start: ${answer.message}\nSet DATABASE_URL to use a PostgreSQL server of your own instead.`,
      );
    }
    return new EmbeddedDatabase(keeper, exited, answer.port, answer.password, files.data, files.log);
  }

  /** A URL of one database on this server. */
  url(database = 'postgres'): string {
    return `postgres://${POSTGRES_USER}:${this.password}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /** Called once with a reason if the server goes away without being asked to. */
  onFailure(listener: (reason: string) => void): void {
    let told = false;
    const fail = (reason: string): void => {
      if (told || this.stopping) return;
      told = true;
      listener(reason);
    };
    this.keeper.on('message', (message: KeeperMessage) => message.type === 'failed' && fail(message.message));
    void this.exited.then(() => fail(`its keeper process ended; see ${this.logFile}`));
  }

  /** A fast shutdown (open sessions are ended); resolves once the server and its keeper are gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.keeper.exitCode !== null || this.keeper.signalCode !== null) return;
    if (this.keeper.connected) this.keeper.send('stop');
    else this.keeper.kill('SIGTERM');
    const gone = await Promise.race([this.exited.then(() => true), sleep(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => false)]);
    if (!gone) throw new Error(`the embedded PostgreSQL did not stop within ${STOP_TIMEOUT_MS / 1000} s; see ${this.logFile}`);
  }
}
