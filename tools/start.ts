/**
 * `npm start`: the sandbox on one machine in one command, with nothing but
 * Node.js. Creates `.env` on first run; without DATABASE_URL runs an
 * embedded PostgreSQL (data in `.wallet-sandbox/postgres/`), without
 * REDIS_URL or REDIS_CLUSTER_NODES keeps the queues in PostgreSQL; creates
 * the database if missing, applies migrations, runs the api and the worker,
 * seeds a demo sandbox and prints its keys and URLs. Ctrl-C stops the api and the worker, then the
 * database.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  type Environment,
  EnvironmentError,
  POSTGRES_QUEUE_SCHEMA,
  type WebhookReach,
  loadEnvironment,
  locationOf,
  randomSecret,
  redisLocation,
} from '#core';
import { runMigrations } from '../apps/migrate/src/run-migrations.js';
import type { EmbeddedDatabase } from './support/embedded-database.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..');
/** `npm start` runs in the project's directory: its settings and state live there. */
const ENV_FILE = '.env';
const STATE_DIR = '.wallet-sandbox';
const DEMO_FILE = join(STATE_DIR, 'demo.json');
const EMBEDDED_DATABASE = 'wallet_sandbox';

interface Demo {
  id: string;
  secretKey: string;
  publishableKey: string;
  wallets: string[];
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function writeDefaultEnv(): void {
  if (existsSync(ENV_FILE)) return;
  writeFileSync(
    ENV_FILE,
    [
      '# Written by `npm start` on first run; see .env.example for every setting.',
      `ADMIN_TOKEN=${randomSecret(40)}`,
      SECRETS_KEY_LINE,
      'PORT=3000',
      'LOG_LEVEL=info',
      '# Without DATABASE_URL, `npm start` runs an embedded PostgreSQL (data in .wallet-sandbox/postgres/).',
      '# DATABASE_URL=postgres://postgres@127.0.0.1:5432/wallet_sandbox',
      '# Without REDIS_URL, the queues, throttles and notices live in PostgreSQL.',
      '# REDIS_URL=redis://127.0.0.1:6379',
      '# Or a Redis Cluster, by some of its nodes (instead of REDIS_URL):',
      '# REDIS_CLUSTER_NODES=127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  say('Created .env with development settings, a fresh ADMIN_TOKEN and SECRETS_KEY.');
}

/** The root of the keys that seal secrets and sign tokens, apart from the admin token people type into browsers. */
const SECRETS_KEY_LINE = `SECRETS_KEY=${randomSecret(43)}`;

/** A .env of an earlier version has no SECRETS_KEY: one is added (what was sealed before still opens). */
function ensureSecretsKey(): void {
  const written = readFileSync(ENV_FILE, 'utf8');
  if (process.env.SECRETS_KEY || /^\s*SECRETS_KEY\s*=\s*\S/m.test(written)) return;
  const newline = written === '' || written.endsWith('\n') ? '' : '\n';
  appendFileSync(
    ENV_FILE,
    `${newline}# Added by \`npm start\`: the root of sealed values and derived keys (docs/configuration.md).\n${SECRETS_KEY_LINE}\n`,
  );
  say('Added a fresh SECRETS_KEY to .env.');
}

/** Creates the database DATABASE_URL names when its server has none of that name. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new EnvironmentError(
      [
        `DATABASE_URL: cannot reach PostgreSQL at ${locationOf(databaseUrl)} (${(error as Error).message}). ` +
          'Start it, correct DATABASE_URL, or remove DATABASE_URL to use the embedded PostgreSQL.',
      ],
      'Cannot start',
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      say(`Created database ${name}.`);
    }
  } finally {
    await client.end();
  }
}

async function assertPortFree(env: Environment): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new EnvironmentError(
              [`PORT: ${env.HOST}:${env.PORT} is already in use; stop what listens there or set PORT in .env`],
              'Cannot start',
            )
          : error,
      ),
    );
    server.listen(env.PORT, env.HOST, () => server.close(() => resolve()));
  });
}

/** The api and the worker: with an IPC channel, so they stop when this launcher goes away however it ends. */
function run(script: string): ChildProcess {
  return spawn(process.execPath, ['--enable-source-maps', join(DIST, script)], {
    env: process.env,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
}

async function waitUntilReady(baseUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the api did not become ready at ${baseUrl}/health/ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function api<T>(baseUrl: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Reuses the demo sandbox of an earlier start while its keys still work; otherwise seeds a new one. */
async function demoSandbox(baseUrl: string, env: Environment): Promise<Demo> {
  if (existsSync(DEMO_FILE)) {
    const saved = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as Demo;
    const probe = await fetch(`${baseUrl}/v1/sandbox/clock`, { headers: { authorization: `Bearer ${saved.secretKey}` } });
    if (probe.ok) return saved;
  }
  const sandbox = await api<Omit<Demo, 'wallets'>>(baseUrl, '/v1/sandboxes', env.ADMIN_TOKEN, { name: 'demo' });
  const wallets: string[] = [];
  for (const amount of [10_000, 3_000]) {
    const wallet = await api<{ id: string }>(baseUrl, '/v1/sandbox/wallets', sandbox.secretKey, {});
    await api(baseUrl, `/v1/sandbox/wallets/${wallet.id}/fund`, sandbox.secretKey, { amount });
    wallets.push(wallet.id);
  }
  const demo = { id: sandbox.id, secretKey: sandbox.secretKey, publishableKey: sandbox.publishableKey, wallets };
  mkdirSync(dirname(DEMO_FILE), { recursive: true });
  writeFileSync(DEMO_FILE, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}

async function databaseLine(env: Environment, embedded: EmbeddedDatabase | null): Promise<string> {
  if (!embedded && env.DATABASE_TOPOLOGY === 'citus')
    return `Citus coordinator at ${locationOf(env.DATABASE_URL)} (DATABASE_URL, DATABASE_TOPOLOGY=citus)`;
  if (!embedded) return `PostgreSQL at ${locationOf(env.DATABASE_URL)} (DATABASE_URL)`;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ version: string }>(`SELECT current_setting('server_version') AS version`);
  await client.end();
  return `embedded PostgreSQL ${rows[0].version} on 127.0.0.1:${embedded.port}, data in ${relative('.', embedded.dataDir)}/`;
}

/** The console, opened on a sandbox: its keys go in the URL's fragment, kept in the browser tab only. */
export function consoleLink(baseUrl: string, sandbox: Pick<Demo, 'secretKey' | 'publishableKey'>): string {
  return `${baseUrl}/console/#sk=${sandbox.secretKey}&pk=${sandbox.publishableKey}`;
}

/** Where webhooks may go, as the banner says it (see DeliveryTargets). */
const WEBHOOK_REACH: Record<WebhookReach, string> = {
  public: 'public addresses only (WEBHOOK_ALLOW_PRIVATE_TARGETS=false)',
  loopback: 'public addresses and this machine; private networks with WEBHOOK_ALLOW_PRIVATE_TARGETS=true',
  private: 'public addresses, this machine and private networks (WEBHOOK_ALLOW_PRIVATE_TARGETS=true)',
};

function banner(baseUrl: string, env: Environment, demo: Demo, database: string): void {
  say();
  say('Wallet Sandbox is running.');
  say();
  say(`  Console        ${consoleLink(baseUrl, demo)}`);
  say(`                 (opens the demo sandbox; the keys ride in the fragment, which the browser never sends)`);
  say(`  API            ${baseUrl}/v1`);
  say(`  API docs       ${baseUrl}/docs   (OpenAPI: ${baseUrl}/openapi.json)`);
  say(`  Queues         ${baseUrl}/admin/queues   (user: admin, password: the admin token)`);
  say(`  Health         ${baseUrl}/health/ready   Metrics: ${baseUrl}/metrics`);
  say();
  say(`  Database       ${database}`);
  const redis = env.queueBackend() === 'redis' ? redisLocation(env) : null;
  say(
    `  Queue backend  ${
      redis
        ? `${redis.description} (${redis.setting})`
        : `PostgreSQL (BullMQ's own backend, schema ${POSTGRES_QUEUE_SCHEMA}; set REDIS_URL or REDIS_CLUSTER_NODES to use Redis)`
    }`,
  );
  say(`  Webhooks       ${WEBHOOK_REACH[env.webhookReach()]}`);
  if (env.API_PROCESSES > 1 || env.WORKER_PROCESSES > 1) {
    say(`  Processes      ${env.API_PROCESSES} api, ${env.WORKER_PROCESSES} worker (API_PROCESSES, WORKER_PROCESSES)`);
  }
  say();
  say(`  Admin token    ${env.ADMIN_TOKEN}`);
  say(`  Demo sandbox   ${demo.id}`);
  say(`    secret key       ${demo.secretKey}`);
  say(`    publishable key  ${demo.publishableKey}`);
  say(`    wallets          ${demo.wallets.join(', ')}`);
  say();
  say('  Try:');
  say(`    curl -s ${baseUrl}/v1/sandbox/wallets/${demo.wallets[0]} -H "Authorization: Bearer ${demo.secretKey}"`);
  say(`    curl -s ${baseUrl}/v1/reports/reconciliation -H "Authorization: Bearer ${demo.secretKey}"`);
  say();
  say('Press Ctrl-C to stop.');
}

async function main(): Promise<void> {
  writeDefaultEnv();
  ensureSecretsKey();
  process.loadEnvFile(ENV_FILE);
  let embedded: EmbeddedDatabase | null = null;
  const children: ChildProcess[] = [];
  let stopping: Promise<void> | undefined;
  /** The api and the worker first (they finish what they are doing), then the database they use. */
  const stop = (signal: NodeJS.Signals, code: number): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(
        children.map((child) =>
          child.exitCode !== null || child.signalCode !== null
            ? undefined
            : new Promise((resolve) => {
                child.once('exit', resolve);
                child.kill(signal);
              }),
        ),
      );
      await embedded?.stop();
      process.exit(code);
    })();
    return stopping;
  };
  process.on('SIGINT', () => void stop('SIGINT', 130));
  process.on('SIGTERM', () => void stop('SIGTERM', 143));

  try {
    if (!process.env.DATABASE_URL) {
      say(`Starting the embedded PostgreSQL (data in ${STATE_DIR}/postgres/)…`);
      const { EmbeddedDatabase } = await import('./support/embedded-database.js');
      embedded = await EmbeddedDatabase.start(STATE_DIR, 'durable');
      process.env.DATABASE_URL = embedded.url(EMBEDDED_DATABASE);
      embedded.onFailure((reason) => {
        process.stderr.write(`${reason}; stopping the sandbox\n`);
        void stop('SIGTERM', 1);
      });
    }
    const env = loadEnvironment();
    await ensureDatabase(env.DATABASE_URL);
    const applied = await runMigrations(env.DATABASE_URL, undefined, env.DATABASE_TOPOLOGY);
    say(applied.length > 0 ? `Applied ${applied.length} migrations.` : 'Database schema is up to date.');
    await assertPortFree(env);

    children.push(run('apps/api/src/main.js'), run('apps/worker/src/main.js'));
    for (const child of children) {
      child.on('exit', (code, signal) => {
        if (stopping) return;
        process.stderr.write(`a process stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the sandbox\n`);
        void stop('SIGTERM', 1);
      });
    }
    const localUrl = `http://127.0.0.1:${env.PORT}`;
    await waitUntilReady(localUrl);
    banner(env.publicUrl(), env, await demoSandbox(localUrl, env), await databaseLine(env, embedded));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    await stop('SIGTERM', 1);
  }
}

void main();
