import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { PostgresServer } from '../../tools/support/postgres-server.js';

/** Read back by global-teardown.ts (the same process). */
const SERVER = Symbol.for('wallet-sandbox.test.postgres-server');

/**
 * One database and one queue namespace per Jest worker and run: parallel
 * test files never share an outbox, a relay or a queue. The services are
 * the processes': DATABASE_URL's server and REDIS_URL or REDIS_CLUSTER_NODES
 * (environment, then .env); without DATABASE_URL an embedded PostgreSQL of
 * the run's own, without either Redis setting the queues on PostgreSQL.
 * Migrations run through the real migrate command once; the other workers'
 * databases are copies (on a Citus coordinator, DATABASE_TOPOLOGY=citus,
 * each is made and migrated).
 * Their commits do not wait for the disk: the databases go with the run.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  // Compiled: Jest loads this file outside its module mapping, which the sources' .js imports need.
  const compiled = (await import(resolve('dist/tools/support/postgres-server.js'))) as { PostgresServer: typeof PostgresServer };
  const server = await compiled.PostgresServer.open();
  (globalThis as Record<symbol, unknown>)[SERVER] = server;
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const queueBackend = process.env.QUEUE_BACKEND ?? (process.env.REDIS_URL || process.env.REDIS_CLUSTER_NODES ? 'redis' : 'postgres');
  const base = `wallet_sandbox_test_${runId}`;
  const workers = Math.max(1, globalConfig.maxWorkers);

  await server.recreateDatabase(`${base}_w1`);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    TEST_POSTGRES_SERVER: server.serverUrl,
    TEST_DATABASE_BASE: base,
    TEST_WORKERS: String(workers),
    QUEUE_BACKEND: queueBackend,
    ADMIN_TOKEN: `test-admin-token-${runId}-0123456789abcdef`,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    TEST_QUEUE_PREFIX: `wst_${runId}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    OUTBOX_POLL_MS: '100',
    OUTBOX_LEASE_MS: '500',
    // Tests speak for many clients through X-Forwarded-For.
    TRUSTED_PROXIES: '127.0.0.1,::1',
  });
  const migrate = (name: string) =>
    execFileSync(process.execPath, ['dist/apps/migrate/src/main.js'], {
      env: { ...process.env, DATABASE_URL: server.databaseUrl(name) },
      stdio: 'pipe',
    });
  migrate(`${base}_w1`);
  for (let worker = 2; worker <= workers; worker++) {
    if (server.copies) await server.copyDatabase(`${base}_w1`, `${base}_w${worker}`);
    else {
      await server.recreateDatabase(`${base}_w${worker}`);
      migrate(`${base}_w${worker}`);
    }
  }
  for (let worker = 1; worker <= workers; worker++) await server.commitAsynchronously(`${base}_w${worker}`);
}
