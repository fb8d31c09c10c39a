import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../../apps/migrate/src/run-migrations.js';
import { REDIS_URL, databaseUrl, deleteRedisKeys, dropDatabase, freePort, recreateDatabase } from '../../bench/support/infra.js';
import { ServiceProcess, waitUntilReady } from '../../bench/support/processes.js';
import { QueueWatch } from '../../bench/support/queues.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Two quiet looks in a row: a job that finishes between the outbox check and the queue check may have written new events. */
const QUIET_LOOKS = 2;

/**
 * A Wallet Sandbox of the demo's own: a fresh database, a Redis key prefix
 * and the built api and worker on a free loopback port, so a replay never
 * touches a developer's data. `stop` removes all of it and may be called
 * any number of times (at the end, on failure, on Ctrl-C).
 */
export class PrivateSandbox {
  private processes: ServiceProcess[] = [];
  private queues?: QueueWatch;
  private pool?: pg.Pool;
  private databaseCreated = false;
  private stopped?: Promise<void>;
  baseUrl = '';
  readonly adminToken = randomBytes(24).toString('hex');
  private readonly database = `wallet_sandbox_demo_${process.pid}`;
  private readonly queuePrefix = `wsd_demo_${process.pid}`;

  /** Each step is named to `step` as it starts. */
  async start(step: (what: string) => void): Promise<void> {
    step(`database ${this.database}`);
    await recreateDatabase(this.database);
    this.databaseCreated = true;
    step('migrations');
    await runMigrations(databaseUrl(this.database));
    step('api and worker');
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    const env = this.environment(port);
    this.processes = [
      ServiceProcess.start('api', ROOT, 'apps/api/src/main.js', env),
      ServiceProcess.start('worker', ROOT, 'apps/worker/src/main.js', env),
    ];
    await waitUntilReady(this.baseUrl, this.processes);
    this.queues = new QueueWatch(REDIS_URL, this.queuePrefix);
    this.pool = new pg.Pool({ connectionString: databaseUrl(this.database), max: 2, application_name: 'wallet-sandbox-demo' });
  }

  /**
   * Waits until the worker has relayed every event and finished every job
   * they started: what the customers and the operator do next then sees
   * every consequence of what came before, so a seed replays the same way.
   */
  async settle(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let quiet = 0; quiet < QUIET_LOOKS;) {
      this.assertRunning();
      quiet = (await this.idle()) ? quiet + 1 : 0;
      if (Date.now() > deadline) throw new Error(`the worker did not settle within ${timeoutMs / 1000} s`);
      await sleep(quiet > 0 ? 20 : 10);
    }
  }

  stop(): Promise<void> {
    this.stopped ??= this.removeEverything();
    return this.stopped;
  }

  private async idle(): Promise<boolean> {
    const pool = this.pool as pg.Pool;
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL');
    return rows[0].n === 0 && (await (this.queues as QueueWatch).pending()) === 0;
  }

  private assertRunning(): void {
    const dead = this.processes.find((p) => !p.running);
    if (dead) throw new Error(`${dead.crash ?? `${dead.name} stopped`}:\n${dead.tail()}`);
  }

  private environment(port: number): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: databaseUrl(this.database),
      REDIS_URL,
      ADMIN_TOKEN: this.adminToken,
      QUEUE_PREFIX: this.queuePrefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: this.baseUrl,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      // The demo is every customer's and attacker's proxy: each request names its client in X-Forwarded-For.
      TRUSTED_PROXIES: '127.0.0.1,::1',
    };
  }

  /** Every step is tried, whatever failed before it, so a broken start still leaves nothing behind. */
  private async removeEverything(): Promise<void> {
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['stop the api and worker', () => Promise.all(this.processes.map((p) => p.stop()))],
      ['close the queue clients', async () => this.queues?.close()],
      ['close the database pool', async () => this.pool?.end()],
      ['delete the Redis keys', () => deleteRedisKeys(this.queuePrefix)],
      ['drop the database', async () => this.databaseCreated && dropDatabase(this.database)],
    ];
    const failures: string[] = [];
    for (const [what, undo] of steps) {
      await undo().catch((error: unknown) => failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
    }
    if (failures.length > 0) throw new Error(`cleaning up failed (${failures.join('; ')})`);
  }
}
