import { execFileSync } from 'node:child_process';
import pg from 'pg';

/**
 * One database and one Redis key prefix per Jest worker and run: parallel
 * test files never share an outbox, a relay or a queue. Migrations run
 * through the real migrate command once; the other workers' databases are
 * copies of the first.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const base = `wallet_sandbox_test_${runId}`;
  const workers = Math.max(1, globalConfig.maxWorkers);

  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${base}_w1`);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    TEST_POSTGRES_SERVER: server,
    TEST_DATABASE_BASE: base,
    TEST_WORKERS: String(workers),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    ADMIN_TOKEN: `test-admin-token-${runId}-0123456789abcdef`,
    TEST_QUEUE_PREFIX: `wst_${runId}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    OUTBOX_POLL_MS: '100',
    OUTBOX_LEASE_MS: '500',
    // Tests speak for many clients through X-Forwarded-For.
    TRUSTED_PROXIES: '127.0.0.1,::1',
  });
  execFileSync(process.execPath, ['dist/apps/migrate/src/main.js'], {
    env: { ...process.env, DATABASE_URL: `${server}/${base}_w1` },
    stdio: 'pipe',
  });
  for (let worker = 2; worker <= workers; worker++) await admin.query(`CREATE DATABASE ${base}_w${worker} TEMPLATE ${base}_w1`);
  await admin.end();
}
