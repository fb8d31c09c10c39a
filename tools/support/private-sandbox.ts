import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type DatabaseTopology, Environment, QUEUE_BACKENDS, type QueueBackend, validateEnvironment } from '#core';
import { runMigrations } from '../../apps/migrate/src/run-migrations.js';
import { freePort } from './ports.js';
import { PostgresServer } from './postgres-server.js';
import { ServiceProcess, waitUntilReady } from './processes.js';
import { QueueWatch, backlog, deleteQueueKeys, waitUntilSettled } from './queues.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface PrivateSandboxOptions {
  /** Names the database and the queue prefix (with the process id): `wallet_sandbox_<name>_<pid>`. */
  name: string;
  /** Where the queues run; by default as the developer's settings say (QUEUE_BACKEND, else Redis when REDIS_URL or REDIS_CLUSTER_NODES is set). */
  queueBackend?: QueueBackend;
  /** Settings of the api and the worker besides those the sandbox decides (database, queues, port, admin token). */
  settings?: Record<string, string>;
  /**
   * The database server and its topology; by default the one the settings
   * name (DATABASE_URL and DATABASE_TOPOLOGY, environment then .env), else an
   * embedded one. With `citus` the URL is a coordinator with its workers added.
   */
  server?: { url: string; topology: DatabaseTopology };
  /** Set on the sandbox's database (ALTER DATABASE … SET) before the api and the worker connect. */
  databaseSettings?: Record<string, string>;
}

/**
 * A Wallet Sandbox of a run's own (the demo, the benchmark): a fresh
 * database on the developer's PostgreSQL or an embedded one, a queue prefix
 * of its own on Redis or the queues in that database, and the built api
 * and worker on a free loopback port, so a run never touches a developer's
 * data. `stop` removes all of it and may be called any number of times (at
 * the end, on failure, on Ctrl-C).
 */
export class PrivateSandbox {
  processes: ServiceProcess[] = [];
  private server?: PostgresServer;
  private queues?: QueueWatch;
  private ownPool?: pg.Pool;
  private databaseCreated = false;
  private starting?: Promise<void>;
  private stopped?: Promise<void>;
  baseUrl = '';
  readonly adminToken = randomBytes(24).toString('hex');
  private readonly secretsKey = randomBytes(32).toString('base64');
  readonly database: string;
  readonly queuePrefix: string;
  readonly queueBackend: QueueBackend;
  readonly topology: DatabaseTopology;
  /** The settings the api and the worker run with, once started. */
  env?: Environment;

  /** Refuses at once a queue backend the developer's settings cannot run (Redis without REDIS_URL or REDIS_CLUSTER_NODES), before anything is created. */
  constructor(private readonly options: PrivateSandboxOptions) {
    this.database = `wallet_sandbox_${options.name}_${process.pid}`;
    this.queuePrefix = `ws_${options.name}_${process.pid}`;
    this.queueBackend = options.queueBackend ?? configuredQueueBackend();
    this.topology = options.server?.topology ?? (developerSettings().DATABASE_TOPOLOGY === 'citus' ? 'citus' : 'single');
    const { REDIS_URL, REDIS_CLUSTER_NODES } = developerSettings();
    if (this.queueBackend === 'redis' && !REDIS_URL && !REDIS_CLUSTER_NODES) {
      throw new Error('queues on Redis need REDIS_URL or REDIS_CLUSTER_NODES (in the environment or .env)');
    }
  }

  /** Each step is named to `step` as it starts. */
  start(step: (what: string) => void): Promise<void> {
    this.starting ??= this.startEverything(step);
    return this.starting;
  }

  private async startEverything(step: (what: string) => void): Promise<void> {
    step('database server');
    this.server = await PostgresServer.open(this.options.server);
    step(`database ${this.database} on ${this.server.description}${this.topology === 'citus' ? ' (a Citus coordinator)' : ''}`);
    await this.server.recreateDatabase(this.database);
    this.databaseCreated = true;
    await this.applyDatabaseSettings();
    step('migrations');
    await runMigrations(this.databaseUrl, undefined, this.topology);
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    const settings = this.settings(port);
    this.env = validateEnvironment(settings);
    const redis = this.env.REDIS_CLUSTER_NODES ? 'Redis Cluster' : 'Redis';
    step(`api and worker (queues on ${this.env.queueBackend() === 'redis' ? redis : 'PostgreSQL'})`);
    this.processes = [
      ServiceProcess.start('api', ROOT, 'apps/api/src/main.js', settings),
      ServiceProcess.start('worker', ROOT, 'apps/worker/src/main.js', settings),
    ];
    await waitUntilReady(this.baseUrl, this.processes);
    this.queues = new QueueWatch(this.env);
  }

