/**
 * `npm start`: the sandbox on one machine in one command. Creates `.env` on
 * first run, creates the database if missing, applies migrations, runs the
 * api and the worker, seeds a demo sandbox and prints its keys and URLs.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Environment, EnvironmentError, loadEnvironment, randomSecret } from '#core';
import { runMigrations } from '../apps/migrate/src/run-migrations.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENV_FILE = join(root, '.env');
const DEMO_FILE = join(root, '.wallet-sandbox', 'demo.json');

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
      'DATABASE_URL=postgres://postgres@127.0.0.1:5432/wallet_sandbox',
      'REDIS_URL=redis://127.0.0.1:6379',
      `ADMIN_TOKEN=${randomSecret(40)}`,
      'PORT=3000',
      'LOG_LEVEL=info',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  say('Created .env with development settings and a fresh ADMIN_TOKEN.');
}

async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot reach PostgreSQL at ${url.host} (${String(error)}). Start it, or set DATABASE_URL in .env.`, { cause: error });
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      say(`Created database ${name}.`);
    }
  } finally {
    await client.end();
  }
}

function run(script: string): ChildProcess {
  return spawn(process.execPath, ['--enable-source-maps', join(root, 'dist', script)], { cwd: root, env: process.env, stdio: 'inherit' });
}

async function waitUntilReady(baseUrl: string, timeoutMs = 30_000): Promise<void> {
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

function banner(baseUrl: string, env: Environment, demo: Demo): void {
  say();
  say('Wallet Sandbox is running.');
  say();
  say(`  API            ${baseUrl}/v1`);
  say(`  API docs       ${baseUrl}/docs   (OpenAPI: ${baseUrl}/openapi.json)`);
  say(`  Queues         ${baseUrl}/admin/queues   (user: admin, password: the admin token)`);
  say(`  Health         ${baseUrl}/health/ready   Metrics: ${baseUrl}/metrics`);
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
  const env = loadEnvironment();
  const baseUrl = env.publicUrl();
  await ensureDatabase(env.DATABASE_URL);
  const applied = await runMigrations(env.DATABASE_URL);
  say(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}.` : 'Database schema is up to date.');

  const children = [run('apps/api/src/main.js'), run('apps/worker/src/main.js')];
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    stopping = true;
    for (const child of children) child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  for (const child of children) {
    child.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`a process stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the sandbox\n`);
        stop('SIGTERM');
        process.exitCode = 1;
      }
    });
  }

  await waitUntilReady(`http://127.0.0.1:${env.PORT}`);
  banner(baseUrl, env, await demoSandbox(`http://127.0.0.1:${env.PORT}`, env));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof EnvironmentError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
