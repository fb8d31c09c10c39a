import { execFileSync } from 'node:child_process';
import pg from 'pg';

/**
 * One database and one Redis key prefix per test run, so runs never see
 * each other's data. Migrations run through the real migrate command.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const database = `wallet_sandbox_test_${runId}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: `${server}/${database}`,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    ADMIN_TOKEN: `test-admin-token-${runId}-0123456789abcdef`,
    QUEUE_PREFIX: `wst_${runId}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    OUTBOX_POLL_MS: '100',
    TEST_DATABASE: database,
  });
  execFileSync(process.execPath, ['dist/apps/migrate/src/main.js'], { env: process.env, stdio: 'pipe' });
}