  get databaseUrl(): string {
    return (this.server as PostgresServer).databaseUrl(this.database);
  }

  /** The database server's version, for reports. */
  serverVersion(): Promise<string> {
    return (this.server as PostgresServer).version();
  }

  /** A small pool of the run's own on the sandbox's database (the api's and the worker's are theirs). */
  get pool(): pg.Pool {
    this.ownPool ??= new pg.Pool({ connectionString: this.databaseUrl, max: 2, application_name: `wallet-sandbox-${this.options.name}` });
    return this.ownPool;
  }

  /**
   * Waits until the worker has relayed every event and finished every job
   * they started: what comes next then sees every consequence of what came
   * before, so a seed replays the same way.
   */
  settle(timeoutMs = 120_000): Promise<void> {
    return waitUntilSettled(this.pool, this.queues as QueueWatch, timeoutMs, () => this.assertRunning());
  }

  /** What the outbox and the queues still hold: events not relayed, and jobs not finished. */
  backlog(): Promise<{ events: number; jobs: number }> {
    return backlog(this.pool, this.queues as QueueWatch);
  }

  assertRunning(): void {
    const dead = this.processes.find((p) => !p.running);
    if (dead) throw new Error(`${dead.crash ?? `${dead.name} stopped`}:\n${dead.tail()}`);
  }

  /** Lets a start under way finish first (Ctrl-C while starting), so nothing it creates is left behind. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await this.starting?.catch(() => undefined);
      await this.removeEverything();
    })();
    return this.stopped;
  }

  private async applyDatabaseSettings(): Promise<void> {
    const entries = Object.entries(this.options.databaseSettings ?? {});
    if (entries.length === 0) return;
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'wallet-sandbox-tools' });
    await client.connect();
    try {
      for (const [name, value] of entries) {
        await client.query(
          `ALTER DATABASE ${client.escapeIdentifier(this.database)} SET ${client.escapeIdentifier(name)} = ${client.escapeLiteral(value)}`,
        );
      }
    } finally {
      await client.end();
    }
  }

  private settings(port: number): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      // Its own: a developer's .env does not choose the keys its rows are sealed with.
      SECRETS_KEY: this.secretsKey,
      ...this.options.settings,
      DATABASE_URL: this.databaseUrl,
      DATABASE_TOPOLOGY: this.topology,
      QUEUE_BACKEND: this.queueBackend,
      ADMIN_TOKEN: this.adminToken,
      QUEUE_PREFIX: this.queuePrefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: this.baseUrl,
    };
  }

  /** Every step is tried, whatever failed before it, so a broken start still leaves nothing behind. */
  private async removeEverything(): Promise<void> {
    const redis = this.queueBackend === 'redis' ? this.env : undefined;
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['stop the api and worker', () => Promise.all(this.processes.map((p) => p.stop()))],
      ['close the queue clients', async () => this.queues?.close()],
      ['close the database pool', async () => this.ownPool?.end()],
      ['delete the Redis keys', async () => redis && deleteQueueKeys(redis)],
      ['drop the database', async () => this.databaseCreated && this.server?.dropDatabase(this.database)],
      ['stop the database server', async () => this.server?.close()],
    ];
    const failures: string[] = [];
    for (const [what, undo] of steps) {
      await undo().catch((error: unknown) => failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
    }
    if (failures.length > 0) throw new Error(`cleaning up failed (${failures.join('; ')})`);
  }
}

/**
 * The queue backend the developer's settings choose, as the api and the
 * worker would read them (environment, then .env): QUEUE_BACKEND, else Redis
 * when REDIS_URL or REDIS_CLUSTER_NODES is set, else PostgreSQL.
 */
export function configuredQueueBackend(): QueueBackend {
  const { QUEUE_BACKEND, REDIS_URL, REDIS_CLUSTER_NODES } = developerSettings();
  if (QUEUE_BACKEND && !(QUEUE_BACKENDS as readonly string[]).includes(QUEUE_BACKEND)) {
    throw new Error(`QUEUE_BACKEND must be one of ${QUEUE_BACKENDS.join(', ')}`);
  }
  const redis = { REDIS_URL: REDIS_URL || undefined, REDIS_CLUSTER_NODES: REDIS_CLUSTER_NODES || undefined };
  return Object.assign(new Environment(), { QUEUE_BACKEND: QUEUE_BACKEND || undefined, ...redis }).queueBackend();
}

/** The environment, with what .env sets and the environment does not. */
export function developerSettings(): NodeJS.ProcessEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
